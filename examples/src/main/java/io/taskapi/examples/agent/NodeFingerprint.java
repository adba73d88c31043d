package io.taskapi.examples.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What this machine is, in the attribute names Nomad's fingerprinters use ({@code kernel.name}, {@code cpu.arch}…). */
public final class NodeFingerprint {
    private NodeFingerprint() {}

    /**
     * @param drivers the names of the drivers this agent loaded, each fingerprinted as {@code driver.NAME = "1"}
     * @return the attributes
     */
    public static Map<String, String> attributes(Collection<String> drivers) {
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("kernel.name", System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT));
        attributes.put("kernel.version", System.getProperty("os.version", "unknown"));
        attributes.put("cpu.arch", goArch(System.getProperty("os.arch", "unknown")));
        attributes.put("cpu.numcores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        attributes.put("unique.hostname", hostname());
        attributes.put("unique.network.ip-address", ipAddress());
        memoryBytes().ifPresent(bytes -> attributes.put("memory.totalbytes", Long.toString(bytes)));
        attributes.put("nomad.version", "taskapi-0.1.0");
        Map<String, String> osRelease = osRelease();
        attributes.put("os.name", osRelease.getOrDefault("ID", attributes.get("kernel.name")));
        if (osRelease.containsKey("VERSION_ID")) {
            attributes.put("os.version", osRelease.get("VERSION_ID"));
        }
        for (String driver : drivers) {
            attributes.put("driver." + driver, "1");
        }
        return attributes;
    }

    /** @return this host's name, as {@code unique.hostname} and the default node name */
    public static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** @return this host's address as its name resolves (Nomad's network fingerprint's default-route address) */
    private static String ipAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** @return MemTotal from /proc/meminfo, as Nomad's memory fingerprint reports it */
    private static Optional<Long> memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String kib = line.substring("MemTotal:".length()).replace("kB", "").trim();
                    return Optional.of(Long.parseLong(kib) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no memory attribute, as Nomad without the fingerprint
        }
        return Optional.empty();
    }

    /** Java's names to Go's GOARCH, which Nomad reports. */
    private static String goArch(String javaArch) {
        switch (javaArch) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
                return "arm64";
            case "x86":
            case "i386":
                return "386";
            default:
                return javaArch;
        }
    }

    private static Map<String, String> osRelease() {
        Map<String, String> values = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replace("\"", ""));
                }
            }
        } catch (IOException e) {
            // not Linux, or a minimal image: kernel.name stands in for os.name
        }
        return values;
    }
}
