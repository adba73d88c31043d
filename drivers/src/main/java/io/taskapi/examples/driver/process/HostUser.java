package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskDriverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A host user a task runs as, resolved with {@code getent passwd} so that NSS sources (LDAP, sssd) count, as they do
 * for the Task API when it gives the socket to the user.
 *
 * @param name the user's name
 * @param uid the user's id
 * @param gid the user's primary group id
 */
public record HostUser(String name, int uid, int gid) {
    private static final long GETENT_TIMEOUT_SECONDS = 10;

    /**
     * @param name see the record component of that name
     * @param uid see the record component of that name
     * @param gid see the record component of that name
     */
    public HostUser {
        requireNonNull(name, "name is null");
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("negative uid or gid");
        }
    }

    /**
     * @param driver the driver's name, for messages
     * @param user a user name or a numeric uid, as a job's {@code user} holds it
     * @return the user
     * @throws TaskDriverException when the user does not exist or {@code getent} cannot be run
     */
    public static HostUser resolve(String driver, String user) throws TaskDriverException {
        requireNonNull(user, "user is null");
        // getent takes the name as an argument; a leading '-' would be an option, ':' or a newline would confuse the
        // parse below. Nomad's user names never hold them.
        if (user.isBlank() || user.startsWith("-") || user.chars().anyMatch(c -> c == ':' || Character.isISOControl(c)
                || Character.isWhitespace(c))) {
            throw new TaskDriverException("driver " + driver + ": invalid user name '" + user + "'");
        }
        String line;
        int exit;
        try {
            Process getent = new ProcessBuilder("getent", "passwd", "--", user)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!getent.waitFor(GETENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                getent.destroyForcibly();
                throw new TaskDriverException("driver " + driver + ": getent passwd did not answer for user '" + user
                        + "'");
            }
            exit = getent.exitValue();
        } catch (IOException e) {
            throw new TaskDriverException("driver " + driver + ": cannot run getent to resolve user '" + user + "': "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskDriverException("driver " + driver + ": interrupted resolving user '" + user + "'", e);
        }
        if (exit == 2 || line.isEmpty()) {
            throw new TaskDriverException("driver " + driver + ": unknown user '" + user + "' on this host");
        }
        if (exit != 0) {
            throw new TaskDriverException("driver " + driver + ": getent passwd failed with exit code " + exit
                    + " for user '" + user + "'");
        }
        // name:password:uid:gid:gecos:home:shell; with several lines (a duplicated entry) the first wins, as for libc.
        String[] fields = line.lines().findFirst().orElse("").split(":", -1);
        if (fields.length < 4) {
            throw new TaskDriverException("driver " + driver + ": cannot parse the passwd entry of user '" + user
                    + "'");
        }
        try {
            return new HostUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
        } catch (IllegalArgumentException e) {
            throw new TaskDriverException("driver " + driver + ": cannot parse the passwd entry of user '" + user
                    + "'", e);
        }
    }
}
