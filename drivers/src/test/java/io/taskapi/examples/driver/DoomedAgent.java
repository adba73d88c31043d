package io.taskapi.examples.driver;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.examples.driver.exec.ExecDriver;
import io.taskapi.examples.driver.java.JavaDriver;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.testing.TestTask;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An agent that starts one task and then dies by SIGKILL: a JVM of its own, so that the task really loses the process
 * that started it (its supervisor is reparented, nothing in the test's JVM watches it). What it does with the socket is
 * a stand-in (the test's Task API opens the real one when the task is recovered); what it prints is the task's handle.
 */
public final class DoomedAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLE_LINE = "HANDLE ";

    private DoomedAgent() {}

    /**
     * Starts the task in a new JVM, takes its handle, kills that JVM with SIGKILL and waits until it has gone.
     *
     * @param driver {@code exec} or {@code java}
     * @param task the task
     * @param config its config block
     * @param user its user
     * @return the handle the agent would have stored
     */
    public static TaskHandle startThenDie(String driver, TestTask task, Map<String, Object> config,
                                          Optional<String> user) throws Exception {
        TaskRef ref = task.ref();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), DoomedAgent.class.getName(), driver,
                task.taskDir().toString(), task.secretsDir().toString(), JSON.writeValueAsString(List.of(
                        ref.allocationId(), ref.namespace(), ref.jobId(), ref.group(), ref.taskName())),
                JSON.writeValueAsString(config), user.orElse("")));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        TaskHandle handle;
        try {
            handle = readHandle(agent);
        } catch (Exception | AssertionError e) {
            agent.destroyForcibly();
            throw e;
        }
        agent.destroyForcibly();    // SIGKILL: no shutdown hook, no stop of its tasks
        if (!agent.waitFor(20, SECONDS)) {
            throw new AssertionError("the doomed agent did not die");
        }
        return handle;
    }

    private static TaskHandle readHandle(Process agent) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith(HANDLE_LINE)) {
                JsonNode handle = JSON.readTree(line.substring(HANDLE_LINE.length()));
                Map<String, String> state = new TreeMap<>();
                handle.path("state").properties().forEach(field -> state.put(field.getKey(),
                        field.getValue().asText()));
                return TaskHandle.of(handle.path("driver").asText(), handle.path("version").asInt(), state);
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the doomed agent gave no handle:\n" + seen);
    }

    /**
     * The agent: starts the task, prints its handle, waits to be killed.
     *
     * @param args driver, task dir, secrets dir, task ref (a JSON list), config (a JSON map), user or ""
     */
    public static void main(String[] args) throws Exception {
        TaskDriver driver = "java".equals(args[0]) ? new JavaDriver() : new ExecDriver();
        Path secretsDir = Path.of(args[2]);
        List<String> ref = new ArrayList<>();
        JSON.readTree(args[3]).forEach(node -> ref.add(node.asText()));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = JSON.readValue(args[4], Map.class);
        Path socket = secretsDir.resolve(TestTask.SOCKET_NAME);
        TaskLaunch launch = TaskLaunch.builder(new TaskRef(ref.get(0), ref.get(1), ref.get(2), ref.get(3), ref.get(4)))
                .taskDir(Path.of(args[1])).secretsDir(secretsDir).config(config)
                .environment(Map.of("NOMAD_TASK_NAME", ref.get(4)))
                .user(args[5].isEmpty() ? Optional.empty() : Optional.of(args[5]))
                .sockets(request -> SocketMount.of(socket, socket, Map.of("NOMAD_SECRETS_DIR", secretsDir.toString(),
                        "NOMAD_UNIX_ADDR", "unix://" + socket)))
                .build();
        RunningTask running = driver.start(launch);
        TaskHandle handle = running.handle().orElseThrow();
        System.out.println(HANDLE_LINE + JSON.writeValueAsString(Map.of("driver", handle.driver(), "version",
                handle.version(), "state", handle.state())));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
