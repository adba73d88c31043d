package io.taskapi.examples.driver.process;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every process of a supervised task: the supervisor starts it with {@code setsid}, so the task, its children and
 * their children share the session whose id is the supervisor's pid, even after they are reparented to init when
 * their parent ends. (Without cgroups this is the closest to Nomad's "kill the cgroup": a process that calls
 * {@code setsid} itself leaves the session, and is reached only while it is a descendant of the task.)
 *
 * <p>A session id cannot be reused while any process of the session lives, so a member is the task's. The one thing
 * checked besides: a live leader with that pid but another start is a new session that reused the number.
 */
final class TaskSession {
    private static final Duration POLL = Duration.ofMillis(10);

    private TaskSession() {}

    /**
     * SIGKILLs the task's processes, until none runs (a process may fork while it is being killed).
     *
     * @param record the task
     * @param includeSupervisor whether the supervisor goes too; without it, the supervisor sees its task die and
     *     records the exit code (137)
     * @param timeout how long the processes may take to die
     * @return how many processes were killed
     * @throws IllegalStateException when some still run after the timeout
     */
    static int kill(SupervisorRecord record, boolean includeSupervisor, Duration timeout) {
        if (!record.boot().equals(ProcStat.bootId())) {
            return 0;    // the host rebooted since: nothing of the task runs
        }
        int killed = 0;
        // The main process first: killing a child first could let it end by itself (a shell's wait returns 0).
        // A descendant that left the session is reached while the task is alive.
        if (record.taskStart() >= 0 && ProcStat.isRunning(record.taskPid(), record.taskStart())) {
            Optional<ProcessHandle> main = ProcessHandle.of(record.taskPid());
            List<ProcessHandle> descendants = main.map(h -> h.descendants().toList()).orElse(List.of());
            killed += main.isPresent() && main.get().destroyForcibly() ? 1 : 0;
            for (ProcessHandle descendant : descendants) {
                killed += descendant.destroyForcibly() ? 1 : 0;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ProcStat> members = members(record, includeSupervisor);
            if (members.isEmpty()) {
                return killed;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(members.size() + " process(es) of the task (session "
                        + record.supervisorPid() + ") still run " + timeout.toSeconds() + "s after SIGKILL");
            }
            for (ProcStat member : members) {
                // ProcessHandle checks the start time it saw, so a pid reused since the scan is not hit.
                Optional<ProcessHandle> handle = ProcessHandle.of(member.pid());
                if (handle.isPresent() && handle.get().destroyForcibly()) {
                    killed++;
                }
            }
            try {
                Thread.sleep(POLL.toMillis());    // SIGKILL is delivered asynchronously
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing the task's processes", e);
            }
        }
    }

    /** @return the task's processes that run now (zombies have ended: only their parent has not reaped them) */
    static List<ProcStat> members(SupervisorRecord record, boolean includeSupervisor) {
        long session = record.supervisorPid();
        Optional<ProcStat> leader = ProcStat.read(session);
        if (leader.isPresent() && leader.get().startTicks() != record.supervisorStart()) {
            return List.of();
        }
        // Without the supervisor, also without its own helpers: once the task has ended, the supervisor records the
        // exit code through a child (mv) that must not be killed as one of the task's processes. The task's own
        // processes are the task and its descendants, never the supervisor's other children.
        return ProcStat.all().stream()
                .filter(p -> p.session() == session && p.isRunning() && p.startTicks() >= record.supervisorStart())
                .filter(p -> includeSupervisor || (p.pid() != session && (p.parentPid() != session
                        || p.pid() == record.taskPid())))
                .toList();
    }
}
