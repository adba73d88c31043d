package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.jobspec.GroupSpec;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.TaskDriver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places and runs jobs on this one node: {@code count} allocations per group, every task of a group in each, no
 * restarts. A batch job's allocation ends when its tasks have exited; from then on the plugin refuses its identities.
 * Registering a job again stops its live allocations and places new ones (a destructive update).
 */
public final class JobScheduler implements AutoCloseable {
    /** How long a task may take to end after it is asked to stop, before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    private final DriverCatalog drivers;
    private final AllocationStore allocations;
    private final WorkloadIdentitySigner signer;
    private final LocalNodeRegistry node;
    private final AgentDataDir dataDir;
    private final String region;
    private final DeferredTaskApi sockets;
    private final Clock clock;
    private final ExecutorService executor;
    private final AtomicLong index = new AtomicLong();
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, List<TaskRunner>> runners = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param drivers the drivers tasks run with
     * @param allocations where allocations are recorded (and the plugin reads their liveness)
     * @param signer signs each task's workload identity
     * @param node this node
     * @param dataDir where task directories go
     * @param region the agent's region
     * @param sockets the Task API, which drivers ask for sockets
     * @param clock the time
     */
    public JobScheduler(DriverCatalog drivers, AllocationStore allocations, WorkloadIdentitySigner signer,
                        LocalNodeRegistry node, AgentDataDir dataDir, String region, DeferredTaskApi sockets,
                        Clock clock) {
        this.drivers = requireNonNull(drivers, "drivers is null");
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.node = requireNonNull(node, "node is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.region = requireNonNull(region, "region is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.clock = requireNonNull(clock, "clock is null");
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "taskapi-task-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(factory);
    }

    /**
     * A registered job and its current allocations.
     *
     * @param spec the job
     * @param createIndex the index of its first registration
     * @param modifyIndex the index of its last change
     * @param submitTime when it was last registered
     * @param stopped whether it was stopped
     * @param allocationIds its allocations since the last registration
     */
    public record JobRecord(JobSpec spec, long createIndex, long modifyIndex, Instant submitTime, boolean stopped,
                            List<String> allocationIds) {
        /** Copies the list. */
        public JobRecord {
            requireNonNull(spec, "spec is null");
            requireNonNull(submitTime, "submitTime is null");
            allocationIds = List.copyOf(allocationIds);
        }
    }

    /**
     * The answer to a registration or a stop.
     *
     * @param evalId an id standing in for Nomad's evaluation
     * @param index the index of the change
     * @param allocationIds the allocations placed (none for a stop)
     */
    public record Result(String evalId, long index, List<String> allocationIds) {
        /** Copies the list. */
        public Result {
            allocationIds = List.copyOf(allocationIds);
        }
    }

    /** A job this node cannot run; the message says why and is safe to show. */
    public static final class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedException(String message) {
            super(message);
        }
    }

    /**
     * Checks a job against this node, then places and starts its allocations.
     *
     * @param job the job
     * @return the allocations placed
     * @throws RejectedException when a driver, a datacenter, a user or a variable does not exist here
     */
    public Result register(JobSpec job) throws RejectedException {
        requireNonNull(job, "job is null");
        check(job);
        List<Allocation> placed = new ArrayList<>();
        List<String> previous;
        long modifyIndex;
        synchronized (this) {
            if (closed) {
                throw new RejectedException("the agent is shutting down");
            }
            String key = key(job.namespace(), job.id());
            JobRecord old = jobs.get(key);
            previous = old == null ? List.of() : old.allocationIds();
            modifyIndex = index.incrementAndGet();
            for (GroupSpec group : job.groups()) {
                for (int i = 0; i < group.count(); i++) {
                    Allocation allocation = new Allocation(UUID.randomUUID().toString(),
                            job.id() + "." + group.name() + "[" + i + "]", job.namespace(), job.id(), group.name(),
                            modifyIndex, node.localNodeId(), node.node().name(),
                            group.tasks().stream().map(TaskSpec::name).toList(), clock);
                    allocations.add(allocation);
                    placed.add(allocation);
                }
            }
            jobs.put(key, new JobRecord(job, old == null ? modifyIndex : old.createIndex(), modifyIndex,
                    clock.instant(), false, placed.stream().map(Allocation::id).toList()));
        }
        stopAllocations(previous);
        for (Allocation allocation : placed) {
            start(job, allocation);
        }
        LOG.info("job {} (namespace {}) registered: {} allocation(s)", job.id(), job.namespace(), placed.size());
        return new Result(UUID.randomUUID().toString(), modifyIndex, placed.stream().map(Allocation::id).toList());
    }

