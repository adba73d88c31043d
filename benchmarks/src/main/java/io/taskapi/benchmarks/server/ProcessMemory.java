package io.taskapi.benchmarks.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's memory, from {@code /proc/self/status} (Linux) and the JVM's own counters. */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /**
     * @return one logfmt line: resident set size and its peak (kB, -1 when unknown), heap and non-heap in use (kB),
     *     live threads, open descriptors
     */
    static String line() {
        List<String> status;
        try {
            status = Files.readAllLines(STATUS);
        } catch (IOException e) {
            status = List.of();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        return "vmrss_kb=" + field(status, "VmRSS:") + " vmhwm_kb=" + field(status, "VmHWM:")
                + " heap_used_kb=" + heap.getUsed() / 1024 + " heap_committed_kb=" + heap.getCommitted() / 1024
                + " nonheap_used_kb=" + nonHeap.getUsed() / 1024
                + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount()
                + " fds=" + openDescriptors();
    }

    private static long field(List<String> status, String name) {
        for (String line : status) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static long openDescriptors() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
