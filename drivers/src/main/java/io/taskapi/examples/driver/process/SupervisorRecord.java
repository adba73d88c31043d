package io.taskapi.examples.driver.process;

import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What identifies a supervised task for good: the handle's state (version {@value #VERSION}), also kept in the
 * supervisor's directory so that a task can be found and stopped even when the agent lost its copy. Never a secret:
 * pids, start ticks and the boot id.
 *
 * @param boot the boot id when the task started ({@link ProcStat#bootId()})
 * @param supervisorPid the supervisor's pid, also the task's session id
 * @param supervisorStart the supervisor's start, in clock ticks since boot
 * @param taskPid the task's main process
 * @param taskStart its start in clock ticks since boot, or {@code -1} when it had ended before the driver could read it
 *     (it is then never signalled by pid)
 */
record SupervisorRecord(String boot, long supervisorPid, long supervisorStart, long taskPid, long taskStart) {
    /** The handle's format. */
    static final int VERSION = 1;

    private static final String BOOT = "boot";
    private static final String SUPERVISOR_PID = "supervisor.pid";
    private static final String SUPERVISOR_START = "supervisor.start";
    private static final String TASK_PID = "task.pid";
    private static final String TASK_START = "task.start";

    /** @return the state, as a handle and the record file hold it */
    Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put(BOOT, boot);
        state.put(SUPERVISOR_PID, Long.toString(supervisorPid));
        state.put(SUPERVISOR_START, Long.toString(supervisorStart));
        state.put(TASK_PID, Long.toString(taskPid));
        state.put(TASK_START, Long.toString(taskStart));
        return state;
    }

    /** @return the handle the driver gives the agent */
    TaskHandle handle(String driver) {
        return TaskHandle.of(driver, VERSION, state());
    }

    /**
     * @param state a handle's or the record file's state
     * @return the record
     * @throws IllegalArgumentException naming the key that is missing or not a number
     */
    static SupervisorRecord of(Map<String, String> state) {
        return new SupervisorRecord(value(state, BOOT), number(state, SUPERVISOR_PID), number(state, SUPERVISOR_START),
                number(state, TASK_PID), number(state, TASK_START));
    }

    /**
     * @param driver the driver reading it
     * @param handle what the agent kept
     * @return the record
     * @throws TaskDriverException when the handle is another driver's, another version, or incomplete
     */
    static SupervisorRecord of(String driver, TaskHandle handle) throws TaskDriverException {
        if (!handle.driver().equals(driver) || handle.version() != VERSION) {
            throw new TaskDriverException("driver " + driver + ": the task's handle is driver " + handle.driver()
                    + "'s, version " + handle.version() + "; this driver reads its own, version " + VERSION);
        }
        try {
            return of(handle.state());
        } catch (IllegalArgumentException e) {
            throw new TaskDriverException("driver " + driver + ": the task's handle is unreadable: " + e.getMessage(),
                    e);
        }
    }

    private static String value(Map<String, String> state, String key) {
        String value = state.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no '" + key + "'");
        }
        return value;
    }

    private static long number(Map<String, String> state, String key) {
        String value = value(state, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a number", e);
        }
    }
}
