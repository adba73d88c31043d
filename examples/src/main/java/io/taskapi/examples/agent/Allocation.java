package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One allocation: a group's tasks placed on this node, and how they are doing. Thread-safe; {@link #toJson()} is a
 * consistent snapshot in Nomad's shape ({@code ClientStatus}, {@code DesiredStatus}, {@code TaskStates} with their
 * events), plus each task's {@code ExitCode}.
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

    private final String id;
    private final String name;
    private final String namespace;
    private final String jobId;
    private final String group;
    private final long jobVersion;
    private final String nodeId;
    private final String nodeName;
    private final Clock clock;
    private final Instant createTime;
    private final Map<String, TaskStatus> tasks = new LinkedHashMap<>();
    private Instant modifyTime;
    private boolean stopRequested;
    private ClientStatus clientStatus = ClientStatus.PENDING;

    /**
     * @param id the allocation id (a UUID)
     * @param name {@code job.group[index]}
     * @param namespace the job's namespace
     * @param jobId the job
     * @param group the task group
     * @param jobVersion the job's modify index when it was placed
     * @param nodeId this node
     * @param nodeName this node's name
     * @param taskNames the group's tasks, in order
     * @param clock the time events are stamped with
     */
    public Allocation(String id, String name, String namespace, String jobId, String group, long jobVersion,
                      String nodeId, String nodeName, List<String> taskNames, Clock clock) {
        this.id = requireNonNull(id, "id is null");
        this.name = requireNonNull(name, "name is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.group = requireNonNull(group, "group is null");
        this.jobVersion = jobVersion;
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.createTime = clock.instant();
        this.modifyTime = createTime;
        for (String task : taskNames) {
            TaskStatus status = new TaskStatus();
            status.event("Received", "Task received by client", createTime, OptionalInt.empty());
            tasks.put(task, status);
        }
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
    }

    /**
     * @param task a task whose process now runs
     */
    public synchronized void started(String task) {
        TaskStatus status = status(task);
        status.state = "running";
        status.startedAt = clock.instant();
        status.event("Started", "Task started by client", status.startedAt, OptionalInt.empty());
        update();
    }

    /**
     * @param task a task that ended
     * @param exitCode its exit code
     * @param killed whether it had to be killed
     * @return the allocation's status afterwards
     */
    public synchronized ClientStatus exited(String task, int exitCode, boolean killed) {
        TaskStatus status = status(task);
        status.exitCode = exitCode;
        // A task the operator stopped did not fail, however it ended (Nomad: "complete" on job stop).
        status.failed = !stopRequested && (exitCode != 0 || killed);
        status.event(killed ? "Killed" : "Terminated", killed ? "Task killed" : "Exit Code: " + exitCode,
                clock.instant(), OptionalInt.of(exitCode));
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
    }

    /** @return a consistent snapshot in Nomad's shape */
    public synchronized ObjectNode toJson() {
        ObjectNode out = NODES.objectNode();
        out.put("ID", id);
        out.put("Name", name);
        out.put("Namespace", namespace);
        out.put("NodeID", nodeId);
        out.put("NodeName", nodeName);
        out.put("JobID", jobId);
        out.put("JobVersion", jobVersion);
        out.put("TaskGroup", group);
        out.put("DesiredStatus", stopRequested ? "stop" : "run");
        out.put("ClientStatus", clientStatus.wire());
        out.put("CreateTime", nanos(createTime));
        out.put("ModifyTime", nanos(modifyTime));
        ObjectNode states = out.putObject("TaskStates");
        tasks.forEach((task, status) -> states.set(task, status.toJson()));
        return out;
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
        return clientStatus;
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

    /** One task's state, guarded by the allocation's lock. */
    private static final class TaskStatus {
        private String state = "pending";
        private boolean failed;
        private Integer exitCode;
        private Instant startedAt;
        private Instant finishedAt;
        private final List<ObjectNode> events = new ArrayList<>();

        void event(String type, String message, Instant time, OptionalInt exitCode) {
            ObjectNode event = NODES.objectNode();
            event.put("Type", type);
            event.put("Time", nanos(time));
            event.put("DisplayMessage", message);
            exitCode.ifPresent(code -> event.put("ExitCode", code));
            events.add(event);
        }

        ObjectNode toJson() {
            ObjectNode out = NODES.objectNode();
            out.put("State", state);
            out.put("Failed", failed);
            if (exitCode == null) {
                out.putNull("ExitCode");
            } else {
                out.put("ExitCode", exitCode);
            }
            out.put("StartedAt", startedAt == null ? null : startedAt.toString());
            out.put("FinishedAt", finishedAt == null ? null : finishedAt.toString());
            ArrayNode list = out.putArray("Events");
            events.forEach(e -> list.add(e.deepCopy()));
            return out;
        }
    }
}
