package io.taskapi.benchmarks.server;

import io.taskapi.benchmarks.load.ProcStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.List;

/** This process's memory, from {@code /proc/self/status} (Linux) and the JVM's own counters. */
final class ProcessMemory {
    private ProcessMemory() {}

    /**
     * @return one logfmt line: resident set size and its peak (kB, -1 when unknown), heap and non-heap in use (kB),
     *     live threads, open descriptors
     */
    static String line() {
        ProcStatus status;
        try {
            status = ProcStatus.read(Path.of("/proc/self"));
        } catch (IOException e) {
            status = new ProcStatus(List.of(), -1);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        return "vmrss_kb=" + status.field("VmRSS:") + " vmhwm_kb=" + status.field("VmHWM:")
                + " heap_used_kb=" + heap.getUsed() / 1024 + " heap_committed_kb=" + heap.getCommitted() / 1024
                + " nonheap_used_kb=" + nonHeap.getUsed() / 1024
                + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount()
                + " fds=" + status.openDescriptors();
    }
}
