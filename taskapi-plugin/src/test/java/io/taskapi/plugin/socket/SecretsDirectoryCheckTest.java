package io.taskapi.plugin.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.plugin.os.PosixProcess;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real directories, real modes: which secrets directories the plugin refuses to place a socket in. */
final class SecretsDirectoryCheckTest {
    private final SecretsDirectoryCheck check = new SecretsDirectoryCheck(PosixProcess.effectiveUid());

    @TempDir
    Path tmp;

    @Test
    void aDirectoryOnlyRootAndTheAgentCanChangeIsAccepted() throws IOException {
        Path secrets = dirs("alloc/a1/web/secrets", "rwxr-xr-x");

        assertThatCode(() -> check.check(secrets)).doesNotThrowAnyException();
    }

    @Test
    void aWorldWritableSecretsDirectoryIsRefused() throws IOException {
        Path secrets = dirs("alloc/a1/web/secrets", "rwxr-xr-x");
        mode(secrets, "rwxrwxrwx");

        assertUnsafe(() -> check.check(secrets), secrets, "it (directory uid=");
    }

    @Test
    void aGroupWritableSecretsDirectoryIsRefused() throws IOException {
        Path secrets = dirs("alloc/a1/web/secrets", "rwxr-xr-x");
        mode(secrets, "rwxrwxr-x");

        assertUnsafe(() -> check.check(secrets), secrets, "writable by its group or by everyone");
    }

    @Test
    void aWritableParentIsRefusedByName() throws IOException {
        Path secrets = dirs("alloc/a1/web/secrets", "rwxr-xr-x");
        Path alloc = tmp.resolve("alloc");
        mode(alloc, "rwxrwxrwx");

        assertUnsafe(() -> check.check(secrets), alloc, "the directory above it " + alloc);
    }

    @Test
    void aStickyWritableParentIsAccepted() throws IOException {
        Path secrets = dirs("shared/a1/secrets", "rwxr-xr-x");
        Path shared = tmp.resolve("shared");
        Files.setAttribute(shared, "unix:mode", 01777); // as /tmp: nobody renames what someone else made
        assertThat((Integer) Files.getAttribute(shared, "unix:mode") & 07777).isEqualTo(01777);

        assertThatCode(() -> check.check(secrets)).doesNotThrowAnyException();
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        assumeTrue(PosixProcess.effectiveUid() == 0, "only root can give a directory away");
        Path secrets = dirs("alloc/a1/web/secrets", "rwxr-xr-x");
        Path task = secrets.getParent();
        Files.setAttribute(task, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertUnsafe(() -> check.check(secrets), task, "is owned by uid 65534");
    }

    @Test
    void aSymlinkOnTheWayIsFollowedAndItsTargetChecked() throws IOException {
        Path real = dirs("real/secrets", "rwxr-xr-x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("real"));
        Path secrets = link.resolve("secrets");
        assertThatCode(() -> check.check(secrets)).doesNotThrowAnyException();

        mode(real.getParent(), "rwxrwxrwx");

        assertUnsafe(() -> check.check(secrets), real.getParent(), "writable by its group or by everyone");
    }

    @Test
    void aLinkInsideALinksTargetIsCheckedWithTheDirectoryItLiesIn() throws IOException {
        // link -> ww/c/d, and c -> safe: resolving link's whole target at once would land in safe/d and never look
        // at ww, where anyone could swap c for a link of their own between the check and the placement.
        dirs("safe/d/secrets", "rwxr-xr-x");
        Path ww = dirs("ww", "rwxr-xr-x");
        Files.createSymbolicLink(ww.resolve("c"), tmp.resolve("safe"));
        mode(ww, "rwxrwxrwx");
        Path secrets = Files.createSymbolicLink(tmp.resolve("link"), ww.resolve("c/d")).resolve("secrets");

        assertUnsafe(() -> check.check(secrets), ww, "writable by its group or by everyone");
    }

    @Test
    void aRelativeLinkIsResolvedAgainstItsOwnDirectory() throws IOException {
        dirs("real/secrets", "rwxr-xr-x");
        Path secrets = Files.createSymbolicLink(tmp.resolve("link"), Path.of("real")).resolve("secrets");

        assertThatCode(() -> check.check(secrets)).doesNotThrowAnyException();
    }

    @Test
    void aLinkThatClimbsWithDotDotIsRefused() throws IOException {
        Path nested = dirs("a/b", "rwxr-xr-x");
        dirs("real/secrets", "rwxr-xr-x");
        Path link = Files.createSymbolicLink(nested.resolve("up"), Path.of("../../real"));
        Path secrets = link.resolve("secrets");

        assertUnsafe(() -> check.check(secrets), link, "climbs with '..'");
    }

    @Test
    void aLinkLoopIsRefused() throws IOException {
        Path one = tmp.resolve("one");
        Files.createSymbolicLink(one, tmp.resolve("two"));
        Files.createSymbolicLink(tmp.resolve("two"), one);

        // The kernel gives up on the loop (ELOOP) before the check counts its links: refused all the same.
        assertThatThrownBy(() -> check.check(one.resolve("secrets")))
                .isInstanceOfSatisfying(SocketUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_DIRECTORY))
                .hasMessageContaining("cannot check");
    }

    private static void assertUnsafe(ThrowingCallable call, Path culprit, String why) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(SocketUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_DIRECTORY))
                .hasMessageContaining(culprit.toString())
                .hasMessageContaining(why)
                .hasMessageContaining("race");
    }

    private Path dirs(String relative, String mode) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(relative));
        for (Path p = dir; !p.equals(tmp); p = p.getParent()) {
            mode(p, mode);
        }
        return dir;
    }

    private static void mode(Path dir, String mode) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    }
}
