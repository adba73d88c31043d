package io.taskapi.plugin.socket;

import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The precondition of socket placement, enforced: a task's socket is bound, chowned and linked by name inside its
 * secrets directory, so a user who could rename entries there, or in any directory above it, could race those steps
 * with a symbolic link and make the agent act on a file of its choosing. Nomad makes its secrets directory 0777; the
 * plugin refuses such a directory (fails closed) instead of warning.
 *
 * <p>Every directory from the secrets directory up to {@code /} must be owned by a trusted user and not be group- or
 * world-writable, unless it is sticky (as {@code /tmp} is: there nobody can rename what someone else made). Trusted
 * users are root and the agent's own effective uid: an agent that does not run as root (a developer's machine, a
 * test) makes its directories as itself, and a task never runs as the agent's uid. A symbolic link on the way must be
 * owned by a trusted user, and its target is walked the same way, one link at a time, so that every link and every
 * directory crossed on the way is checked (resolving a whole target at once would skip the links inside it). A
 * target that climbs with {@code ..} is refused: its parents are not the directories it names.
 */
final class SecretsDirectoryCheck {
    private static final int ROOT_UID = 0;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    /** As the kernel's ELOOP limit: more links than this on one path is a loop or an attack. */
    private static final int MAX_LINKS = 40;

    private final int agentUid;

    /** @param agentUid the agent's effective uid, trusted like root */
    SecretsDirectoryCheck(int agentUid) {
        this.agentUid = agentUid;
    }

    /**
     * @param secretsDir the task's secrets directory, absolute and normalized
     * @throws SocketUnavailableException ({@link Reason#UNSAFE_DIRECTORY}) naming the first directory that others
     *     could change, and why
     */
    void check(Path secretsDir) throws SocketUnavailableException {
        checkChain(secretsDir, secretsDir, new HashSet<>(), 0);
    }

    private void checkChain(Path secretsDir, Path start, Set<Path> seen, int links)
            throws SocketUnavailableException {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (!seen.add(dir)) {
                return; // checked already, with everything above it
            }
            FileStat stat = stat(secretsDir, dir);
            if (stat.uid() != ROOT_UID && stat.uid() != agentUid) {
                throw unsafe(secretsDir, dir, stat, "is owned by uid " + stat.uid() + ", who could rename its entries;"
                        + " it must be owned by root" + (agentUid == ROOT_UID ? "" : " or the agent (uid " + agentUid
                        + ")"));
            }
            if (stat.isSymbolicLink()) {
                if (links >= MAX_LINKS) {
                    throw new SocketUnavailableException(Reason.INVALID_REQUEST, "more than " + MAX_LINKS
                            + " symbolic links on the way to the secrets directory " + secretsDir);
                }
                checkChain(secretsDir, target(secretsDir, dir), seen, links + 1);
                continue;
            }
            if ((stat.mode() & GROUP_OR_OTHER_WRITE) != 0 && (stat.mode() & STICKY) == 0) {
                throw unsafe(secretsDir, dir, stat, "is writable by its group or by everyone and not sticky, so"
                        + " others could rename its entries; remove group and other write (chmod go-w) or set the"
                        + " sticky bit");
            }
        }
    }

    private static FileStat stat(Path secretsDir, Path dir) throws SocketUnavailableException {
        Optional<FileStat> stat;
        try {
            stat = FileStat.of(dir);
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.UNSAFE_DIRECTORY, "cannot check " + dir + " above the"
                    + " secrets directory " + secretsDir + ": " + e.getMessage(), e);
        }
        return stat.orElseThrow(() -> new SocketUnavailableException(Reason.INVALID_REQUEST,
                dir + " (on the way to the secrets directory " + secretsDir + ") does not exist"));
    }

    /** @return the link's target, one hop, relative targets resolved against the link's directory */
    private static Path target(Path secretsDir, Path link) throws SocketUnavailableException {
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.INVALID_REQUEST, "cannot read the symbolic link " + link
                    + " on the way to the secrets directory " + secretsDir + ": " + e.getMessage(), e);
        }
        for (Path name : target) {
            if (name.toString().equals("..")) {
                throw new SocketUnavailableException(Reason.UNSAFE_DIRECTORY, "refusing to place the task socket in "
                        + secretsDir + ": the symbolic link " + link + " on the way climbs with '..' (" + target
                        + "), so the directories it crosses cannot be checked and a task could race the socket's"
                        + " placement there; link to the directory itself");
            }
        }
        return link.getParent().resolve(target);
    }

    private static SocketUnavailableException unsafe(Path secretsDir, Path dir, FileStat stat, String why) {
        return new SocketUnavailableException(Reason.UNSAFE_DIRECTORY, "refusing to place the task socket in "
                + secretsDir + ": " + (dir.equals(secretsDir) ? "it" : "the directory above it " + dir) + " ("
                + stat.describe() + ") " + why + "; otherwise a task could race the socket's placement");
    }
}
