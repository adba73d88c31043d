package io.taskapi.plugin.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about this (the agent's) process that the JDK does not offer directly. */
public final class PosixProcess {
    private PosixProcess() {}

    /**
     * The agent's effective uid: the owner every file it creates gets, and the only owner its private directories may
     * have.
     *
     * @return the effective uid, from {@code /proc/self/status} (Linux), else from the JDK's UnixSystem
     */
    public static int effectiveUid() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("Uid:")) {
                    // Uid: real effective saved filesystem
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return (int) Long.parseLong(ids[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: fall through
        }
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
