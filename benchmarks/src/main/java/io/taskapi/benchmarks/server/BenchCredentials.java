package io.taskapi.benchmarks.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the benchmark server accepts, minted when it starts.
 *
 * @param aclSecret the secret of its management ACL token
 * @param jwt the benchmark task's Ed25519 workload identity (may read and write the node's metadata)
 */
public record BenchCredentials(String aclSecret, String jwt) {
    /** The file in the credentials directory that holds {@link #aclSecret()}. */
    public static final String ACL_FILE = "acl";
    /** The file in the credentials directory that holds {@link #jwt()}. */
    public static final String JWT_FILE = "jwt";

    /** Checks that both are there. */
    public BenchCredentials {
        requireNonNull(aclSecret, "aclSecret is null");
        requireNonNull(jwt, "jwt is null");
    }

    /**
     * Writes {@value #ACL_FILE} and {@value #JWT_FILE} into a directory (made if missing), readable by the owner only.
     *
     * @param dir the directory
     * @throws IOException when they cannot be written
     */
    void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve(ACL_FILE), aclSecret);
        write(dir.resolve(JWT_FILE), jwt);
    }

    private static void write(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret);
    }

    /** @return no secrets */
    @Override
    public String toString() {
        return "BenchCredentials[<redacted>]";
    }
}
