package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A version of this SPI, {@code major.minor}. Minor versions only add (a default method, a type); a new major version
 * may break. An SPI of version {@code a.b} can run a plugin built for {@code a.c} when {@code c <= b}.
 *
 * <p>Two readings: {@link #current()} is the SPI actually on the class path, read at run time from the SPI jar;
 * {@link #COMPILED} is a compile-time constant, so the code of a plugin that reads it holds the version it was
 * compiled against.
 */
public final class SpiVersion implements Comparable<SpiVersion> {
    /**
     * This SPI's version as a compile-time constant (javac inlines it into the classes that read it). Equal to
     * {@link #current()} in the jar it comes from.
     */
    public static final String COMPILED = "1.3";

    private static final String RESOURCE = "spi-version";

    private final int major;
    private final int minor;

    private SpiVersion(int major, int minor) {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("a version is two non-negative numbers: " + major + "." + minor);
        }
        this.major = major;
        this.minor = minor;
    }

    /**
     * @param major the major version
     * @param minor the minor version
     * @return the version
     */
    public static SpiVersion of(int major, int minor) {
        return new SpiVersion(major, minor);
    }

    /**
     * @param version {@code major.minor}, for example {@code "1.0"}
     * @return the version
     * @throws IllegalArgumentException when it is not two numbers separated by a dot
     */
    public static SpiVersion parse(String version) {
        requireNonNull(version, "version is null");
        String[] parts = version.strip().split("\\.", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("an SPI version is major.minor, not '" + version + "'");
        }
        try {
            return new SpiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an SPI version is major.minor, not '" + version + "'", e);
        }
    }

    /**
     * @return the version of the SPI on the class path, read from its jar (not from a constant compiled into the
     *     caller)
     * @throws IllegalStateException when the jar has no version resource
     */
    public static SpiVersion current() {
        try (InputStream in = SpiVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the SPI jar has no " + RESOURCE + " resource");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SPI version", e);
        }
    }

    /**
     * Refuses a plugin built for an SPI this one cannot run: a newer minor version, or another major version.
     *
     * @param provider the plugin
     * @throws IllegalStateException saying which versions, when it cannot run
     */
    public static void requireSupported(TaskApiProvider provider) {
        requireNonNull(provider, "provider is null");
        SpiVersion needed = requireNonNull(provider.spiVersion(), "the provider's spiVersion() is null");
        SpiVersion present = current();
        if (!present.supports(needed)) {
            throw new IllegalStateException("the Task API plugin '" + provider.name() + "' ("
                    + provider.getClass().getName() + ") was built for SPI " + needed + ", but the agent's class path "
                    + "has taskapi-driver-spi " + present + "; it needs an SPI " + needed.major + ".x of at least "
                    + needed + " (or a plugin built for " + present + ")");
        }
    }

    /**
     * @param needed the version a plugin was built for
     * @return whether this SPI can run it: same major version, and a minor version at least as new
     */
    public boolean supports(SpiVersion needed) {
        return major == needed.major && minor >= needed.minor;
    }

    /** @return the major version */
    public int major() {
        return major;
    }

    /** @return the minor version */
    public int minor() {
        return minor;
    }

    @Override
    public int compareTo(SpiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpiVersion other && major == other.major && minor == other.minor;
    }

    @Override
    public int hashCode() {
        return major * 31 + minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
