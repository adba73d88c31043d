package io.taskapi.examples.jobspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.hcl.HclParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobspecParserTest {
    private static final List<String> SEED_ARGS = List.of(
            "--unix-socket", "${NOMAD_SECRETS_DIR}/api.sock",
            "-H", "Authorization: Bearer ${NOMAD_TOKEN}",
            "--data-binary", "{\"Meta\": {\"example\": \"Hello World!\"}}",
            "--fail-with-body",
            "--verbose",
            "localhost/v1/client/metadata");

    @Test
    void readsTheSeedJobShippedWithTheExecDriver() throws IOException {
        JobSpec job = JobspecParser.parse(Files.readString(Path.of("jobs/taskapi-example.hcl")));

        assertThat(job.id()).isEqualTo("taskapi-example");
        assertThat(job.type()).isEqualTo("batch");
        assertThat(job.batch()).isTrue();
        assertThat(job.namespace()).isEqualTo("default");
        assertThat(job.datacenters()).containsExactly("*");
        GroupSpec group = job.groups().get(0);
        assertThat(group.name()).isEqualTo("taskapi-example");
        assertThat(group.count()).isEqualTo(1);
        TaskSpec task = group.tasks().get(0);
        assertThat(task.name()).isEqualTo("taskapi");
        assertThat(task.driver()).isEqualTo("exec");
        assertThat(task.config()).containsEntry("command", "curl").containsEntry("args", SEED_ARGS);
        assertThat(task.identity()).isEqualTo(new IdentitySpec(true, false));
        assertThat(task.user()).isEmpty();
    }

    @Test
    void readsTheSeedJobVerbatimWithTheDockerDriver() throws IOException {
        TaskSpec task = JobspecParser.parse(Files.readString(Path.of("jobs/taskapi-example.docker.hcl")))
                .groups().get(0).tasks().get(0);

        assertThat(task.driver()).isEqualTo("docker");
        assertThat(task.config()).containsEntry("image", "curlimages/curl:7.87.0").containsEntry("args", SEED_ARGS);
    }

    @Test
    void readsEveryPartOfTheSubset() {
        JobSpec job = JobspecParser.parse("""
                job "web" {
                  type        = "service"
                  namespace   = "prod"
                  region      = "eu"
                  datacenters = ["dc1", "dc2"]
                  group "front" {
                    count = 3
                    task "server" {
                      driver = "exec"
                      user   = "nobody"
                      config {
                        command = "/bin/server"
                        port    = 8080
                        ratio   = 0.5
                        debug   = true
                        labels  = { team = "a", "x.y" = "b" }
                        mount {
                          source = "/a"
                        }
                        mount {
                          source = "/b"
                        }
                      }
                      env {
                        GREETING = "hello ${NOMAD_TASK_NAME}"
                        PORT     = 8080
                      }
                      identity {
                        env  = false
                        file = true
                      }
                    }
                    task "sidecar" {
                      driver = "java"
                    }
                  }
                }
                """);

        assertThat(job.type()).isEqualTo("service");
        assertThat(job.namespace()).isEqualTo("prod");
        assertThat(job.region()).isEqualTo("eu");
        assertThat(job.datacenters()).containsExactly("dc1", "dc2");
        GroupSpec group = job.groups().get(0);
        assertThat(group.count()).isEqualTo(3);
        TaskSpec server = group.tasks().get(0);
        assertThat(server.user()).contains("nobody");
        assertThat(server.config()).containsEntry("port", 8080L).containsEntry("debug", true)
                .containsEntry("labels", Map.of("team", "a", "x.y", "b"))
                .containsEntry("mount", List.of(Map.of("source", "/a"), Map.of("source", "/b")));
        assertThat(server.config().get("ratio").toString()).isEqualTo("0.5");
        assertThat(server.env()).containsEntry("GREETING", "hello ${NOMAD_TASK_NAME}").containsEntry("PORT", "8080");
        assertThat(server.identity()).isEqualTo(new IdentitySpec(false, true));
        assertThat(group.tasks().get(1).identity()).isEqualTo(IdentitySpec.NONE);
        assertThat(group.tasks().get(1).config()).isEmpty();
    }

    @Test
    void roundTripsThroughTheApiJson() throws IOException {
        JobSpec job = JobspecParser.parse(Files.readString(Path.of("jobs/taskapi-example.hcl")));

        assertThat(JobJson.read(JobJson.write(job))).isEqualTo(job);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown job key        | job "a" {\\n  tyep = "batch"\\n}                                           | 2:3: unknown key "tyep" in job block
            no job block           | # nothing\\n                                                               | 1:1: no job block
            two job blocks         | job "a" {\\n}\\njob "b" {\\n}                                                 | 3:1: duplicate job block
            missing driver         | job "a" {\\n  group "g" {\\n    task "t" {\\n    }\\n  }\\n}                 | 3:5: missing required attribute "driver" in task block
            driver not a string    | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = exec\\n    }\\n  }\\n} | 4:16: unexpected identifier exec
            unterminated string    | job "a" {\\n  type = "batch\\n}                                             | 2:10: unterminated string
            count not integer      | job "a" {\\n  group "g" {\\n    count = 1.5\\n  }\\n}                        | 3:13: "count" must be a whole number
            negative count         | job "a" {\\n  group "g" {\\n    count = -1\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 3:13: count must be between 0 and 1000
            bad job type           | job "a" {\\n  type = "cron"\\n  group "g" {\\n  }\\n}                       | 2:10: job type must be one of
            group without task     | job "a" {\\n  group "g" {\\n  }\\n}                                        | 2:3: group "g" has no task block
            job without group      | job "a" {\\n  type = "batch"\\n}                                           | 1:1: job "a" has no group block
            duplicate task         | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n    }\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 6:10: duplicate task "t" (first defined at 3:5)
            path in task name      | job "a" {\\n  group "g" {\\n    task "../x" {\\n      driver = "exec"\\n    }\\n  }\\n} | 3:10: invalid task name "../x"
            identity label         | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      identity "vault" {\\n      }\\n    }\\n  }\\n} | 5:16: identity block takes no labels
            identity env not bool  | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      identity {\\n        env = "yes"\\n      }\\n    }\\n  }\\n} | 6:15: "env" must be a bool, found string
            env list value         | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      env {\\n        A = ["x"]\\n      }\\n    }\\n  }\\n} | 6:13: env.A must be a string, found list
            config function call   | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      config {\\n        command = "${upper(x)}"\\n      }\\n    }\\n  }\\n} | 6:19: config.command: unsupported expression ${upper(x)}
            config directive       | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      config {\\n        args = ["%{ if true }x%{ endif }"]\\n      }\\n    }\\n  }\\n} | 6:17: config.args[0]: template directives
            config null            | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      config {\\n        command = null\\n      }\\n    }\\n  }\\n} | 6:19: config.command must not be null
            missing equals         | job "a" {\\n  type "batch"\\n}                                              | 2:15: missing '=' or '{' after "type" "batch"
            """)
    void reportsEachProblemWithItsLineAndColumn(String name, String source, String expected) {
        assertThatThrownBy(() -> JobspecParser.parse(source.replace("\\n", "\n")))
                .isInstanceOf(HclParseException.class)
                .hasMessageStartingWith(expected);
    }
}
