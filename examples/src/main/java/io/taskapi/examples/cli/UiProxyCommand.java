package io.taskapi.examples.cli;

import io.taskapi.examples.agent.AgentCertificate;
import io.taskapi.examples.ui.UiProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskapi ui-proxy}: the web UI over HTTPS, forwarding its API calls to the task socket it runs next to
 * (docs/operators.md, examples/jobs/ui-proxy.hcl). Runs until stopped.
 */
@Command(name = "ui-proxy", mixinStandardHelpOptions = true, description = "Serve the web UI over HTTPS and forward"
        + " its API calls to this task's Task API socket with the browser user's token. Run it as a task.")
public final class UiProxyCommand implements Callable<Integer> {
    @Option(names = "-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8443",
            description = "Where to listen (port 0: any free port; the URL is printed). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "-tls-cert-file", paramLabel = "FILE", description = "The certificate (chain), PEM.")
    Path certFile;

    @Option(names = "-tls-key-file", paramLabel = "FILE", description = "Its private key, PEM.")
    Path keyFile;

    @Option(names = "-dev", description = "Serve a self-signed certificate generated at start (browsers warn).")
    boolean dev;

    @Option(names = "-socket", paramLabel = "PATH", description = "The Task API socket. Default: NOMAD_UNIX_ADDR,"
            + " else $NOMAD_SECRETS_DIR/api.sock.")
    Path socket;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = spec.root().userObject() instanceof TaskapiCommand root ? root.environment()
                : System.getenv();
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || !listen.substring(colon + 1).matches("[0-9]{1,5}")) {
            err.println("Error: -listen must be HOST:PORT, not " + listen);
            return 1;
        }
        String host = listen.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
        Optional<Path> apiSocket = Optional.ofNullable(socket).or(() -> defaultSocket(env));
        if (apiSocket.isEmpty()) {
            err.println("Error: no Task API socket: run the proxy as a task (NOMAD_UNIX_ADDR), or give -socket");
            return 1;
        }
        if (dev == (certFile != null) || (certFile == null) != (keyFile == null)) {
            err.println("Error: give -tls-cert-file and -tls-key-file, or -dev for a self-signed certificate");
            return 1;
        }
        List<Path> generated = new ArrayList<>();
        try {
            if (dev) {
                generated.addAll(devCertificate(env, host));
            }
            UiProxy proxy = UiProxy.start(new UiProxy.Config(host, Integer.parseInt(listen.substring(colon + 1)),
                    dev ? generated.get(0) : certFile, dev ? generated.get(1) : keyFile, apiSocket.get(),
                    () -> ownIdentity(env)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                proxy.close();
                generated.forEach(UiProxyCommand::deleteQuietly);
            }, "ui-proxy-stop"));
            out.println("==> taskapi UI proxy listening on " + proxy.url());
            out.println("    forwarding /v1/ to unix://" + apiSocket.get());
            out.flush();
            proxy.join();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            generated.forEach(UiProxyCommand::deleteQuietly);
            err.println("Error: " + e.getMessage());
            return 1;
        }
    }

    private static Optional<Path> defaultSocket(Map<String, String> env) {
        String addr = env.get("NOMAD_UNIX_ADDR");
        if (addr != null && !addr.isBlank()) {
            return Optional.of(Path.of(addr.replaceFirst("^unix://", "")));
        }
        return Optional.ofNullable(env.get("NOMAD_SECRETS_DIR")).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "api.sock"));
    }

    /**
     * The task's workload identity: {@code NOMAD_TOKEN} ({@code identity { env = true }}), else the file
     * ({@code file = true}), read at each use since the agent may renew it.
     */
    private static Optional<String> ownIdentity(Map<String, String> env) {
        String token = env.get("NOMAD_TOKEN");
        if (token != null && !token.isBlank()) {
            return Optional.of(token.trim());
        }
        String secrets = env.get("NOMAD_SECRETS_DIR");
        if (secrets == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(secrets, "nomad_token"), StandardCharsets.UTF_8).trim())
                    .filter(t -> !t.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** In the task's secrets directory when there is one (private to the task), else a private temporary one. */
    private static List<Path> devCertificate(Map<String, String> env, String host) throws IOException {
        String secrets = env.get("NOMAD_SECRETS_DIR");
        Path dir = secrets != null && Files.isDirectory(Path.of(secrets)) ? Path.of(secrets)
                : Files.createTempDirectory("taskapi-ui-proxy-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!hosts.contains(host) && !host.equals("0.0.0.0") && !host.equals("::")) {
            hosts.add(host);
        }
        AgentCertificate.PemPair pem = AgentCertificate.selfSigned(dir.resolve("ui-proxy.crt"),
                dir.resolve("ui-proxy.key"), "taskapi UI proxy", hosts);
        return List.of(pem.certFile(), pem.keyFile());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
