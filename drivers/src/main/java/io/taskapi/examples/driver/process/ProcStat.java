package io.taskapi.examples.driver.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process as Linux's {@code /proc/<pid>/stat} shows it: what the supervisor's bookkeeping needs to recognise a
 * process again in another agent process.
 *
 * <p>The start time is the kernel's own, in clock ticks since boot, not {@link ProcessHandle.Info#startInstant()}: the
 * JDK turns the ticks into an instant with {@code /proc/stat}'s boot time, which moves when the wall clock is stepped
 * (NTP at boot), so the same process could show another instant to the agent after its restart. The ticks never
 * change, and with the boot id they name one process for good: a reused pid has another start.
 *
 * @param pid the process id
 * @param state the state letter ({@code R}, {@code S}, {@code Z}...)
 * @param parentPid its parent's process id
 * @param session the session id (the supervisor's pid for every process of a supervised task)
 * @param startTicks when it started, in clock ticks since boot
 */
record ProcStat(long pid, char state, long parentPid, long session, long startTicks) {
    private static final Path PROC = Path.of("/proc");

    /**
     * @param pid a process id
     * @return the process, when there is one with that pid (a zombie included)
     */
    static Optional<ProcStat> read(long pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        // pid (comm) state ppid pgrp session ... starttime is field 22; comm may hold spaces and ')'.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(end + 2).split(" ");
        try {
            return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]),
                    Long.parseLong(fields[3]), Long.parseLong(fields[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param pid a process id
     * @param startTicks the start it had when it was recorded
     * @return whether that very process still runs (not ended, not a zombie waiting for its parent)
     */
    static boolean isRunning(long pid, long startTicks) {
        return read(pid).filter(p -> p.startTicks == startTicks && p.isRunning()).isPresent();
    }

    /** @return whether it has not ended: a zombie has ended, only its parent has not reaped it yet */
    boolean isRunning() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /** @return every process on the host now */
    static List<ProcStat> all() {
        List<ProcStat> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    read(Long.parseLong(name)).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return all;
    }

    /** @return this boot's id: pids and start ticks mean nothing across a reboot */
    static String bootId() {
        try {
            return Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the boot id: " + e.getMessage(), e);
        }
    }
}
