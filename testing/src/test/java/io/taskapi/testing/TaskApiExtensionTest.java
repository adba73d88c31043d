package io.taskapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.taskapi.spi.AgentContext;
import io.taskapi.spi.SpiVersion;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.testing.FakeTaskApiProvider.FakeTaskApi;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TaskApiExtensionTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder()
            .provider(new FakeTaskApiProvider())
            .config("identity.audience", "nomadproject.io")
            .build();

    @RegisterExtension
    final TaskApiExtension perTest = TaskApiExtension.builder().provider(new FakeTaskApiProvider()).build();

    @TempDir
    Path tmp;

    @Test
    void staticRegistrationRunsOneTaskApiForTheClass() {
        assertThat(API.isRunning()).isTrue();
        FakeTaskApi api = (FakeTaskApi) API.api();
        assertThat(api.closed()).isFalse();
        assertThat(API.provider().name()).isEqualTo("fake");
        assertThat(api.context().config()).containsEntry("identity.audience", "nomadproject.io")
                .containsEntry(TaskApiExtension.LINK_DIR_KEY, API.linkDir().toString());
        assertThat(api.context().state()).isSameAs(API.state().agentState());
    }

    @Test
    void instanceRegistrationRunsAFreshTaskApiPerTest() {
        assertThat(perTest.isRunning()).isTrue();
        assertThat(perTest.root()).isNotEqualTo(API.root());
    }

    @Test
    void rootIsShortAndLinkDirIsPrivate() throws IOException {
        Path root = API.root();

        assertThat(root.getParent()).isEqualTo(Path.of("/tmp"));
        assertThat(root.getFileName().toString()).matches("taskapi-it-[a-z0-9]{6}");
        assertThat(Files.getPosixFilePermissions(root)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(API.linkDir()).isEqualTo(root.resolve("links"));
        assertThat(Files.getPosixFilePermissions(API.linkDir())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(API.config().get(TaskApiExtension.LINK_DIR_KEY).length()).isLessThanOrEqualTo(64);
    }

    @Test
    void stateHoldsTheIssuersKeys() throws Exception {
        assertThat(API.keys().publishedKeys()).containsExactlyElementsOf(API.issuer().verificationKeys());
        assertThat(API.tokens()).isSameAs(API.state().tokens());
        assertThat(API.allocations()).isSameAs(API.state().allocations());
    }

    @Test
    void thePluginGetsEveryInMemoryStoreByDefault() {
        FakeTaskApi api = (FakeTaskApi) API.api();

        assertThat(API.usesEmbeddedStores()).isFalse();
        assertThat(api.context().state().aclTokens()).containsSame(API.tokens());
        assertThat(api.context().state().aclPolicies()).containsSame(API.policies());
        assertThat(api.context().state().nodeMetadata()).containsSame(API.nodeMetadata());
        assertThat(api.context().state().variables()).containsSame(API.variables());
        assertThat(api.context().state().nodes()).isSameAs(API.nodes());
        assertThat(API.nodes().localNode().name()).isEqualTo("test-node");
    }

    @Test
    void dataDirIsUnderTheRootAndLeftForThePluginToMake() {
        assertThat(API.dataDir()).isEqualTo(API.root().resolve("data"));
        assertThat(API.config()).containsEntry(TaskApiExtension.DATA_DIR_KEY, API.dataDir().toString());
        assertThat(((FakeTaskApi) API.api()).context().config())
                .containsEntry(TaskApiExtension.DATA_DIR_KEY, API.dataDir().toString());
        assertThat(API.dataDir()).doesNotExist();   // the fake makes nothing; the real plugin makes it 0700
    }

    @Test
    void callersDataDirIsPassedAsItIs() {
        Path dataDir = tmp.resolve("state");
        try (TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider())
                .config(TaskApiExtension.DATA_DIR_KEY, dataDir.toString()).build()) {
            extension.start();
            assertThat(extension.dataDir()).isEqualTo(dataDir);
            assertThat(extension.config()).containsEntry(TaskApiExtension.DATA_DIR_KEY, dataDir.toString());
        }
    }

    @Test
    void embeddedStoresLeaveTheOptionalStoresOut() {
        try (TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider())
                .embeddedStores().build()) {
            extension.start();
            FakeTaskApi api = (FakeTaskApi) extension.api();

            assertThat(extension.usesEmbeddedStores()).isTrue();
            assertThat(api.context().state()).isSameAs(extension.state().agentStateWithEmbeddedStores());
            assertThat(api.context().state().aclTokens()).isEmpty();
            assertThat(api.context().state().aclPolicies()).isEmpty();
            assertThat(api.context().state().nodeMetadata()).isEmpty();
            assertThat(api.context().state().variables()).isEmpty();
            assertThat(api.context().state().allocations()).isSameAs(extension.allocations());
            assertThat(api.context().state().identityKeys()).isSameAs(extension.keys());
            assertThat(api.context().state().nodes()).isSameAs(extension.nodes());
            assertThat(api.context().config()).containsEntry(TaskApiExtension.DATA_DIR_KEY,
                    extension.root().resolve("data").toString());
            assertThatThrownBy(extension::tokens).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("embeddedStores()").hasMessageContaining("HTTP API");
            assertThatThrownBy(extension::policies).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(extension::nodeMetadata).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(extension::variables).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void newTaskMakesItsDirectoriesAndALiveAllocation() throws Exception {
        TestTask task = API.newTask("web");

        assertThat(task.secretsDir()).isEqualTo(API.root().resolve("alloc").resolve(task.allocationId())
                .resolve("web").resolve("secrets"));
        assertThat(task.taskDir()).isEqualTo(task.secretsDir().getParent());
        assertThat(task.socketPath()).isEqualTo(task.secretsDir().resolve("api.sock"));
        for (Path dir = task.secretsDir(); !dir.equals(API.root()); dir = dir.getParent()) {
            assertThat(Files.getPosixFilePermissions(dir)).as(dir.toString())
                    .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(Files.getOwner(task.secretsDir()).getName()).isEqualTo(System.getProperty("user.name"));
        assertThat(API.allocations().status(task.allocationId())).isEqualTo(AllocationStatus.LIVE);
        assertThat(task.ref()).isEqualTo(new TaskRef(task.allocationId(), "default", "test-job", "test-group", "web"));

        task.markTerminal();
        assertThat(API.allocations().status(task.allocationId())).isEqualTo(AllocationStatus.TERMINAL);
        task.forget();
        assertThat(API.allocations().status(task.allocationId())).isEqualTo(AllocationStatus.UNKNOWN);
        task.markLive();
        assertThat(API.allocations().status(task.allocationId())).isEqualTo(AllocationStatus.LIVE);
    }

    @Test
    void taskSocketAnswersItsClientWithItsIdentity() throws Exception {
        TestTask task = API.newTask("api");
        SocketMount mount = task.openSocket("nobody");

        HttpResponse response = task.client().get("/v1/client/metadata").token(task.identity()).send();

        assertThat(mount.hostPath()).isEqualTo(task.socketPath());
        assertThat(((FakeTaskApi) API.api()).mounts()).extracting(m -> m.request().taskUser())
                .contains(Optional.of("nobody"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("task").asText()).isEqualTo("api");
        assertThat(task.client()).isSameAs(task.client());
        SignedJWT identity = SignedJWT.parse(task.identity());
        assertThat(identity.verify(new RSASSAVerifier((RSAPublicKey) API.issuer().rsaKey().publicKey()))).isTrue();
        assertThat(identity.getJWTClaimsSet().getStringClaim("nomad_allocation_id")).isEqualTo(task.allocationId());
        assertThat(SignedJWT.parse(task.identityBuilder().expiresAt(Duration.ofMinutes(-1)).sign())
                .getJWTClaimsSet().getExpirationTime()).isInThePast();
    }

    @Test
    void newTaskWithCoordinates() {
        TaskRef ref = new TaskRef(UUID.randomUUID().toString(), "prod", "j", "g", "t");

        TestTask task = API.newTask(ref);

        assertThat(task.ref()).isEqualTo(ref);
        assertThat(task.secretsDir()).endsWith(Path.of(ref.allocationId(), "t", "secrets"));
    }

    @Test
    void taskWithLongPathHasExactlyThatLongASocketPathAndStillWorks() throws Exception {
        for (int length : new int[] {108, 109, 300, 301, 302, 1000}) {
            TestTask task = API.taskWithLongPath(length);

            assertThat(task.socketPath().toString()).hasSize(length);
            task.openSocket();
            assertThat(task.client().connectPath()).isNotEqualTo(task.socketPath());
            assertThat(task.client().get("/").token("x").send().status()).as("length " + length).isEqualTo(200);
        }
        assertThatThrownBy(() -> API.taskWithLongPath(20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least");
    }

    @Test
    void testTaskLaunchesWithTheTestingDriver() throws Exception {
        TestTask task = API.newTask("driven");
        String identity = task.identity();
        TestingTaskDriver driver = new TestingTaskDriver(running -> running.client().get("/v1/client/metadata")
                .token(identity).send().status());

        TestingRunningTask running = driver.start(task.launch());

        assertThat(running.awaitExit(Duration.ofSeconds(10))).isEqualTo(TaskExit.exited(200));
        assertThat(running.environment()).containsEntry("NOMAD_TASK_NAME", "driven")
                .containsEntry("NOMAD_ALLOC_ID", task.allocationId())
                .containsEntry("NOMAD_UNIX_ADDR", "unix://" + task.socketPath());
        assertThat(task.launch(Map.of("NOMAD_TOKEN", identity), Optional.of("nobody")).environment())
                .containsEntry("NOMAD_TOKEN", identity);
    }

    @Test
    void closeStopsTheApiAndDeletesEverything() throws Exception {
        TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider()).build();
        extension.start();
        FakeTaskApi api = (FakeTaskApi) extension.api();
        Path root = extension.root();
        TestTask task = extension.taskWithLongPath(200);
        task.openSocket();
        Path shortLink = task.client().connectPath();
        assertThat(task.client().get("/").token("t").send().status()).isEqualTo(200);
        assertThatThrownBy(extension::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running already");

        extension.close();
        extension.close();

        assertThat(api.closed()).isTrue();
        assertThat(root).doesNotExist();
        assertThat(shortLink.getParent()).doesNotExist();
        assertThat(extension.isRunning()).isFalse();
        assertThatThrownBy(extension::api).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void callersLinkDirIsPassedAsItIs() {
        Path linkDir = tmp.resolve("links");
        try (TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider())
                .config(Map.of(TaskApiExtension.LINK_DIR_KEY, linkDir.toString())).build()) {
            extension.start();
            assertThat(extension.linkDir()).isEqualTo(linkDir);
            assertThat(extension.config()).containsEntry(TaskApiExtension.LINK_DIR_KEY, linkDir.toString());
            assertThat(extension.root().resolve("links")).doesNotExist();
        }
    }

    @Test
    void providerThatRefusesToStartLeavesNothingBehind() throws IOException {
        TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider())
                .config("fail", "yes").build();
        long before = countRoots();

        assertThatThrownBy(extension::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Task API settings");

        assertThat(extension.isRunning()).isFalse();
        assertThat(countRoots()).isEqualTo(before);
    }

    @Test
    void aProviderBuiltForANewerSpiRefusesToStartAndLeavesNothingBehind() throws IOException {
        SpiVersion newer = SpiVersion.of(SpiVersion.current().major(), SpiVersion.current().minor() + 1);
        TaskApiProvider provider = new TaskApiProvider() {
            @Override
            public String name() {
                return "newer";
            }

            @Override
            public SpiVersion spiVersion() {
                return newer;
            }

            @Override
            public TaskApi start(AgentContext context) {
                throw new AssertionError("a plugin for a newer SPI must not be started");
            }
        };
        TaskApiExtension extension = TaskApiExtension.builder().provider(provider).build();
        long before = countRoots();

        assertThatThrownBy(extension::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'newer'").hasMessageContaining("was built for SPI " + newer);

        assertThat(extension.isRunning()).isFalse();
        assertThat(countRoots()).isEqualTo(before);
    }

    @Test
    void noProviderOnTheClassPathFailsWithAClearMessage() {
        TaskApiExtension extension = TaskApiExtension.builder().build();

        assertThatThrownBy(extension::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no io.taskapi.spi.TaskApiProvider found with ServiceLoader")
                .hasMessageContaining("io.taskapi:taskapi-plugin")
                .hasMessageContaining("builder().provider(");
        assertThat(extension.isRunning()).isFalse();
    }

    @Test
    void serviceLoaderFindsTheProviderOnTheClassPath() throws Exception {
        withServices(FakeTaskApiProvider.class.getName(), () -> {
            try (TaskApiExtension extension = TaskApiExtension.builder().build()) {
                extension.start();
                assertThat(extension.provider()).isInstanceOf(FakeTaskApiProvider.class);
            }
            return null;
        });
    }

    @Test
    void severalProvidersNeedAName() throws Exception {
        withServices(FakeTaskApiProvider.class.getName() + "\n" + FakeTaskApiProvider.Other.class.getName(), () -> {
            assertThatThrownBy(() -> TaskApiExtension.builder().build().start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("several").hasMessageContaining("[fake, other]")
                    .hasMessageContaining("providerName");
            assertThatThrownBy(() -> TaskApiExtension.builder().providerName("nope").build().start())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Task API provider named 'nope'");
            try (TaskApiExtension extension = TaskApiExtension.builder().providerName("fake").build()) {
                extension.start();
                assertThat(extension.provider().name()).isEqualTo("fake");
            }
            return null;
        });
    }

    @Test
    void callbacksNestLikeJUnitCallsThem() {
        TaskApiExtension extension = TaskApiExtension.builder().provider(new FakeTaskApiProvider()).build();

        extension.beforeAll(null);           // outer class
        Path root = extension.root();
        extension.beforeAll(null);           // a @Nested class inherits the static field
        extension.beforeEach(null);
        extension.afterEach(null);
        extension.afterAll(null);
        assertThat(extension.isRunning()).isTrue();
        assertThat(extension.root()).isEqualTo(root);
        extension.afterAll(null);
        assertThat(extension.isRunning()).isFalse();

        extension.beforeEach(null);          // an instance field: once per test
        assertThat(extension.isRunning()).isTrue();
        extension.afterEach(null);
        assertThat(extension.isRunning()).isFalse();
        assertThat(root).doesNotExist();
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterStaticTaskApiIsStillRunning() {
            assertThat(API.isRunning()).isTrue();
            assertThat(API.newTask("nested").secretsDir()).exists();
        }
    }

    private static long countRoots() throws IOException {
        try (var entries = Files.list(Path.of("/tmp"))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("taskapi-it-")).count();
        }
    }

    /** Runs {@code body} with a context class loader whose ServiceLoader sees these provider classes. */
    private void withServices(String providerClasses, Callable<Void> body) throws Exception {
        Path services = Files.createDirectories(tmp.resolve("cp/META-INF/services"));
        Files.writeString(services.resolve("io.taskapi.spi.TaskApiProvider"), providerClasses + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("cp").toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            body.call();
        } finally {
            thread.setContextClassLoader(original);
        }
    }
}
