package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.registry.RegistryAuthentication;
import io.hrmstream.schemas.registry.RegistryTls;
import io.hrmstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Settings of {@link RegistryAvroSerializer} and {@link RegistryAvroDeserializer}, under the names
 * Confluent's serializers use, so that the same producer/consumer/Streams properties work with either.
 *
 * <p>Each Confluent key is honoured, refused or warned about, never silently dropped: the keys defined here are
 * honoured with Confluent's meaning (registry URLs, basic and static bearer auth, {@code schema.registry.ssl.*} stores
 * and host-name check, subject strategies, generated classes); a value this serde cannot honour (generic records,
 * an OAuth bearer source, both a basic and a bearer source) throws a {@link ConfigException} naming the key; any
 * other key under a Confluent prefix is logged as a warning naming it, and ignored.
 */
public final class SerdeConfig extends AbstractConfig {

    private static final Logger LOG = LoggerFactory.getLogger(SerdeConfig.class);

    /** Comma-separated registry base URLs, tried in order (failover). */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    /** Register the record's schema under the subject on first use; if false it must already be there. */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    /** Write with the subject's latest registered schema instead of the record class's own schema. */
    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    /** Where basic-auth credentials come from: {@code USER_INFO} ({@code basic.auth.user.info}) or {@code URL}. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    /** {@code user:password} for basic auth when the credentials source is {@code USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

    /** Confluent's: return generated (specific) classes. Only {@code true} is supported: refused otherwise. */
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    /** Confluent's: the generated class of record keys, for a serde built by class name (no-arg constructor). */
    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    /** Confluent's: the generated class of record values, for a serde built by class name (no-arg constructor). */
    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    /** Confluent's: how a key's subject is named: TopicNameStrategy (default), RecordNameStrategy, TopicRecordNameStrategy. */
    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    /** Confluent's: how a value's subject is named, as {@link #KEY_SUBJECT_NAME_STRATEGY_CONFIG}. */
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";

    /** Confluent's: where a bearer token comes from; only {@code STATIC_TOKEN} ({@code bearer.auth.token}) is supported. */
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    /** Confluent's: the bearer token sent as {@code Authorization: Bearer <token>} when the source is STATIC_TOKEN. */
    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    /** Confluent's: the registry cluster a bearer token is for, sent as header {@code target-sr-cluster}. */
    public static final String BEARER_AUTH_LOGICAL_CLUSTER_CONFIG = "bearer.auth.logical.cluster";
    /** Confluent's: the identity pool of a bearer token, sent as header {@code Confluent-Identity-Pool-Id}. */
    public static final String BEARER_AUTH_IDENTITY_POOL_ID_CONFIG = "bearer.auth.identity.pool.id";

    /** Confluent prefixes Kafka's client TLS settings with this for the registry connection. */
    public static final String SCHEMA_REGISTRY_SSL_PREFIX = "schema.registry.";
    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG;
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG;
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG;
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG;
    public static final String SSL_KEYSTORE_TYPE_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG;
    public static final String SSL_KEY_PASSWORD_CONFIG = SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_KEY_PASSWORD_CONFIG;
    /** {@code https} (default) checks that the registry's certificate names its host; empty (or Confluent's {@code none}) does not. */
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG =
            SCHEMA_REGISTRY_SSL_PREFIX + SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG;

