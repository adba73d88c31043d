package io.taskapi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./taskapi …} as a person runs it: each command its own process through {@code Main}'s real {@code main}
 * (picocli's writers, {@code System.exit}), from the repository's root, with no {@code NOMAD_*} variable of the
 * caller's environment but the ones given.
 */
public final class TaskapiProcesses {
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /**
     * What a command printed and how it ended.
     *
     * @param code its exit code
     * @param out its standard output
     * @param err its standard error
     */
    public record Result(int code, String out, String err) {}

    private TaskapiProcesses() {
    }

    /** Runs a command that must succeed: exit 0, nothing on stderr. */
    public static Result ok(Map<String, String> env, String... args) {
        Result result = run(env, args);
        assertThat(result.code()).as("exit code of taskapi %s\nstdout:\n%s\nstderr:\n%s", String.join(" ", args),
                result.out(), result.err()).isZero();
        assertThat(result.err()).as("stderr of taskapi %s", String.join(" ", args)).isEmpty();
        return result;
    }

    /** Runs a command to its end (at most 120 s) with nothing on its stdin. */
    public static Result run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    /** Runs a command to its end (at most 120 s) with this on its stdin. */
    public static Result runWithInput(Map<String, String> env, String stdin, String... args) {
        try {
            Process process = start(env, args);
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("taskapi " + String.join(" ", args) + " did not exit in 120s");
            }
            return new Result(process.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Process start(Map<String, String> env, String... args) throws IOException {
        return command(env, args).start();
    }

    /** @return {@code java -cp … io.taskapi.examples.cli.Main ARGS}: what {@code ./taskapi ARGS} runs */
    public static ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("NOMAD_"));
        builder.environment().putAll(env);
        return builder;
    }

    /** Reads a process's stdout up to the line that starts with this, returns what it read, drains the rest. */
    public static String awaitLine(Process agent, String prefix) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            text.append(line).append('\n');
            if (line.startsWith(prefix)) {
                // The rest of stdout is drained so that the agent never blocks on a full pipe.
                Thread rest = new Thread(() -> {
                    try {
                        lines.lines().forEach(ignored -> { });
                    } catch (UncheckedIOException e) {
                        // the agent has exited: its stdout is closed
                    }
                }, "agent-stdout");
                rest.setDaemon(true);
                rest.start();
                return text.toString();
            }
        }
        throw new IllegalStateException("the agent exited before \"" + prefix + "\"; stdout:\n" + text);
    }

    /** @return the secret of a new management token, from {@code taskapi acl bootstrap}'s output */
    public static String bootstrap(Map<String, String> env) {
        return ok(env, "acl", "bootstrap").out().lines().filter(l -> l.startsWith("Secret ID")).findFirst()
                .orElseThrow().split("\\s+")[3];
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
