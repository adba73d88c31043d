package io.taskapi.benchmarks.soak;

import io.taskapi.benchmarks.load.ProcStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server process's footprint at one moment.
 *
 * @param second seconds since the soak started
 * @param rssKb resident set size ({@code VmRSS})
 * @param threads its threads, the JVM's own included ({@code Threads} in {@code /proc/PID/status})
 * @param fds its open file descriptors
 * @param heapLiveKb heap in use right after a full GC, from the server's last memory line; -1 when unknown
 */
record ProcessSample(long second, long rssKb, long threads, long fds, long heapLiveKb) {
    private static final Pattern HEAP = Pattern.compile("bench: memory phase=run .*\\bheap_used_kb=(\\d+)");

    /**
     * @param pid the server
     * @param second seconds since the soak started
     * @param serverLog the server's stdout, holding its memory lines
     * @return the sample
     * @throws IOException when the process is gone
     */
    static ProcessSample take(long pid, long second, Path serverLog) throws IOException {
        ProcStatus status = ProcStatus.read(Path.of("/proc", Long.toString(pid)));
        return new ProcessSample(second, status.field("VmRSS:"), status.field("Threads:"), status.openDescriptors(),
                lastHeap(serverLog).orElse(-1));
    }

    /**
     * @param other a later reading
     * @return the larger of each figure, at the later time, with the later heap figure
     */
    ProcessSample max(ProcessSample other) {
        return new ProcessSample(other.second, Math.max(rssKb, other.rssKb), Math.max(threads, other.threads),
                Math.max(fds, other.fds), other.heapLiveKb);
    }

    static OptionalLong lastHeap(Path serverLog) throws IOException {
        OptionalLong last = OptionalLong.empty();
        for (String line : Files.readAllLines(serverLog)) {
            Matcher m = HEAP.matcher(line);
            if (m.find()) {
                last = OptionalLong.of(Long.parseLong(m.group(1)));
            }
        }
        return last;
    }
}