    /**
     * Stops a job's allocations (their tasks get {@link #STOP_GRACE} to end) and marks it stopped.
     *
     * @param namespace the namespace
     * @param jobId the job
     * @return the result, or empty when there is no such job
     */
    public Optional<Result> stop(String namespace, String jobId) {
        List<String> ids;
        long modifyIndex;
        synchronized (this) {
            JobRecord job = jobs.get(key(namespace, jobId));
            if (job == null) {
                return Optional.empty();
            }
            modifyIndex = index.incrementAndGet();
            ids = job.allocationIds();
            jobs.put(key(namespace, jobId), new JobRecord(job.spec(), job.createIndex(), modifyIndex, job.submitTime(),
                    true, ids));
        }
        stopAllocations(ids);
        LOG.info("job {} (namespace {}) stopped", jobId, namespace);
        return Optional.of(new Result(UUID.randomUUID().toString(), modifyIndex, List.of()));
    }

    /**
     * @param namespace a namespace
     * @return its jobs, by id
     */
    public synchronized List<JobRecord> list(String namespace) {
        return jobs.values().stream().filter(j -> j.spec().namespace().equals(namespace))
                .sorted(Comparator.comparing(j -> j.spec().id())).toList();
    }

    /**
     * @param namespace a namespace
     * @param jobId a job id
     * @return the job
     */
    public synchronized Optional<JobRecord> find(String namespace, String jobId) {
        return Optional.ofNullable(jobs.get(key(namespace, jobId)));
    }

    /**
     * @param job a job
     * @param full the whole job (for {@code GET /v1/job/:id}) or the list stub
     * @return its JSON, in Nomad's shape, with {@code Status} computed from its allocations
     */
    public ObjectNode toJson(JobRecord job, boolean full) {
        ObjectNode out = full ? JobJson.write(job.spec()) : JobJson.write(job.spec()).retain("ID", "Name",
                "Namespace", "Type", "Datacenters");
        out.put("Status", status(job));
        out.put("Stop", job.stopped());
        out.put("CreateIndex", job.createIndex());
        out.put("ModifyIndex", job.modifyIndex());
        out.put("JobModifyIndex", job.modifyIndex());
        out.put("SubmitTime", ChronoUnit.NANOS.between(Instant.EPOCH, job.submitTime()));
        return out;
    }

    /** Stops every task (each gets the grace period), then lets the task threads go. */
    @Override
    public void close() {
        List<String> ids;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ids = new ArrayList<>(runners.keySet());
        }
        stopAllocations(ids);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("some tasks did not end in time");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private String status(JobRecord job) {
        List<Allocation> current = job.allocationIds().stream().map(allocations::find).flatMap(Optional::stream)
                .toList();
        if (current.stream().anyMatch(a -> !a.clientStatus().terminal())) {
            return current.stream().anyMatch(a -> a.clientStatus() == Allocation.ClientStatus.RUNNING) ? "running"
                    : "pending";
        }
        return "dead";
    }

