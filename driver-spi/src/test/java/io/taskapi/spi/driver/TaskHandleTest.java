package io.taskapi.spi.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class TaskHandleTest {
    @Test
    void keepsACopyOfTheStateAndComparesByValue() {
        Map<String, String> state = new HashMap<>(Map.of("container", "abc"));
        TaskHandle handle = TaskHandle.of("docker", 1, state);
        state.put("container", "changed");

        assertThat(handle.state()).containsExactly(Map.entry("container", "abc"));
        assertThat(handle).isEqualTo(TaskHandle.of("docker", 1, Map.of("container", "abc")))
                .hasSameHashCodeAs(TaskHandle.of("docker", 1, Map.of("container", "abc")))
                .isNotEqualTo(TaskHandle.of("docker", 2, Map.of("container", "abc")));
        assertThatThrownBy(() -> handle.state().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requireNamesTheMissingKeyAndTheDriver() throws TaskDriverException {
        TaskHandle handle = TaskHandle.of("exec", 3, Map.of("pid", "42"));

        assertThat(handle.require("pid")).isEqualTo("42");
        assertThatThrownBy(() -> handle.require("start")).isInstanceOf(TaskDriverException.class)
                .hasMessage("driver exec: the task's handle (version 3) has no 'start'");
    }

    @Test
    void refusesABlankDriver() {
        assertThatThrownBy(() -> TaskHandle.of(" ", 1, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDriverWithoutRecoveryRefusesAndATaskWithoutAHandleHasNone() throws TaskDriverException {
        TaskDriver driver = new TaskDriver() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public FilesystemIsolation isolation() {
                return FilesystemIsolation.NONE;
            }

            @Override
            public RunningTask start(TaskLaunch launch) {
                return new RunningTask() {
                    @Override
                    public String id() {
                        return "1";
                    }

                    @Override
                    public CompletionStage<TaskExit> exit() {
                        return new CompletableFuture<>();
                    }

                    @Override
                    public void stop(Duration grace) {}
                };
            }
        };
        TaskLaunch launch = TaskLaunch.builder(new TaskRef("a", "default", "j", "g", "t")).taskDir(Path.of("/t"))
                .secretsDir(Path.of("/t/secrets")).sockets(request -> {
                    throw new AssertionError("no socket");
                }).build();

        assertThat(driver.start(launch).handle()).isEmpty();
        assertThatThrownBy(() -> driver.recover(launch, TaskHandle.of("plain", 1, Map.of())))
                .isInstanceOf(TaskDriverException.class).hasMessage("driver plain cannot recover tasks");
    }
}
