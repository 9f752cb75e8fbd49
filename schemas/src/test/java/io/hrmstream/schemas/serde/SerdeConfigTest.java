package io.hrmstream.schemas.serde;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
}
