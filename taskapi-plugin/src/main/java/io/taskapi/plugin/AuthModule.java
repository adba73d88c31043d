package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.taskapi.plugin.auth.AclTokenVerifier;
import io.taskapi.plugin.auth.AuthenticationGate;
import io.taskapi.plugin.auth.IdentityVerifier;
import io.taskapi.plugin.auth.TokenExtractor;
import io.taskapi.plugin.auth.VerifiedIdentityCache;
import io.taskapi.plugin.auth.WorkloadIdentityVerifier;
import io.taskapi.plugin.config.AuthConfig;
import java.util.List;

/** Authentication: the credential extractor, the verifiers and the gate that asks them. */
final class AuthModule extends AbstractModule {
    private final AuthConfig config;

    AuthModule(AuthConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(AuthConfig.class).toInstance(config);
        bind(TokenExtractor.class).in(Singleton.class);
        bind(AuthenticationGate.class).in(Singleton.class);
        bind(VerifiedIdentityCache.class).in(Singleton.class);
        bind(AclTokenVerifier.class).in(Singleton.class);
        bind(WorkloadIdentityVerifier.class).in(Singleton.class);
    }

    /**
     * The verifiers in the order the gate asks them. ACL tokens first: recognizing one is a UUID check, and a UUID is
     * never a compact JWS, so the order decides nothing today; it is fixed here so that a new verifier's place is a
     * decision, not an accident.
     */
    @Provides
    @Singleton
    List<IdentityVerifier> verifiers(AclTokenVerifier aclTokens, WorkloadIdentityVerifier workloadIdentities) {
        return List.of(aclTokens, workloadIdentities);
    }
}
