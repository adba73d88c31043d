package io.taskapi.testing;

/**
 * What a {@link TestingTaskDriver} task does, in place of a process: it runs on its own daemon thread and its return
 * value is the exit code.
 *
 * <pre>{@code
 * TaskBody callsTheApi = task -> {
 *     HttpResponse response = task.client().get("/v1/client/metadata").token(task.environment().get("NOMAD_TOKEN")).send();
 *     return response.status() == 200 ? 0 : 1;
 * };
 * TaskBody runsUntilStopped = task -> { task.awaitStop(); return 0; };
 * }</pre>
 */
@FunctionalInterface
public interface TaskBody {
    /**
     * Runs the task.
     *
     * @param task the task's environment, socket and a client for it
     * @return the exit code
     * @throws Exception to fail the task: exit code 1, and the exception is kept for
     *     {@link TestingRunningTask#failure()} (unless a stop had killed the task already)
     */
    int run(TaskContext task) throws Exception;
}