    public static final String CREDENTIALS_SOURCE_USER_INFO = "USER_INFO";
    public static final String CREDENTIALS_SOURCE_URL = "URL";
    public static final String CREDENTIALS_SOURCE_STATIC_TOKEN = "STATIC_TOKEN";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, ConfigDef.Type.LIST, List.of(), ConfigDef.Importance.HIGH,
                    "Comma-separated list of schema registry base URLs (Confluent SR, Redpanda, Apicurio ccompat, Karapace).")
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                    "Register the record's schema under its subject when serializing.")
            .define(USE_LATEST_VERSION_CONFIG, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW,
                    "Serialize with the subject's latest registered schema (it must be able to read the record's schema).")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, ConfigDef.Type.STRING, CREDENTIALS_SOURCE_URL,
                    ConfigDef.CaseInsensitiveValidString.in(CREDENTIALS_SOURCE_USER_INFO, CREDENTIALS_SOURCE_URL),
                    ConfigDef.Importance.MEDIUM,
                    "USER_INFO: take credentials from basic.auth.user.info; URL: from the user info of the registry URL.")
            .define(BASIC_AUTH_USER_INFO_CONFIG, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                    "user:password for HTTP basic auth to the registry.")
            .define(SPECIFIC_AVRO_READER_CONFIG, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.LOW,
                    "Return generated classes; false (generic records) is not supported and refused.")
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, ConfigDef.Type.CLASS, null, ConfigDef.Importance.MEDIUM,
                    "Generated class of keys, when the serde is built by class name.")
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, ConfigDef.Type.CLASS, null, ConfigDef.Importance.MEDIUM,
                    "Generated class of values, when the serde is built by class name.")
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, ConfigDef.Type.STRING, SubjectNameStrategy.TOPIC_NAME.name(),
                    ConfigDef.Importance.LOW, "TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy "
                            + "(Confluent's class names are accepted).")
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, ConfigDef.Type.STRING, SubjectNameStrategy.TOPIC_NAME.name(),
                    ConfigDef.Importance.LOW, "As key.subject.name.strategy, for values.")
            // no default source: Confluent refuses basic and bearer sources set together, so unset must be told apart
            .define(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, ConfigDef.Type.STRING, null, new StaticTokenOnly(),
                    ConfigDef.Importance.MEDIUM, "STATIC_TOKEN: send bearer.auth.token as a bearer token. Confluent's "
                            + "OAUTHBEARER, SASL_OAUTHBEARER_INHERIT and CUSTOM sources are not supported and refused.")
            .define(BEARER_AUTH_TOKEN_CONFIG, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                    "The bearer token, when bearer.auth.credentials.source=STATIC_TOKEN.")
            .define(BEARER_AUTH_LOGICAL_CLUSTER_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                    "The schema registry cluster the bearer token is for (header target-sr-cluster).")
            .define(BEARER_AUTH_IDENTITY_POOL_ID_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                    "The identity pool of the bearer token (header Confluent-Identity-Pool-Id).")
            .define(SSL_TRUSTSTORE_LOCATION_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    SslConfigs.SSL_TRUSTSTORE_LOCATION_DOC)
            .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                    SslConfigs.SSL_TRUSTSTORE_PASSWORD_DOC)
            .define(SSL_TRUSTSTORE_TYPE_CONFIG, ConfigDef.Type.STRING, SslConfigs.DEFAULT_SSL_TRUSTSTORE_TYPE,
                    ConfigDef.Importance.MEDIUM, "The file format of the trust store file: JKS or PKCS12.")
            .define(SSL_KEYSTORE_LOCATION_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    SslConfigs.SSL_KEYSTORE_LOCATION_DOC)
            .define(SSL_KEYSTORE_PASSWORD_CONFIG, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                    SslConfigs.SSL_KEYSTORE_PASSWORD_DOC)
            .define(SSL_KEYSTORE_TYPE_CONFIG, ConfigDef.Type.STRING, SslConfigs.DEFAULT_SSL_KEYSTORE_TYPE,
                    ConfigDef.Importance.MEDIUM, "The file format of the key store file: JKS or PKCS12.")
            .define(SSL_KEY_PASSWORD_CONFIG, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.MEDIUM,
                    "The password of the private key in the key store; the key store password when not set.")
            .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, ConfigDef.Type.STRING,
                    SslConfigs.DEFAULT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, new HostnameCheck(), ConfigDef.Importance.LOW,
                    "https: the registry's certificate must name its host; empty (or none): any host name is accepted.");

    /** Prefixes of Confluent serde and registry-client settings: one of these that is not defined above is unsupported. */
    private static final List<String> CONFLUENT_PREFIXES = List.of("schema.registry.", "basic.auth.", "bearer.auth.",
            "specific.avro.", "key.subject.", "value.subject.", "auto.register.", "use.latest.", "latest.compatibility.",
            "normalize.schemas", "avro.", "context.name.strategy", "max.schemas.per.subject", "proxy.");

    public SerdeConfig(Map<String, ?> props) {
        // the enclosing client logs its own configuration; logging here would repeat it per serde
        super(CONFIG, props, false);
        if (!getBoolean(SPECIFIC_AVRO_READER_CONFIG)) {
            throw new ConfigException(SPECIFIC_AVRO_READER_CONFIG, false,
                    "this serde reads and writes generated (specific) classes only; generic records are not supported");
        }
        if (isSet(props, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG) && isSet(props, BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG)) {
            // Confluent's client refuses the pair the same way: which one wins would be a guess
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, props.get(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG),
                    "only one of " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + " and " + BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG
                            + " may be set");
        }
        for (String key : unsupportedKeys(props.keySet())) {
            LOG.warn("Serde setting '{}' is not supported by this serde and is ignored (supported: {})", key,
                    new TreeSet<>(CONFIG.names()));
        }
        if (isSet(props, BEARER_AUTH_TOKEN_CONFIG) && !isSet(props, BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG)) {
            LOG.warn("Serde setting '{}' is ignored: it is sent only with {}={}", BEARER_AUTH_TOKEN_CONFIG,
                    BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, CREDENTIALS_SOURCE_STATIC_TOKEN);
        }
    }

    /** The keys among {@code keys} that name Confluent serde or registry-client settings this serde does not have. */
    static Set<String> unsupportedKeys(Collection<String> keys) {
        return keys.stream()
                .filter(key -> !CONFIG.names().contains(key) && CONFLUENT_PREFIXES.stream().anyMatch(key::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isSet(Map<String, ?> props, String key) {
        Object value = props.get(key);
        return value != null && !value.toString().isEmpty();
    }

    /** The subject strategy for keys ({@code isKey}) or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        String name = getString(isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG);
        try {
            return SubjectNameStrategy.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                    name, e.getMessage());
        }
    }

    /** The generated class of keys or values named in the config, if any. */
    public Optional<Class<?>> specificType(boolean isKey) {
        return Optional.ofNullable(getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG));
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    /** The registry URLs without any user info (which goes into the Authorization header instead). */
    public List<URI> registryUrls() {
        List<String> urls = getList(SCHEMA_REGISTRY_URL_CONFIG);
        if (urls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, "", "a schema registry URL is required");
        }
        List<URI> stripped = new ArrayList<>();
        for (String url : urls) {
            URI uri = parse(url);
            try {
                stripped.add(new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null));
            } catch (URISyntaxException e) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, uri.getHost(), "not a valid URL");
            }
        }
        return stripped;
    }

    /** {@code user:password} from the configured credentials source, if any. */
    public Optional<String> basicAuthUserInfo() {
        if (CREDENTIALS_SOURCE_USER_INFO.equalsIgnoreCase(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            Password userInfo = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
            if (userInfo.value().isEmpty()) {
                throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG, "[hidden]",
                        "must be user:password when " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO");
            }
            return Optional.of(userInfo.value());
        }
        // URL: the first URL that carries user info supplies it (Confluent's behaviour)
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream()
                .map(url -> parse(url).getRawUserInfo())
                .filter(userInfo -> userInfo != null && !userInfo.isEmpty())
                .map(userInfo -> URLDecoder.decode(userInfo, StandardCharsets.UTF_8))
                .findFirst();
    }

    /**
     * The credentials to send: a bearer token when {@code bearer.auth.credentials.source} is set, else basic auth
     * from {@link #basicAuthUserInfo()}, else none.
     */
    public RegistryAuthentication authentication() {
        if (getString(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG) == null) {
            return basicAuthUserInfo().map(RegistryAuthentication::basic).orElse(RegistryAuthentication.none());
        }
        Password token = getPassword(BEARER_AUTH_TOKEN_CONFIG);
        if (token == null || token.value().isEmpty()) {
            throw new ConfigException(BEARER_AUTH_TOKEN_CONFIG, null, "a token is required when "
                    + BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + CREDENTIALS_SOURCE_STATIC_TOKEN);
        }
        return RegistryAuthentication.bearer(token.value(),
                Optional.ofNullable(getString(BEARER_AUTH_LOGICAL_CLUSTER_CONFIG)),
                Optional.ofNullable(getString(BEARER_AUTH_IDENTITY_POOL_ID_CONFIG)));
    }

    /**
     * TLS towards {@code https://} registries, with Kafka's rules for the stores (a keystore needs its password;
     * a store password needs its store); the JDK's defaults when no store is named and host names are checked.
     */
    public RegistryTls tls() {
        String truststoreLocation = getString(SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keystoreLocation = getString(SSL_KEYSTORE_LOCATION_CONFIG);
        boolean verifyHostnames = HostnameCheck.verifies(getString(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG));
        Password truststorePassword = getPassword(SSL_TRUSTSTORE_PASSWORD_CONFIG);
        Password keystorePassword = getPassword(SSL_KEYSTORE_PASSWORD_CONFIG);
        if (truststoreLocation == null && truststorePassword != null) {
            throw new ConfigException(SSL_TRUSTSTORE_PASSWORD_CONFIG, "[hidden]",
                    "set without " + SSL_TRUSTSTORE_LOCATION_CONFIG);
        }
        if (keystoreLocation == null && keystorePassword != null) {
            throw new ConfigException(SSL_KEYSTORE_PASSWORD_CONFIG, "[hidden]", "set without " + SSL_KEYSTORE_LOCATION_CONFIG);
        }
        if (keystoreLocation != null && keystorePassword == null) {
            throw new ConfigException(SSL_KEYSTORE_PASSWORD_CONFIG, null, "required with " + SSL_KEYSTORE_LOCATION_CONFIG);
        }
        if (truststoreLocation == null && keystoreLocation == null && verifyHostnames) {
            return RegistryTls.jdkDefaults();
        }
        Optional<KeyStore> truststore = Optional.ofNullable(truststoreLocation).map(location -> store(
                SSL_TRUSTSTORE_LOCATION_CONFIG, location, SSL_TRUSTSTORE_TYPE_CONFIG, truststorePassword));
        Optional<KeyStore> keystore = Optional.ofNullable(keystoreLocation).map(location -> store(
                SSL_KEYSTORE_LOCATION_CONFIG, location, SSL_KEYSTORE_TYPE_CONFIG, keystorePassword));
        Password keyPassword = getPassword(SSL_KEY_PASSWORD_CONFIG);
        char[] keyChars = keyPassword != null ? keyPassword.value().toCharArray()
                : keystorePassword != null ? keystorePassword.value().toCharArray() : null;
        try {
            return RegistryTls.of(truststore, keystore, keyChars, verifyHostnames);
        } catch (GeneralSecurityException e) {
            // e.g. a wrong key password: the key store opened but its key did not
            throw new ConfigException(keyPassword != null ? SSL_KEY_PASSWORD_CONFIG : SSL_KEYSTORE_LOCATION_CONFIG,
                    keystoreLocation, "cannot set up TLS to the schema registry: " + e);
        }
    }

    private KeyStore store(String locationKey, String location, String typeKey, Password password) {
        String type = getString(typeKey);
        try {
            return RegistryTls.load(Path.of(location), type, password == null ? null : password.value().toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(locationKey, location, "cannot read this " + type + " store (" + typeKey + "): " + e);
        }
    }

    /** A registry client for these settings. */
    public SchemaRegistryClient createClient() {
        return new SchemaRegistryClient(registryUrls(), authentication(), tls(), SchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT);
    }

    /** Accepts an unset bearer source or STATIC_TOKEN; names the key when refusing Confluent's other sources. */
    private static final class StaticTokenOnly implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && !CREDENTIALS_SOURCE_STATIC_TOKEN.equals(value)) {
                throw new ConfigException(name, value, "only " + CREDENTIALS_SOURCE_STATIC_TOKEN
                        + " (with " + BEARER_AUTH_TOKEN_CONFIG + ") is supported by this serde; Confluent's "
                        + "OAUTHBEARER, SASL_OAUTHBEARER_INHERIT, OAUTHBEARER_AZURE_IMDS and CUSTOM sources are not");
            }
        }

        @Override
        public String toString() {
            return "[" + CREDENTIALS_SOURCE_STATIC_TOKEN + "]";
        }
    }

    /** Kafka's endpoint identification values: https checks host names, empty does not; Confluent's client also takes none. */
    private static final class HostnameCheck implements ConfigDef.Validator {
        static boolean verifies(String algorithm) {
            return algorithm != null && algorithm.equalsIgnoreCase("https");
        }

        @Override
        public void ensureValid(String name, Object value) {
            String algorithm = value == null ? "" : value.toString();
            if (!verifies(algorithm) && !algorithm.isEmpty() && !algorithm.equalsIgnoreCase("none")) {
                throw new ConfigException(name, value, "must be https (check the host name) or empty (do not)");
            }
        }

        @Override
        public String toString() {
            return "[https, \"\"]";
        }
    }

    private static URI parse(String url) {
        // never echo credentials embedded in a URL into an error message
        String shown = url.contains("@") ? "[hidden]" : url;
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, shown, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, shown, "not a valid URL");
        }
    }
}
