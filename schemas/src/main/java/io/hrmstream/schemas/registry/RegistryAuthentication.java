package io.hrmstream.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials a {@link SchemaRegistryClient} sends with every request, as HTTP headers: none, HTTP basic auth,
 * or a static bearer token (Confluent's {@code bearer.auth.credentials.source=STATIC_TOKEN}), which may name the
 * logical cluster and identity pool the token is for, in the headers Confluent Cloud reads.
 */
public final class RegistryAuthentication {

    /** Confluent's client names the target registry cluster of a bearer token in this header. */
    static final String TARGET_SR_CLUSTER_HEADER = "target-sr-cluster";
    /** Confluent's client names the identity pool of a bearer token in this header. */
    static final String IDENTITY_POOL_HEADER = "Confluent-Identity-Pool-Id";

    private static final RegistryAuthentication NONE = new RegistryAuthentication("none", Map.of());

    private final String scheme;
    private final Map<String, String> headers;

    private RegistryAuthentication(String scheme, Map<String, String> headers) {
        this.scheme = scheme;
        this.headers = Map.copyOf(headers);
    }

    /** No credentials. */
    public static RegistryAuthentication none() {
        return NONE;
    }

    /** HTTP basic auth with {@code user:password}. */
    public static RegistryAuthentication basic(String userInfo) {
        return new RegistryAuthentication("basic", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * A bearer token sent as is.
     *
     * @param logicalCluster the registry cluster the token is for (Confluent Cloud's {@code lsrc-...}), if any
     * @param identityPoolId the identity pool the token belongs to, if any
     */
    public static RegistryAuthentication bearer(String token, Optional<String> logicalCluster,
                                                Optional<String> identityPoolId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        logicalCluster.ifPresent(cluster -> headers.put(TARGET_SR_CLUSTER_HEADER, cluster));
        identityPoolId.ifPresent(pool -> headers.put(IDENTITY_POOL_HEADER, pool));
        return new RegistryAuthentication("bearer", headers);
    }

    /** The headers to send with each request. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The scheme only: credentials never reach logs. */
    @Override
    public String toString() {
        return scheme;
    }
}
