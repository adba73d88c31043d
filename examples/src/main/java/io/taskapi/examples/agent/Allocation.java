package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.driver.TaskHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One allocation: a group's tasks placed on this node, and how they are doing. Thread-safe; {@link #toJson()} is a
 * consistent snapshot in Nomad's shape ({@code ClientStatus}, {@code DesiredStatus}, {@code TaskStates} with their
 * events and {@code Restarts}), plus each task's {@code ExitCode}.
 *
 * <p>Every change is handed to a journal, under the allocation's lock and before the method returns, as a
 * {@link #record()}: the API's shape plus each running task's driver handle. {@link #restore} reads one back after an
 * agent restart.
 *
 * <p>Every change after its creation also takes the next number of the agent's {@link StateIndex} (its
 * {@code ModifyIndex}), so that blocking queries of the job and allocation routes wake on it; its creation is
 * numbered by the registration that placed it ({@code CreateIndex}).
 */
public final class Allocation {
    /** Nomad's client statuses; the last two are terminal. */
    public enum ClientStatus {
        /** Not every task has started yet. */
        PENDING,
        /** Some task runs. */
        RUNNING,
        /** Every task ended, none failed. */
        COMPLETE,
        /** Every task ended, one failed (a non-zero exit, a kill, or no start). */
        FAILED;

