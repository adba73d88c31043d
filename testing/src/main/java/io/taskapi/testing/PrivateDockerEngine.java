package io.taskapi.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Docker engine for the real-engine tests: a {@code dockerd} of its own (Debian's {@code docker.io}, which
 * {@code .ci/install-test-deps} installs), started as root with its own data root, exec root, socket and pid file
 * under a temporary directory, no iptables and no bridge (nothing on the host's network changes), overlay2 or, where
 * that fails, vfs. It imports a local image with no registry: the host's {@code sh}, {@code cat}, {@code sleep} and
 * {@code curl} with their libraries ({@code ldd}), curl only on the image's own {@code PATH}
 * ({@value #TOOLS_DIR}) and as its entrypoint, tagged as the seed job's image.
 *
 * <p>Skipped (an assumption, with the reason) when the tests do not run as root or {@code dockerd} is not installed.
 */
public final class PrivateDockerEngine implements BeforeAllCallback, AfterAllCallback {
    /** The seed job's image, which this engine has without pulling it. */
    public static final String IMAGE = "curlimages/curl:7.87.0";
    /** The same image under a bare name: {@code :latest}. */
    public static final String UNTAGGED_IMAGE = "taskapi-test/curl";
    /** Where curl is in the image: on the image's PATH, not on a host's. */
    public static final String TOOLS_DIR = "/opt/curl/bin";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> DOCKERD_PLACES = List.of("/usr/sbin/dockerd", "/usr/bin/dockerd");

    private Path dir;
    private Path dockerd;
    private String storageDriver;
    private Process process;

    /** An engine started by {@link #beforeAll}: register it with {@code @RegisterExtension}. */
    public PrivateDockerEngine() {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(isRoot(), "a private dockerd needs root; run the tests as root to test against a real engine");
        Optional<Path> found = DOCKERD_PLACES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "no dockerd (Debian's docker.io, which .ci/install-test-deps installs) at "
                + DOCKERD_PLACES);
        dockerd = found.get();
        dir = Files.createTempDirectory(Path.of("/tmp"), "dockerd");   // short: the socket path has a limit
        for (String driver : List.of("overlay2", "vfs")) {
            storageDriver = driver;
            if (start()) {
                break;
            }
        }
        assumeTrue(process != null && process.isAlive(), "dockerd did not start; its log: " + log());
        importImage();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return;
        }
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    /** @return the engine's socket */
    public Path socket() {
        return dir.resolve("docker.sock");
    }

    /** @return {@code unix://} and the socket, as the plugin config's {@code endpoint} */
    public String endpoint() {
        return "unix://" + socket();
    }

    /**
     * Starts the engine (again: the same data root, so it finds its containers).
     *
     * @return whether it answers
     */
    public boolean start() throws IOException, InterruptedException {
        Files.deleteIfExists(socket());
        ProcessBuilder builder = new ProcessBuilder(dockerd.toString(),
                "--storage-driver", storageDriver, "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--host", "unix://" + socket(), "--pidfile", dir.resolve("docker.pid").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log")
                        .toFile()));
        Process started = builder.start();
        process = started;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (started.isAlive() && !answers() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (started.isAlive() && answers()) {
            return true;
        }
        stop();
        return false;
    }

    /** Stops the engine as an operator would (SIGTERM): it stops its containers first. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** @return whether it answers a ping */
    public boolean answers() {
        if (!Files.exists(socket())) {
            return false;
        }
        try (UnixHttpClient client = client()) {
            return client.get("/_ping").send().status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the ids of the containers the engine has, running or not */
    public List<String> containers() throws IOException {
        try (UnixHttpClient client = client()) {
            HttpResponse answer = client.get("/containers/json?all=1").send();
            List<String> ids = new ArrayList<>();
            answer.json().forEach(container -> ids.add(container.path("Id").asText()));
            return ids;
        }
    }

    /** @return the engine's log so far */
    public String log() {
        try {
            return Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    private UnixHttpClient client() {
        return UnixHttpClient.at(socket()).timeout(Duration.ofSeconds(60));
    }

    /** {@code POST /images/create?fromSrc=-}: a root file system as a tar, with the image's PATH and entrypoint. */
    private void importImage() throws IOException, InterruptedException {
        Path root = dir.resolve("rootfs");
        for (String program : List.of("sh", "cat", "sleep", "curl")) {
            Path host = hostProgram(program);
            String inImage = program.equals("curl") ? TOOLS_DIR + "/curl" : "/bin/" + program;
            copy(host, root.resolve(inImage.substring(1)));
            for (Path library : libraries(host)) {
                copy(library, root.resolve(library.toString().substring(1)));
            }
        }
        Path tar = dir.resolve("rootfs.tar");
        run("tar", "-C", root.toString(), "-cf", tar.toString(), ".");
        String changes = "&changes=" + encode("ENV PATH=" + TOOLS_DIR + ":/bin")
                + "&changes=" + encode("ENTRYPOINT [\"curl\"]");
        for (String reference : List.of(IMAGE, UNTAGGED_IMAGE + ":latest")) {
            int colon = reference.lastIndexOf(':');
            try (UnixHttpClient client = client()) {
                HttpResponse answer = client.request("POST", "/images/create?fromSrc=-&repo="
                        + encode(reference.substring(0, colon)) + "&tag=" + encode(reference.substring(colon + 1))
                        + changes).header("Content-Type", "application/x-tar").body(Files.readAllBytes(tar)).send();
                if (answer.status() != 200 || answer.body().contains("\"error\"")) {
                    throw new IOException("docker import: " + answer);
                }
            }
        }
    }

    private static Path hostProgram(String name) throws IOException {
        for (String place : List.of("/usr/bin/", "/bin/")) {
            Path program = Path.of(place + name);
            if (Files.isExecutable(program)) {
                return program.toRealPath();
            }
        }
        throw new IOException("no " + name + " on this host");
    }

    private static final Pattern LIBRARY = Pattern.compile("(/\\S+)");

    /** @return the shared libraries {@code ldd} names for a program, the loader among them */
    private static Set<Path> libraries(Path program) throws IOException, InterruptedException {
        Set<Path> libraries = new LinkedHashSet<>();
        for (String line : run("ldd", program.toString()).split("\n")) {
            Matcher matcher = LIBRARY.matcher(line);
            if (matcher.find()) {
                libraries.add(Path.of(matcher.group(1)));
            }
        }
        return libraries;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);    // follows links: the file itself
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new InterruptedIOException(String.join(" ", command) + " did not end");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
