package io.taskapi.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A process's {@code /proc/PID/status} fields and open descriptors (Linux), read once.
 *
 * @param status the lines of {@code status}
 * @param openDescriptors the entries of {@code fd}
 */
public record ProcStatus(List<String> status, long openDescriptors) {
    /** Copies the lines. */
    public ProcStatus {
        status = List.copyOf(status);
    }

    /**
     * @param procDir {@code /proc/PID} or {@code /proc/self}
     * @return what it says now
     * @throws IOException when the process is gone (or this is not Linux)
     */
    public static ProcStatus read(Path procDir) throws IOException {
        List<String> status = Files.readAllLines(procDir.resolve("status"));
        try (Stream<Path> entries = Files.list(procDir.resolve("fd"))) {
            return new ProcStatus(status, entries.count());
        }
    }

    /**
     * @param name a field with its colon, for example {@code VmRSS:}
     * @return its first number (kB for memory fields), or -1 when absent or not a number
     */
    public long field(String name) {
        for (String line : status) {
            if (line.startsWith(name)) {
                try {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
