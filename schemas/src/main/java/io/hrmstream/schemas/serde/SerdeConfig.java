package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Settings of {@link RegistryAvroSerializer} and {@link RegistryAvroDeserializer}, under the names
 * Confluent's serializers use, so that the same producer/consumer/Streams properties work with either.
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

    public static final String CREDENTIALS_SOURCE_USER_INFO = "USER_INFO";
    public static final String CREDENTIALS_SOURCE_URL = "URL";

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
                    ConfigDef.Importance.LOW, "As key.subject.name.strategy, for values.");

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
        for (String key : props.keySet()) {
            if (!CONFIG.names().contains(key) && CONFLUENT_PREFIXES.stream().anyMatch(key::startsWith)) {
                LOG.warn("Serde setting '{}' is not supported by this serde and is ignored (supported: {})", key,
                        new TreeSet<>(CONFIG.names()));
            }
        }
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

    /** A registry client for these settings. */
    public SchemaRegistryClient createClient() {
        return new SchemaRegistryClient(registryUrls(), basicAuthUserInfo(), SchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT);
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
