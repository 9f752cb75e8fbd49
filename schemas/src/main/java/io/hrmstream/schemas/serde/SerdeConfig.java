package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of {@link RegistryAvroSerializer} and {@link RegistryAvroDeserializer}, under the names
 * Confluent's serializers use, so that the same producer/consumer/Streams properties work with either.
 */
public final class SerdeConfig extends AbstractConfig {

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
                    "user:password for HTTP basic auth to the registry.");

    public SerdeConfig(Map<String, ?> props) {
        // the enclosing client logs its own configuration; logging here would repeat it per serde
        super(CONFIG, props, false);
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
