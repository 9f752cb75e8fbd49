package io.hrmstream.schemas.registry;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a {@link SchemaRegistryClient} speaks TLS to an {@code https://} registry: which certificates it trusts
 * (a truststore, else the JDK's), which key it shows when the registry asks for one (a keystore, for mutual TLS),
 * and whether it checks that the certificate names the host it connects to.
 *
 * <p>Built by hand on the JDK's {@link KeyStore}, {@link TrustManagerFactory} and {@link KeyManagerFactory}: Kafka's
 * {@code DefaultSslEngineFactory} loads the same stores but gives no way to leave out the host-name check, and the
 * JDK's {@link java.net.http.HttpClient} always asks for it (only a JVM-wide system property turns it off). With
 * host-name checks off, the trust manager still validates the chain, without the engine's endpoint identification.
 */
public final class RegistryTls {

    private static final RegistryTls JDK_DEFAULTS = new RegistryTls(null);

    private final SSLContext context;

    private RegistryTls(SSLContext context) {
        this.context = context;
    }

    /** The JDK's trusted certificates ({@code cacerts}), no client key, host names checked. */
    public static RegistryTls jdkDefaults() {
        return JDK_DEFAULTS;
    }

    /**
     * @param truststore      the certificates to trust; empty for the JDK's
     * @param keystore        the client key and certificate for mutual TLS, if the registry asks for one
     * @param keyPassword     the password of the key in {@code keystore}
     * @param verifyHostnames whether the registry's certificate must name the host in its URL
     */
    public static RegistryTls of(Optional<KeyStore> truststore, Optional<KeyStore> keystore, char[] keyPassword,
                                 boolean verifyHostnames) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(truststore.orElse(null));
        TrustManager[] trustManagers = trust.getTrustManagers();
        if (!verifyHostnames) {
            trustManagers = Arrays.stream(trustManagers)
                    .map(manager -> manager instanceof X509TrustManager x509 ? new ChainOnlyTrustManager(x509) : manager)
                    .toArray(TrustManager[]::new);
        }
        KeyManager[] keyManagers = null;
        if (keystore.isPresent()) {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore.get(), keyPassword);
            keyManagers = keys.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trustManagers, null);
        return new RegistryTls(context);
    }

    /** Reads a key or trust store file ({@code JKS}, {@code PKCS12}); {@code password} may be null for a truststore. */
    public static KeyStore load(Path file, String type, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** The context to connect with; empty for the JDK's default. */
    public Optional<SSLContext> context() {
        return Optional.ofNullable(context);
    }

    /**
     * Validates the chain against the trusted certificates but not the host name: the JDK checks the name only in the
     * {@link X509ExtendedTrustManager} methods that get the socket or engine, which this one answers with the plain
     * chain check. Being an extended trust manager itself, the JDK uses it as is instead of wrapping it in its own
     * (which would check the name again).
     */
    private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager chain;

        ChainOnlyTrustManager(X509TrustManager chain) {
            this.chain = chain;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
            chain.checkServerTrusted(certificates, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            chain.checkServerTrusted(certificates, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            chain.checkServerTrusted(certificates, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
            chain.checkClientTrusted(certificates, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            chain.checkClientTrusted(certificates, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            chain.checkClientTrusted(certificates, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chain.getAcceptedIssuers();
        }
    }
}