        /** @return the status as the API writes it */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @return whether the allocation is over */
        public boolean terminal() {
            return this == COMPLETE || this == FAILED;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Events kept per task, Nomad's number. */
    private static final int MAX_EVENTS = 10;

    private final String id;
    private final String evalId;
    private final String name;
    private final String namespace;
    private final String jobId;
    private final String group;
    private final long jobVersion;
    private final String nodeId;
    private final String nodeName;
    private final Clock clock;
    private final Consumer<JsonNode> journal;
    private final StateIndex index;
    private final Instant createTime;
    private final long createIndex;
    private long modifyIndex;
    private long allocModifyIndex;
    private final Map<String, TaskStatus> tasks = new LinkedHashMap<>();
    private Instant modifyTime;
    private boolean stopRequested;
    private ClientStatus clientStatus = ClientStatus.PENDING;

    /**
     * @param id the allocation id (a UUID)
     * @param evalId the evaluation that placed it
     * @param name {@code job.group[index]}
     * @param namespace the job's namespace
     * @param jobId the job
     * @param group the task group
     * @param jobVersion the job's version it runs
     * @param createIndex the state index of the placement that creates it (its {@code CreateIndex})
     * @param nodeId this node
     * @param nodeName this node's name
     * @param taskNames the group's tasks, in order
     * @param clock the time events are stamped with
     * @param journal gets every change, as a {@link #record()}, before the change is visible to callers; it throws
     *     (an {@link java.io.UncheckedIOException}) when it cannot keep it
     * @param index numbers every change after this creation (which {@code createIndex} numbers)
     */
    public Allocation(String id, String evalId, String name, String namespace, String jobId, String group,
                      long jobVersion, long createIndex, String nodeId, String nodeName, List<String> taskNames,
                      Clock clock, Consumer<JsonNode> journal, StateIndex index) {
        this.id = requireNonNull(id, "id is null");
        this.evalId = requireNonNull(evalId, "evalId is null");
        this.name = requireNonNull(name, "name is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.group = requireNonNull(group, "group is null");
        this.jobVersion = jobVersion;
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.index = requireNonNull(index, "index is null");
        this.createTime = clock.instant();
        this.modifyTime = createTime;
        this.createIndex = createIndex;
        this.modifyIndex = createIndex;
        this.allocModifyIndex = createIndex;
        for (String task : taskNames) {
            TaskStatus status = new TaskStatus();
            status.event("Received", "Task received by client", createTime, OptionalInt.empty());
            tasks.put(task, status);
        }
        journal.accept(record());
    }

    private Allocation(JsonNode record, Clock clock, Consumer<JsonNode> journal, StateIndex index) {
        this.id = record.path("ID").asText();
        this.evalId = record.path("EvalID").asText(""); // "" in a record written before allocations named it
        this.name = record.path("Name").asText();
        this.namespace = record.path("Namespace").asText();
        this.jobId = record.path("JobID").asText();
        this.group = record.path("TaskGroup").asText();
        this.jobVersion = record.path("JobVersion").asLong();
        this.nodeId = record.path("NodeID").asText();
        this.nodeName = record.path("NodeName").asText();
        this.clock = clock;
        this.journal = journal;
        this.index = index;
        // Records written before allocations had indexes: 1, below every change.
        this.createIndex = record.path("CreateIndex").asLong(1);
        this.modifyIndex = record.path("ModifyIndex").asLong(createIndex);
        this.allocModifyIndex = record.path("AllocModifyIndex").asLong(createIndex);
        this.createTime = instant(record.path("CreateTime").asLong());
        this.modifyTime = instant(record.path("ModifyTime").asLong());
        this.stopRequested = "stop".equals(record.path("DesiredStatus").asText());
        this.clientStatus = ClientStatus.valueOf(record.path("ClientStatus").asText().toUpperCase(
                java.util.Locale.ROOT));
        record.path("TaskStates").properties().forEach(task -> tasks.put(task.getKey(),
                TaskStatus.restore(task.getValue())));
        if (id.isEmpty() || tasks.isEmpty()) {
            throw new IllegalArgumentException("not an allocation record: no ID or no TaskStates");
        }
    }

    /**
     * Reads an allocation back from its {@link #record()}.
     *
     * @param record what the journal got last
     * @param clock the time new events are stamped with
     * @param journal gets every change from now on
     * @param index numbers every change from now on
     * @return the allocation, as it was
     * @throws IllegalArgumentException when the record is not one
     */
    public static Allocation restore(JsonNode record, Clock clock, Consumer<JsonNode> journal, StateIndex index) {
        return new Allocation(requireNonNull(record, "record is null"), requireNonNull(clock, "clock is null"),
                requireNonNull(journal, "journal is null"), requireNonNull(index, "index is null"));
    }

    /** @return the evaluation that placed it ({@code ""} when its record predates the field) */
    public String evalId() {
        return evalId;
    }

    /** @return the node it runs on */
    public String nodeId() {
        return nodeId;
    }

    /** @return the group's tasks, in order */
    public synchronized List<String> taskNames() {
        return List.copyOf(tasks.keySet());
    }

    /** @return the id */
    public String id() {
        return id;
    }

    /** @return the namespace */
    public String namespace() {
        return namespace;
    }

    /** @return the job id */
    public String jobId() {
        return jobId;
    }

    /** @return the group */
    public String group() {
        return group;
    }

    /** @return {@code job.group[index]} */
    public String name() {
        return name;
    }

    /** @return the index of its last change ({@code ModifyIndex}) */
    public synchronized long modifyIndex() {
        return modifyIndex;
    }

    /** @return the current client status */
    public synchronized ClientStatus clientStatus() {
        return clientStatus;
    }

    /** @return whether a stop was asked for */
    public synchronized boolean stopRequested() {
        return stopRequested;
    }

    /** @return the exit code of each task that has one */
    public synchronized Map<String, Integer> exitCodes() {
        Map<String, Integer> codes = new LinkedHashMap<>();
        tasks.forEach((task, status) -> {
            if (status.exitCode != null) {
                codes.put(task, status.exitCode);
            }
        });
        return codes;
    }

    /**
     * Records an event on a task, as Nomad's task events do.
     *
     * @param task the task
     * @param type the event type, for example {@code Task Setup}
     * @param message what happened (never a secret)
     */
    public synchronized void event(String task, String type, String message) {
        status(task).event(type, message, clock.instant(), OptionalInt.empty());
        modifyTime = clock.instant();
        changed();
    }

    /**
     * Records that a task runs, with what its driver needs to find it again; on disk before this returns.
     *
     * @param task a task whose process now runs
     * @param handle its driver's handle, or empty when the task cannot be recovered after an agent restart
     */
    public synchronized void started(String task, Optional<TaskHandle> handle) {
        TaskStatus status = status(task);
        status.state = "running";
        status.startedAt = clock.instant();
        status.handle = handle.orElse(null);
        status.event("Started", "Task started by client", status.startedAt, OptionalInt.empty());
        update();
    }

    /**
     * @param task a running task its driver found again after the agent restarted
     * @param handle its handle now
     */
    public synchronized void recovered(String task, Optional<TaskHandle> handle) {
        TaskStatus status = status(task);
        status.handle = handle.orElse(null);
        status.event("Recovered", "Task recovered after the agent restarted", clock.instant(), OptionalInt.empty());
        update();
    }

    /**
     * @param task a task that ended and will be started again
     * @param exitCode its exit code
     * @param killed whether it had to be killed
     * @param message when and why it restarts, for the {@code Restarting} event
     */
    public synchronized void restarting(String task, int exitCode, boolean killed, String message) {
        TaskStatus status = status(task);
        terminated(status, exitCode, killed);
        status.state = "pending";
        status.handle = null;
        status.restarts++;
        status.lastRestart = clock.instant();
        status.event("Restarting", message, clock.instant(), OptionalInt.empty());
        update();
    }

    /** @return the handle of each task that runs and has one */
    public synchronized Map<String, TaskHandle> handles() {
        Map<String, TaskHandle> handles = new LinkedHashMap<>();
        tasks.forEach((task, status) -> {
            if (status.handle != null && status.state.equals("running")) {
                handles.put(task, status.handle);
            }
        });
        return handles;
    }

    /**
     * @param task a task
     * @return its state: {@code pending}, {@code running} or {@code dead}
     */
    public synchronized String state(String task) {
        return status(task).state;
    }

    /**
     * @param task a task that ended
     * @param exitCode its exit code
     * @param killed whether it had to be killed
     * @return the allocation's status afterwards
     */
    public synchronized ClientStatus exited(String task, int exitCode, boolean killed) {
        return exited(task, exitCode, killed, Optional.empty());
    }

    /**
     * @param task a task that ended for good
     * @param exitCode its exit code
     * @param killed whether it had to be killed
     * @param notRestarting why it is not started again, for a {@code Not Restarting} event
     * @return the allocation's status afterwards
     */
    public synchronized ClientStatus exited(String task, int exitCode, boolean killed,
                                            Optional<String> notRestarting) {
        TaskStatus status = status(task);
        terminated(status, exitCode, killed);
        // A task the operator stopped did not fail, however it ended (Nomad: "complete" on job stop).
        status.failed = !stopRequested && (exitCode != 0 || killed);
        notRestarting.ifPresent(message -> status.event("Not Restarting", message, clock.instant(),
                OptionalInt.empty()));
        finish(status);
        return update();
    }

    /**
     * @param task a task the agent had running before it restarted and cannot find again
     * @param message why (shown to the operator; never a secret)
     * @return the allocation's status afterwards
     */
    public synchronized ClientStatus recoveryFailed(String task, String message) {
        TaskStatus status = status(task);
        status.failed = true;
        status.event("Failed Recovery", message, clock.instant(), OptionalInt.empty());
        finish(status);
        return update();
    }

    /**
     * @param task a task that could not start
     * @param message why (shown to the operator; never a secret)
     * @return the allocation's status afterwards
     */
    public synchronized ClientStatus failedToStart(String task, String message) {
        TaskStatus status = status(task);
        // Not starting because the allocation is being stopped is not a failure.
        status.failed = !stopRequested;
        status.event(stopRequested ? "Killed" : "Driver Failure", message, clock.instant(), OptionalInt.empty());
        finish(status);
        return update();
    }

    /** Marks the allocation as asked to stop (desired status {@code stop}). */
    public synchronized void requestStop() {
        stopRequested = true;
        modifyTime = clock.instant();
        changed(true);
    }

    /** @return a consistent snapshot in Nomad's shape */
    public synchronized ObjectNode toJson() {
        return toJson(false);
    }

    /** @return what the journal keeps: {@link #toJson()} plus each task's driver handle */
    public synchronized ObjectNode record() {
        return toJson(true);
    }

    private ObjectNode toJson(boolean withHandles) {
        ObjectNode out = NODES.objectNode();
        out.put("ID", id);
        out.put("EvalID", evalId);
        out.put("Name", name);
        out.put("Namespace", namespace);
        out.put("NodeID", nodeId);
        out.put("NodeName", nodeName);
        out.put("JobID", jobId);
        out.put("JobVersion", jobVersion);
        out.put("TaskGroup", group);
        out.put("DesiredStatus", stopRequested ? "stop" : "run");
        out.put("ClientStatus", clientStatus.wire());
        out.put("CreateIndex", createIndex);
        out.put("ModifyIndex", modifyIndex);
        out.put("AllocModifyIndex", allocModifyIndex);
        out.put("CreateTime", nanos(createTime));
        out.put("ModifyTime", nanos(modifyTime));
        ObjectNode states = out.putObject("TaskStates");
        tasks.forEach((task, status) -> states.set(task, status.toJson(withHandles)));
        return out;
    }

    private void terminated(TaskStatus status, int exitCode, boolean killed) {
        status.exitCode = exitCode;
        status.event(killed ? "Killed" : "Terminated", killed ? "Task killed" : "Exit Code: " + exitCode,
                clock.instant(), OptionalInt.of(exitCode));
    }

    private void finish(TaskStatus status) {
        status.state = "dead";
        status.finishedAt = clock.instant();
    }

    private ClientStatus update() {
        modifyTime = clock.instant();
        boolean allDead = tasks.values().stream().allMatch(s -> s.state.equals("dead"));
        if (allDead) {
            clientStatus = tasks.values().stream().anyMatch(s -> s.failed) ? ClientStatus.FAILED
                    : ClientStatus.COMPLETE;
        } else if (tasks.values().stream().anyMatch(s -> s.state.equals("running"))) {
            clientStatus = ClientStatus.RUNNING;
        }
        changed();
        return clientStatus;
    }

    /**
     * Numbers the change just made with the next state index, keeps it, then reports it: under this allocation's
     * lock, so a query that reads the new index and then this allocation sees the change.
     */
    private void changed() {
        changed(false);
    }

    /** @param desired whether it is a change of what is wanted of the allocation (Nomad's AllocModifyIndex) */
    private void changed(boolean desired) {
        long number = index.reserve();
        try {
            modifyIndex = number;
            if (desired) {
                allocModifyIndex = number;
            }
            journal.accept(record());
        } finally {
            index.release(number);
        }
    }

    private TaskStatus status(String task) {
        TaskStatus status = tasks.get(task);
        if (status == null) {
            throw new IllegalArgumentException("no task " + task + " in allocation " + id);
        }
        return status;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static Instant optionalInstant(JsonNode text) {
        return text.isTextual() ? Instant.parse(text.asText()) : null;
    }

    /** One task's state, guarded by the allocation's lock. */
    private static final class TaskStatus {
        private String state = "pending";
        private boolean failed;
        private Integer exitCode;
        private Instant startedAt;
        private Instant finishedAt;
        private int restarts;
        private Instant lastRestart;
        private TaskHandle handle;
        private final List<ObjectNode> events = new ArrayList<>();

        static TaskStatus restore(JsonNode json) {
            TaskStatus status = new TaskStatus();
            status.state = json.path("State").asText("pending");
            status.failed = json.path("Failed").asBoolean();
            status.exitCode = json.path("ExitCode").isInt() ? json.path("ExitCode").asInt() : null;
            status.startedAt = optionalInstant(json.path("StartedAt"));
            status.finishedAt = optionalInstant(json.path("FinishedAt"));
            status.restarts = json.path("Restarts").asInt();
            status.lastRestart = optionalInstant(json.path("LastRestart"));
            JsonNode handle = json.path("DriverHandle");
            if (handle.isObject()) {
                Map<String, String> state = new LinkedHashMap<>();
                handle.path("State").properties().forEach(e -> state.put(e.getKey(), e.getValue().asText()));
                status.handle = TaskHandle.of(handle.path("Driver").asText(), handle.path("Version").asInt(), state);
            }
            json.path("Events").forEach(event -> status.events.add(((ObjectNode) event).deepCopy()));
            return status;
        }

        void event(String type, String message, Instant time, OptionalInt exitCode) {
            if (events.size() == MAX_EVENTS) {
                events.remove(0); // as Nomad's client keeps a task's latest 10: a crash loop must not grow it
            }
            ObjectNode event = NODES.objectNode();
            event.put("Type", type);
            event.put("Time", nanos(time));
            event.put("DisplayMessage", message);
            exitCode.ifPresent(code -> event.put("ExitCode", code));
            events.add(event);
        }

        ObjectNode toJson(boolean withHandle) {
            ObjectNode out = NODES.objectNode();
            out.put("State", state);
            out.put("Failed", failed);
            out.put("Restarts", restarts);
            out.put("LastRestart", lastRestart == null ? null : lastRestart.toString());
            if (exitCode == null) {
                out.putNull("ExitCode");
            } else {
                out.put("ExitCode", exitCode);
            }
            out.put("StartedAt", startedAt == null ? null : startedAt.toString());
            out.put("FinishedAt", finishedAt == null ? null : finishedAt.toString());
            ArrayNode list = out.putArray("Events");
            events.forEach(e -> list.add(e.deepCopy()));
            if (withHandle && handle != null) {
                ObjectNode driverHandle = out.putObject("DriverHandle");
                driverHandle.put("Driver", handle.driver());
                driverHandle.put("Version", handle.version());
                ObjectNode state = driverHandle.putObject("State");
                handle.state().forEach(state::put);
            }
            return out;
        }
    }
}
