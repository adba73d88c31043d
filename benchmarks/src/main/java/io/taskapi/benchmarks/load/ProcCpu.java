package io.taskapi.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU time from Linux's {@code /proc}: a process's user + system time ({@code /proc/PID/stat}, all its threads), and
 * the whole machine's busy time ({@code /proc/stat}). In clock ticks of {@link #TICKS_PER_SECOND}.
 */
public final class ProcCpu {
    /** USER_HZ: what {@code /proc} counts in on every mainstream Linux architecture. */
    public static final int TICKS_PER_SECOND = 100;
    // Fields after "pid (comm) ": state is field 3, utime 14 and stime 15 (proc(5)).
    private static final int UTIME_AFTER_COMM = 14 - 3;
    private static final int STIME_AFTER_COMM = 15 - 3;

    private ProcCpu() {}

    /**
     * @param pid a process
     * @return its user + system ticks and those of its live descendants (nginx's workers are its master's children),
     *     or empty when it is gone
     */
    public static OptionalLong processTreeTicks(long pid) {
        OptionalLong own = processTicks(pid);
        if (own.isEmpty()) {
            return own;
        }
        long sum = own.getAsLong();
        List<ProcessHandle> children = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
        for (ProcessHandle child : children) {
            sum += processTicks(child.pid()).orElse(0);
        }
        return OptionalLong.of(sum);
    }

    /** @return this process's user + system ticks */
    public static long selfTicks() {
        return processTicks(ProcessHandle.current().pid()).orElse(0);
    }

    /**
     * @param pid a process
     * @return its user + system ticks, all threads, or empty when it is gone
     */
    static OptionalLong processTicks(long pid) {
        try {
            return OptionalLong.of(parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** @return ticks every CPU of the machine spent not idle (user, nice, system, irq, softirq, steal) */
    public static long machineBusyTicks() {
        try {
            return parseMachine(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | IndexOutOfBoundsException e) {
            return 0;
        }
    }

    static long parseStat(String stat) {
        // comm may hold spaces and parentheses: the fields start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
    }

    static long parseMachine(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat");
        }
        long busy = 0;
        // user nice system idle iowait irq softirq steal: all but idle (4) and iowait (5); guest is within user.
        for (int i = 1; i <= 8 && i < f.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }
}
