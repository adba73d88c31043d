package io.taskapi.plugin.socket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Looks users up with {@code getent passwd}, so every NSS source the host has (files, LDAP, sssd) counts, with no
 * native code of our own. One short process per socket opened; sockets are opened at task start only.
 *
 * <p>A decimal name is taken as a uid. When the host has no passwd entry for it, the uid is used as it is with its
 * own number as the group: containers commonly run as bare uids.
 */
public final class GetentUserDirectory implements UserDirectory {
    private static final long TIMEOUT_SECONDS = 10;
    private static final int MAX_NAME_LENGTH = 256;
    private static final int NOT_FOUND = 2;

    /** Creates the directory; it has no state. */
    public GetentUserDirectory() {}

    @Override
    public Optional<TaskUser> lookup(String name) throws IOException {
        if (!plausible(name)) {
            // getent would read a leading '-' as an option and ':' cannot occur in a passwd name.
            return Optional.empty();
        }
        Optional<TaskUser> found = getent(name);
        if (found.isEmpty() && isDecimal(name)) {
            long uid = Long.parseLong(name);
            if (uid <= 0xFFFF_FFFEL) {
                return Optional.of(new TaskUser(name, (int) uid, (int) uid));
            }
        }
        return found;
    }

    private static Optional<TaskUser> getent(String name) throws IOException {
        Process process = new ProcessBuilder("getent", "passwd", name)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        int exit;
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("getent passwd did not answer within " + TIMEOUT_SECONDS + "s");
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up a user", e);
        }
        if (exit == NOT_FOUND) {
            return Optional.empty();
        }
        if (exit != 0) {
            throw new IOException("getent passwd failed with exit code " + exit);
        }
        return Optional.of(parse(name, output));
    }

    /** Parses {@code name:password:uid:gid:gecos:home:shell}, the first line only. */
    static TaskUser parse(String name, String output) throws IOException {
        String line = output.lines().findFirst().orElse("");
        String[] fields = line.split(":", -1);
        if (fields.length < 4) {
            throw new IOException("unexpected getent passwd output for user '" + name + "'");
        }
        try {
            long uid = Long.parseLong(fields[2]);
            long gid = Long.parseLong(fields[3]);
            if (uid < 0 || uid > 0xFFFF_FFFFL || gid < 0 || gid > 0xFFFF_FFFFL) {
                throw new IOException("uid or gid out of range for user '" + name + "'");
            }
            // Ids above 2^31 keep their bit pattern; PeerCredentials stores the peer's uid the same way.
            return new TaskUser(name, (int) uid, (int) gid);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected uid or gid in getent passwd output for user '" + name + "'", e);
        }
    }

    private static boolean plausible(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDecimal(String name) {
        if (name.length() > 10) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
