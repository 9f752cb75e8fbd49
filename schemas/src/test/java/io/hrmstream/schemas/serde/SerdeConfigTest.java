package io.hrmstream.schemas.serde;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerdeConfigTest {

    @Test
    void defaultsFollowConfluent() {
        SerdeConfig config = new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://sr:8081"));

        assertTrue(config.autoRegisterSchemas());
        assertFalse(config.useLatestVersion());
        assertEquals(Optional.empty(), config.basicAuthUserInfo());
    }

    @Test
    void theUrlSettingIsACommaSeparatedList() {
        SerdeConfig config = new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                "http://a:8081, https://b:8081/apis/ccompat/v7"));

        assertEquals(List.of(URI.create("http://a:8081"), URI.create("https://b:8081/apis/ccompat/v7")),
                config.registryUrls());
    }

    @Test
    void urlCredentialsSourceTakesTheUserInfoOfTheUrlAndStripsItFromTheUrl() {
        SerdeConfig config = new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://bob:p%40ss@sr:8081",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "URL"));

        assertEquals(Optional.of("bob:p@ss"), config.basicAuthUserInfo());
        assertEquals(List.of(URI.create("http://sr:8081")), config.registryUrls());
    }

    @Test
    void userInfoCredentialsSourceNeedsUserInfo() {
        Map<String, String> props = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://sr:8081",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");

        assertThrows(ConfigException.class, () -> new SerdeConfig(props).basicAuthUserInfo());
        assertEquals(Optional.of("u:p"), new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://sr:8081",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "user_info",
                SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "u:p")).basicAuthUserInfo());
    }

    @Test
    void badSettingsAreRejectedWithoutEchoingCredentials() {
        assertThrows(ConfigException.class, () -> new SerdeConfig(Map.of()).registryUrls());
        assertThrows(ConfigException.class, () -> new SerdeConfig(Map.of(
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT")));
        ConfigException relative = assertThrows(ConfigException.class,
                () -> new SerdeConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "u:secret@/nohost")).registryUrls());
        assertFalse(relative.getMessage().contains("secret"), relative.getMessage());
    }

    private static final String URL = "http://sr:8081";

    private static SerdeConfig config(String... keysAndValues) {
        Map<String, String> props = new HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL));
        for (int i = 0; i < keysAndValues.length; i += 2) props.put(keysAndValues[i], keysAndValues[i + 1]);
        return new SerdeConfig(props);
    }

    private static void assertRefusedNaming(String key, Executable configuring) {
        ConfigException e = assertThrows(ConfigException.class, configuring);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void aStaticBearerTokenBecomesTheAuthorizationHeaderWithConfluentsClusterAndPoolHeaders() {
        SerdeConfig config = config(SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN",
                SerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "tok", SerdeConfig.BEARER_AUTH_LOGICAL_CLUSTER_CONFIG, "lsrc-1",
                SerdeConfig.BEARER_AUTH_IDENTITY_POOL_ID_CONFIG, "pool-2");

        assertEquals(Map.of("Authorization", "Bearer tok", "target-sr-cluster", "lsrc-1",
                "Confluent-Identity-Pool-Id", "pool-2"), config.authentication().headers());
        assertEquals("bearer", config.authentication().toString());
    }

    @Test
    void withoutABearerSourceBasicAuthOrNothingIsSent() {
        assertEquals(Map.of(), config().authentication().headers());
        // Confluent sends the token only with the STATIC_TOKEN source; this serde does the same, and warns
        assertEquals(Map.of(), config(SerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "tok").authentication().headers());
        assertEquals("Basic dTpw", config(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "u:p").authentication().headers().get("Authorization"));
    }

    @Test
    void bearerSourcesOtherThanStaticTokenAreRefusedNamingTheKey() {
        for (String source : List.of("OAUTHBEARER", "SASL_OAUTHBEARER_INHERIT", "CUSTOM", "static_token")) {
            assertRefusedNaming(SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    () -> config(SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, source));
        }
    }

    @Test
    void aStaticTokenSourceWithoutATokenIsRefusedNamingTheTokenKey() {
        assertRefusedNaming(SerdeConfig.BEARER_AUTH_TOKEN_CONFIG,
                () -> config(SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN").createClient());
    }

    @Test
    void basicAndBearerSourcesTogetherAreRefusedAsConfluentDoes() {
        assertRefusedNaming(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, () -> config(
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO", SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "u:p",
                SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN", SerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "t"));
    }

    @Test
    void confluentKeysThisSerdeLacksAreNamedAsUnsupportedAndOthersAreNot() {
        assertEquals(Set.of("bearer.auth.client.id", "bearer.auth.issuer.endpoint.url",
                        "schema.registry.ssl.engine.factory.class", "schema.registry.ssl.truststore.certificates"),
                SerdeConfig.unsupportedKeys(List.of("bearer.auth.client.id", "bearer.auth.issuer.endpoint.url",
                        "schema.registry.ssl.engine.factory.class", "schema.registry.ssl.truststore.certificates",
                        SerdeConfig.BEARER_AUTH_TOKEN_CONFIG, SerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG,
                        SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "linger.ms", "ssl.truststore.location")));
    }

    @Test
    void withoutStoresOrAHostNameExceptionTlsIsTheJdksDefault() {
        assertTrue(config().tls().context().isEmpty());
        assertTrue(config(SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "HTTPS").tls().context().isEmpty());
        assertTrue(config(SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "").tls().context().isPresent());
    }

    @Test
    void tlsSettingsThatCannotWorkAreRefusedNamingTheKey() {
        assertRefusedNaming(SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                () -> config(SerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "dns"));
        assertRefusedNaming(SerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG,
                () -> config(SerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG, "/etc/client.p12").tls());
        assertRefusedNaming(SerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                () -> config(SerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG, "secret").tls());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> config(SerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, "/no/such/truststore.jks",
                        SerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG, "secret").tls());
        assertTrue(missing.getMessage().contains(SerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG), missing.getMessage());
        assertFalse(missing.getMessage().contains("secret"), missing.getMessage());
    }
}
