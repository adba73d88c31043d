package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.config.AclConfig;

/** Authorization: what an identity's policies allow. */
final class AclModule extends AbstractModule {
    private final AclConfig config;

    AclModule(AclConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(AclConfig.class).toInstance(config);
        bind(AclResolver.class).in(Singleton.class);
    }
}
