package io.taskapi.examples.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command that calls the API shares, with Nomad's names and environment variables: {@code -address}
 * ({@code NOMAD_ADDR}: {@code http://}, {@code https://} or {@code unix://}), {@code -token} ({@code NOMAD_TOKEN}),
 * {@code -namespace} ({@code NOMAD_NAMESPACE}), {@code -ca-cert} ({@code NOMAD_CACERT}), {@code -tls-skip-verify}
 * ({@code NOMAD_SKIP_VERIFY}).
 */
public final class ApiOptions {
    /** Nomad's default address. */
    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:4646";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "-address", paramLabel = "ADDR",
            description = "The agent's address (default: $NOMAD_ADDR or " + DEFAULT_ADDRESS + ").")
    private String address;

    @Option(names = "-token", paramLabel = "TOKEN", description = "The ACL token or workload identity"
            + " (default: $NOMAD_TOKEN). Prefer the variable: a flag shows in the process list.")
    private String token;

    @Option(names = "-namespace", paramLabel = "NS", description = "The namespace (default: $NOMAD_NAMESPACE or"
            + " default).")
    private String namespace;

    @Option(names = "-ca-cert", paramLabel = "FILE", description = "A PEM certificate to trust for https"
            + " (default: $NOMAD_CACERT).")
    private Path caCert;

    @Option(names = "-tls-skip-verify", description = "Do not verify the agent's certificate"
            + " (default: $NOMAD_SKIP_VERIFY).")
    private boolean skipVerify;

    /** @return a client for the address and token these options name */
    public ApiClient client() {
        Map<String, String> env = environment();
        String addr = address != null ? address : env.getOrDefault("NOMAD_ADDR", DEFAULT_ADDRESS);
        Optional<String> secret = Optional.ofNullable(token != null ? token : env.get("NOMAD_TOKEN"));
        Optional<Path> ca = Optional.ofNullable(caCert != null ? caCert
                : env.containsKey("NOMAD_CACERT") ? Path.of(env.get("NOMAD_CACERT")) : null);
        boolean skip = skipVerify || "true".equalsIgnoreCase(env.getOrDefault("NOMAD_SKIP_VERIFY", "false"))
                || "1".equals(env.get("NOMAD_SKIP_VERIFY"));
        return new ApiClient(addr, secret, ca, skip);
    }

    /** @return the namespace to act in */
    public String namespace() {
        return namespace != null ? namespace : environment().getOrDefault("NOMAD_NAMESPACE", "default");
    }

    private Map<String, String> environment() {
        Object root = mixee.root().userObject();
        return root instanceof TaskapiCommand command ? command.environment() : System.getenv();
    }
}