    private void check(JobSpec job) throws RejectedException {
        String dc = node.node().datacenter();
        if (job.datacenters().stream().noneMatch(pattern -> glob(pattern, dc))) {
            throw new RejectedException("no node in datacenters " + job.datacenters() + ": this node is in \"" + dc
                    + "\"");
        }
        for (GroupSpec group : job.groups()) {
            for (TaskSpec task : group.tasks()) {
                String where = "group \"" + group.name() + "\" task \"" + task.name() + "\": ";
                Optional<TaskDriver> driver = drivers.find(task.driver());
                if (driver.isEmpty()) {
                    throw new RejectedException(where + "no driver \"" + task.driver() + "\" on this node (it has "
                            + drivers.names() + ")");
                }
                if (task.user().isPresent()) {
                    try {
                        TaskDirLayout.lookup(task.user().get());
                    } catch (IOException e) {
                        throw new RejectedException(where + "no user \"" + task.user().get() + "\" on this node");
                    }
                }
                // Interpolate once with stand-in values, so an unknown variable is a 400 now, not a failed task later.
                TaskRef ref = new TaskRef("00000000-0000-0000-0000-000000000000", job.namespace(), job.id(),
                        group.name(), task.name());
                TaskEnvironment env = TaskEnvironment.build(job, task, ref, 0,
                        TaskDirLayout.of(dataDir.allocDir().resolve(ref.allocationId()), task.name()),
                        driver.get().isolation(), dc,
                        task.identity().env() ? Optional.of("placeholder") : Optional.empty(),
                        node.interpolationVariables(region));
                try {
                    env.interpolateConfig(task.config());
                } catch (TaskEnvironment.InterpolationException e) {
                    throw new RejectedException(where + e.getMessage()
                            + (e.getMessage().contains("NOMAD_TOKEN") ? "; NOMAD_TOKEN needs identity { env = true }"
                            : ""));
                }
            }
        }
    }

    private void start(JobSpec job, Allocation allocation) {
        GroupSpec group = job.groups().stream().filter(g -> g.name().equals(allocation.group())).findFirst()
                .orElseThrow();
        int allocIndex = Integer.parseInt(allocation.name().substring(allocation.name().lastIndexOf('[') + 1,
                allocation.name().length() - 1));
        List<TaskRunner> taskRunners = new ArrayList<>();
        for (TaskSpec task : group.tasks()) {
            TaskDriver driver = drivers.find(task.driver()).orElseThrow();
            taskRunners.add(new TaskRunner(job, task, allocIndex, allocation, driver,
                    TaskDirLayout.of(dataDir.allocDir().resolve(allocation.id()), task.name()), signer, sockets,
                    node.node().datacenter(), node.interpolationVariables(region)));
        }
        synchronized (this) {
            runners.put(allocation.id(), taskRunners);
        }
        for (TaskRunner runner : taskRunners) {
            executor.execute(() -> {
                Allocation.ClientStatus status = runner.run();
                if (status.terminal()) {
                    synchronized (this) {
                        runners.remove(allocation.id());
                    }
                    LOG.info("allocation {} is {}", allocation.id(), status.wire());
                    allocations.ended(allocation.id());
                }
            });
        }
    }

    private void stopAllocations(List<String> ids) {
        List<Future<?>> stopping = new ArrayList<>();
        for (String id : ids) {
            List<TaskRunner> taskRunners;
            synchronized (this) {
                taskRunners = runners.getOrDefault(id, List.of());
            }
            allocations.find(id).ifPresent(Allocation::requestStop);
            for (TaskRunner runner : taskRunners) {
                stopping.add(executor.submit(() -> runner.stop(STOP_GRACE)));
            }
        }
        for (Future<?> future : stopping) {
            try {
                future.get(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("a task did not stop cleanly: {}", e.getClass().getSimpleName());
            }
        }
    }

    private static String key(String namespace, String jobId) {
        return namespace + "\0" + jobId;
    }

    /** Nomad's datacenter patterns: {@code *} matches any run of characters. */
    static boolean glob(String pattern, String value) {
        String regex = java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .reduce((a, b) -> a + ".*" + b).orElse("");
        return value.matches(regex);
    }
}
