package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One API route, declared in one expression: the methods and path it answers, what the caller's policies must allow,
 * what {@code ?help=1} says, how it runs and what it does. The plugin's own routes and the routes an agent adds
 * through the SPI are both this; {@link RouteGroup}s hand them to the {@link Router}, one group per API area.
 *
 * <pre>{@code
 * Route.on("GET", "/v1/agent/health")
 *         .permission(Permission.AUTHENTICATED)
 *         .help("Reports whether the local agent's client is healthy.")
 *         .runs(Execution.IN_MEMORY, request -> HEALTHY);
 * }</pre>
 */
public final class Route {
    private final Set<String> methods;
    private final String path;
    private final Permission permission;
    private final String help;
    private final Function<ApiRequest, Execution> execution;
    private final Handler handler;
    private final Set<Watch> watches;
    private final boolean blocks;
    private final boolean withoutCredential;

    private Route(Builder builder, Function<ApiRequest, Execution> execution, Handler handler) {
        this.methods = builder.methods;
        this.path = builder.path;
        this.permission = requireNonNull(builder.permission, "permission is not set: " + builder.path);
        this.help = requireNonNull(builder.help, "help is not set: " + builder.path);
        this.execution = requireNonNull(execution, "execution is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.watches = builder.watches;
        this.blocks = builder.blocks && !builder.watches.isEmpty();
        this.withoutCredential = builder.withoutCredential;
    }

    /**
     * @param method the HTTP method, upper case
     * @param path the path: literal segments, {@code :name} for one segment, a last {@code *name} for the rest
     * @return a builder for the route
     */
    public static Builder on(String method, String path) {
        return new Builder(Set.of(method), path);
    }

    /**
     * @param methods the HTTP methods that answer alike (Nomad takes both PUT and POST for its writes)
     * @param path the path
     * @return a builder for the route
     */
    public static Builder on(Set<String> methods, String path) {
        return new Builder(methods, path);
    }

    /** @return the HTTP methods it answers, upper case, sorted */
    public Set<String> methods() {
        return methods;
    }

    /** @return the path pattern, for example {@code /v1/acl/token/:accessor} */
    public String path() {
        return path;
    }

    /** @return what the caller's policies must allow; checked before {@code ?help=1} and before the route runs */
    public Permission permission() {
        return permission;
    }

    /** @return what {@code ?help=1} answers: one or two sentences on what the route does and needs */
    public String help() {
        return help;
    }

    /**
     * @return the parts of the state its answers reflect: their index is its answers' {@code X-Nomad-Index}, a write
     *     through it changes them, and a {@code GET} on it blocks on them with {@code ?index=}; empty for a route whose
     *     answers do not come from the state (they carry the latest index and do not block)
     */
    public Set<Watch> watches() {
        return watches;
    }

    /**
     * @return whether a {@code GET} with {@code ?index=N} waits until the index of its {@linkplain #watches parts}
     *     passes N (Nomad's blocking query); false for a route that watches nothing, or whose state changes without
     *     the plugin hearing of it
     */
    public boolean blocks() {
        return blocks;
    }

    /**
     * @return whether the route is served without a credential, on every listener, any credential sent being ignored
     *     (Nomad's login, whose body is the credential); its caller is the anonymous identity
     */
    public boolean withoutCredential() {
        return withoutCredential;
    }

    /**
     * @param request the authenticated, authorized request
     * @return how {@link #handle} runs for it
     */
    public Execution execution(ApiRequest request) {
        return execution.apply(request);
    }

    /**
     * @param request the authenticated, authorized request (its body read if the route's execution reads one)
     * @return the answer; see {@link Handler#handle}
     * @throws ApiException for an answer with an error status
     * @throws StateUnavailableException when state the route needs cannot be read (503)
     */
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        return handler.handle(request);
    }

    @Override
    public String toString() {
        return String.join("|", methods) + " " + path;
    }

    /** What a route does. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param request the authenticated, authorized request
         * @return the body to send with 200, serialized as JSON, or an {@link ApiResponse} for anything else
         * @throws ApiException for an answer with an error status
         * @throws StateUnavailableException when state the route needs cannot be read (503)
         */
        Object handle(ApiRequest request) throws ApiException, StateUnavailableException;
    }

    /** A route being declared; {@link #runs} completes it. */
    public static final class Builder {
        private final Set<String> methods;
        private final String path;
        private Permission permission;
        private String help;
        private Set<Watch> watches = Set.of();
        private boolean blocks = true;
        private boolean withoutCredential;

        private Builder(Set<String> methods, String path) {
            if (requireNonNull(methods, "methods is null").isEmpty()) {
                throw new IllegalArgumentException("a route answers at least one method: " + path);
            }
            this.methods = Collections.unmodifiableSortedSet(new TreeSet<>(methods));
            this.path = requireNonNull(path, "path is null");
        }

        /**
         * @param permission what the caller's policies must allow
         * @return this builder
         */
        public Builder permission(Permission permission) {
            this.permission = requireNonNull(permission, "permission is null");
            return this;
        }

        /**
         * @param help what {@code ?help=1} answers
         * @return this builder
         */
        public Builder help(String help) {
            this.help = requireNonNull(help, "help is null");
            return this;
        }

        /**
         * @param parts the parts of the state its answers reflect, or that a write through it changes; see
         *     {@link Route#watches()}
         * @return this builder
         */
        public Builder watches(Watch... parts) {
            this.watches = Set.of(parts);
            return this;
        }

        /**
         * Makes a route that watches parts of the state answer a blocking query at once, with their index: for state
         * that can change without the plugin hearing of it, where waiting would miss changes.
         *
         * @return this builder
         */
        public Builder answersAtOnce() {
            this.blocks = false;
            return this;
        }

        /**
         * Serves the route without a credential; see {@link Route#withoutCredential()}.
         *
         * @return this builder
         */
        public Builder withoutCredential() {
            this.withoutCredential = true;
            return this;
        }

        /**
         * @param execution how every request to it runs
         * @param handler what it does
         * @return the route
         */
        public Route runs(Execution execution, Handler handler) {
            requireNonNull(execution, "execution is null");
            return new Route(this, request -> execution, handler);
        }

        /**
         * @param execution how a given request runs (a route whose answer is sometimes in memory)
         * @param handler what it does
         * @return the route
         */
        public Route runs(Function<ApiRequest, Execution> execution, Handler handler) {
            return new Route(this, execution, handler);
        }
    }
}
