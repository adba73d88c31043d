package io.taskapi.plugin.config;

import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_AUDIENCE;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_CACHE_SIZE;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_CACHE_TTL;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_CLOCK_LEEWAY;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_MAX_TOKEN_LENGTH;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_REQUIRE_EXPIRY;
import static io.taskapi.plugin.config.TaskApiConfig.MAX_CLOCK_LEEWAY;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How credentials are verified ({@code identity.*}).
 *
 * @param audience the audience a workload identity must name
 * @param clockLeeway how far clocks may disagree when checking exp, nbf and iat
 * @param maxTokenLength the longest credential accepted, in characters
 * @param requireExpiry whether a workload identity must carry exp (Nomad's default identity has none)
 * @param identityCacheSize how many verified workload identities are remembered
 * @param identityCacheTtl the longest a verified workload identity is remembered
 */
public record AuthConfig(String audience, Duration clockLeeway, int maxTokenLength, boolean requireExpiry,
                         int identityCacheSize, Duration identityCacheTtl) {
    /**
     * Checks that nothing is missing.
     *
     * @param audience see the record component of that name
     * @param clockLeeway see the record component of that name
     * @param maxTokenLength see the record component of that name
     * @param requireExpiry see the record component of that name
     * @param identityCacheSize see the record component of that name
     * @param identityCacheTtl see the record component of that name
     */
    public AuthConfig {
        requireNonNull(audience, "audience is null");
        requireNonNull(clockLeeway, "clockLeeway is null");
        requireNonNull(identityCacheTtl, "identityCacheTtl is null");
    }

    static AuthConfig read(Settings settings) {
        AuthConfig config = new AuthConfig(
                settings.string(IDENTITY_AUDIENCE, "nomadproject.io"),
                settings.duration(IDENTITY_CLOCK_LEEWAY, Duration.ofSeconds(60)),
                settings.integer(IDENTITY_MAX_TOKEN_LENGTH, 8192),
                settings.bool(IDENTITY_REQUIRE_EXPIRY, true),
                settings.integer(IDENTITY_CACHE_SIZE, 10_000),
                settings.duration(IDENTITY_CACHE_TTL, Duration.ofMinutes(5)));
        settings.check(IDENTITY_AUDIENCE, !config.audience.isBlank(), IDENTITY_AUDIENCE + " must not be blank");
        settings.check(IDENTITY_CLOCK_LEEWAY,
                !config.clockLeeway.isNegative() && config.clockLeeway.compareTo(MAX_CLOCK_LEEWAY) <= 0,
                IDENTITY_CLOCK_LEEWAY + " must be between 0s and 5m");
        settings.check(IDENTITY_MAX_TOKEN_LENGTH, config.maxTokenLength >= 256 && config.maxTokenLength <= 65536,
                IDENTITY_MAX_TOKEN_LENGTH + " must be between 256 and 65536");
        settings.check(IDENTITY_CACHE_SIZE, config.identityCacheSize >= 0,
                IDENTITY_CACHE_SIZE + " must not be negative");
        settings.check(IDENTITY_CACHE_TTL, !config.identityCacheTtl.isNegative(),
                IDENTITY_CACHE_TTL + " must not be negative");
        return config;
    }
}
