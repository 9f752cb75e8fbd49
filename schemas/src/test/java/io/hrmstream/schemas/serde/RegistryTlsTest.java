package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.registry.RegistryDouble;
import io.hrmstream.schemas.registry.SchemaRegistryClient;
import io.hrmstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serde's {@code schema.registry.ssl.*} settings against a registry served over TLS with a self-signed
 * certificate for {@code localhost}: trusted only through the truststore, host names checked unless the
 * endpoint identification algorithm is empty, and a client key shown when the registry asks for one.
 */
@Tag("slow")   // runs keytool in a child JVM: the JDK has no public API that makes a certificate
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";
    private static final Schema REQUEST = PuzzleRequest.getClassSchema();

    @TempDir
    static Path dir;
    /** The registry's key and self-signed certificate (CN and SAN localhost), also used as the client's key. */
    static Path keystore;
    /** That certificate alone. */
    static Path truststore;

    @BeforeAll
    static void makeStores() throws Exception {
        keystore = dir.resolve("registry.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("registry", load(keystore).getCertificate("registry"));
        truststore = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** A registry with the certificate; with {@code needClientAuth} it admits only clients showing that certificate. */
    private static RegistryDouble registry(boolean needClientAuth) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keystore), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        RegistryDouble registry = RegistryDouble.overTls(tls, needClientAuth);
        registry.put("hrm.requests-value", 7, REQUEST);
        return registry;
    }

    private static SchemaRegistryClient client(String url, String... keysAndValues) {
        Map<String, Object> props = new HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url));
        for (int i = 0; i < keysAndValues.length; i += 2) props.put(keysAndValues[i], keysAndValues[i + 1]);
        return new SerdeConfig(props).createClient();
    }

    private static String[] trusting(String... more) {
        List<String> settings = new java.util.ArrayList<>(List.of(
                SerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString(),
                SerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG, PASSWORD,
                SerdeConfig.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12"));
        settings.addAll(List.of(more));
        return settings.toArray(String[]::new);
    }

    /** The registry could not be reached because the TLS handshake failed. */
    private static void assertHandshakeRefused(SchemaRegistryClient client) {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(7));
        assertEquals(SchemaRegistryException.NO_RESPONSE, e.status());
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof SSLException)) cause = cause.getCause();
        assertTrue(cause instanceof SSLException, String.valueOf(e.getCause()));
    }

    @Test
    void theRegistryIsTrustedThroughTheTruststoreAndOnlyThroughIt() throws Exception {
        try (RegistryDouble registry = registry(false)) {
            String url = registry.url("localhost").toString();

            assertEquals(REQUEST, client(url, trusting()).schemaById(7));
            assertHandshakeRefused(client(url));
        }
    }

    @Test
    void hostNamesAreCheckedUnlessTheEndpointIdentificationAlgorithmIsEmpty() throws Exception {
        try (RegistryDouble registry = registry(false)) {
            // the certificate names localhost, not 127.0.0.1
            String byAddress = registry.url("127.0.0.1").toString();

            assertHandshakeRefused(client(byAddress, trusting()));
            assertHandshakeRefused(client(byAddress, trusting(SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https")));
            assertEquals(REQUEST, client(byAddress, trusting(
                    SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "")).schemaById(7));
            // the chain is still checked: without the truststore the certificate is refused even then
            assertHandshakeRefused(client(byAddress, SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, ""));
        }
    }

    @Test
    void aRegistryThatAsksForAClientCertificateGetsTheKeystoresKey() throws Exception {
        try (RegistryDouble registry = registry(true)) {
            String url = registry.url("localhost").toString();

            assertEquals(REQUEST, client(url, trusting(
                    SerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString(),
                    SerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG, PASSWORD,
                    SerdeConfig.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12",
                    SerdeConfig.SSL_KEY_PASSWORD_CONFIG, PASSWORD)).schemaById(7));
            // under TLS 1.3 the server refuses the missing certificate after the client's side of the handshake is
            // done, so the client sees the connection closed rather than a handshake alert
            int served = registry.requests().size();
            SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                    () -> client(url, trusting()).schemaById(7));
            assertEquals(SchemaRegistryException.NO_RESPONSE, refused.status());
            assertEquals(served, registry.requests().size());
        }
    }

    @Test
    void aWrongKeyPasswordIsRefusedNamingTheKey() {
        org.apache.kafka.common.config.ConfigException e = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> client("https://localhost:1", trusting(
                        SerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString(),
                        SerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG, PASSWORD,
                        SerdeConfig.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12",
                        SerdeConfig.SSL_KEY_PASSWORD_CONFIG, "wrong")));
        assertTrue(e.getMessage().contains(SerdeConfig.SSL_KEY_PASSWORD_CONFIG), e.getMessage());
    }
}
