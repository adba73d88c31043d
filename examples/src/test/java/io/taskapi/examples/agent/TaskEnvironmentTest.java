package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.JobspecParser;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.TaskRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The environment the agent gives a task, by the driver's isolation, for the seed job's docker task. */
final class TaskEnvironmentTest {
    private static TaskEnvironment build(FilesystemIsolation isolation) throws IOException {
        JobSpec job = JobspecParser.parse(Files.readString(Path.of("jobs/taskapi-example.docker.hcl")));
        TaskSpec task = job.groups().get(0).tasks().get(0);
        TaskRef ref = new TaskRef("11111111-2222-3333-4444-555555555555", job.namespace(), job.id(),
                job.groups().get(0).name(), task.name());
        return TaskEnvironment.build(job, task, ref, 0,
                TaskDirLayout.of(Path.of("/data/alloc").resolve(ref.allocationId()), task.name()), isolation, "dc1",
                Optional.of("a.b.c"), Map.of());
    }

    @Test
    void aDriverThatRunsAnImageGetsNoHostPathSoTheImagesOwnStays() throws IOException {
        Map<String, String> variables = build(FilesystemIsolation.IMAGE).variables();

        assertThat(variables).doesNotContainKey("PATH")
                .containsEntry("NOMAD_ALLOC_DIR", "/alloc")
                .containsEntry("NOMAD_TASK_DIR", "/local")
                .containsEntry("NOMAD_SECRETS_DIR", "/secrets")
                .containsEntry("NOMAD_UNIX_ADDR", "unix:///secrets/api.sock");
    }

    @Test
    void driversThatRunNoImageGetTheHostsPath() throws IOException {
        assertThat(build(FilesystemIsolation.CHROOT).variables()).containsKey("PATH");
        assertThat(build(FilesystemIsolation.NONE).variables()).containsKey("PATH")
                .containsEntry("NOMAD_ALLOC_DIR", "/data/alloc/11111111-2222-3333-4444-555555555555/alloc");
    }
}
