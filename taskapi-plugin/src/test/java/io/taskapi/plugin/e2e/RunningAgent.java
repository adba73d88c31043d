package io.taskapi.plugin.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AgentProcess} in its own JVM, for restart and crash tests. Its output is copied to the test's output,
 * line by line with the agent's pid, for as long as it runs: an agent whose output nobody reads blocks on a full pipe
 * at its next log line. When a request to it times out, {@link #diagnose} adds the agent's thread dump to the test's
 * output, so that a stall seen once in CI can be explained.
 */
final class RunningAgent implements AutoCloseable {
    private final Process process;

    private RunningAgent(Process process) {
        this.process = process;
    }

    /**
     * Starts an agent and returns once it prints {@code ready}.
     *
     * @param arguments {@link AgentProcess}'s arguments
     * @return the running agent
     */
    static RunningAgent start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentProcess.class.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        RunningAgent agent = new RunningAgent(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            agent.echo(line);
        }
        if (line == null) {
            agent.close();
            throw new IOException("the agent ended before it was ready (exit " + process.exitValue() + ")");
        }
        Thread copier = new Thread(() -> copyRest(agent, out), "agent-" + process.pid() + "-output");
        copier.setDaemon(true);
        copier.start();
        return agent;
    }

    /**
     * Runs one exchange with the agent; when it times out, prints the agent's threads first.
     *
     * @param exchange the request
     * @return its result
     */
    <T> T diagnose(Exchange<T> exchange) throws IOException {
        try {
            return exchange.run();
        } catch (SocketTimeoutException e) {
            System.out.println("[agent " + process.pid() + "] no answer in time; its threads:\n" + threadDump());
            throw e;
        }
    }

    /** Ends the agent as {@code kill -TERM} would and waits for it. */
    void terminate() throws InterruptedException {
        process.toHandle().destroy();
        awaitExit();
    }

    /** Ends the agent as {@code kill -9} would and waits for it. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("agent " + process.pid() + " did not exit within 20 s");
        }
    }

    private String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    private void echo(String line) {
        System.out.println("[agent " + process.pid() + "] " + line);
    }

    private static void copyRest(RunningAgent agent, BufferedReader out) {
        try (out) {
            String line;
            while ((line = out.readLine()) != null) {
                agent.echo(line);
            }
        } catch (IOException e) {
            agent.echo("(output no longer readable: " + e + ")");
        }
    }

    /** One request to the agent. */
    @FunctionalInterface
    interface Exchange<T> {
        T run() throws IOException;
    }
}
