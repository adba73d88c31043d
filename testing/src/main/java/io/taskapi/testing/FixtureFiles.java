package io.taskapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@link TaskApiExtension}'s files: its short temporary root, task directories, and deleting it all. */
final class FixtureFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> PRIVATE_DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final String ROOT_PREFIX = "taskapi-it-";
    private static final char[] ROOT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private FixtureFiles() {}

    static Path createRoot() {
        Path tmp = Path.of("/tmp");
        Path base = Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder name = new StringBuilder(ROOT_PREFIX);
            for (int i = 0; i < 6; i++) {
                name.append(ROOT_CHARS[RANDOM.nextInt(ROOT_CHARS.length)]);
            }
            Path root = base.resolve(name.toString());
            try {
                Files.createDirectory(root);
                // Set the mode explicitly: the umask could leave it group-writable.
                Files.setPosixFilePermissions(root, DIR_MODE);
                return root;
            } catch (FileAlreadyExistsException e) {
                // try another name
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary root in " + base, e);
            }
        }
        throw new IllegalStateException("cannot find a free temporary root name in " + base);
    }

    /** Makes every missing directory from below {@code top} down to {@code dir}, each 0755 whatever the umask. */
    static void createDirectories(Path top, Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !p.equals(top) && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                continue;   // a concurrent newTask made it
            }
            Files.setPosixFilePermissions(p, DIR_MODE);
        }
    }

    static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            // the original failure matters more
        }
    }

    /** Deletes a tree without following symlinks (the link directory points into it). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path path) throws IOException {
                Files.deleteIfExists(path);
            }
        });
    }

}
