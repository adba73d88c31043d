package io.taskapi.examples.jobspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.jobspec.RestartPolicy.Mode;
import io.taskapi.hcl.HclParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code restart} block: defaults by job type, group and task merging, validation, and the API's JSON shape. */
class RestartBlockTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"service, 2, PT30M", "batch, 3, PT24H", "sysbatch, 3, PT24H"})
    void withoutABlockATaskHasNomadsDefaultsForItsJobType(String type, int attempts, String interval) {
        JobSpec job = JobspecParser.parse("""
                job "j" {
                  type = "%s"
                  group "g" {
                    task "t" {
                      driver = "exec"
                    }
                  }
                }
                """.formatted(type));

        RestartPolicy expected = new RestartPolicy(attempts, Duration.parse(interval), Duration.ofSeconds(15),
                Mode.FAIL);
        assertThat(job.groups().get(0).restart()).isEqualTo(expected).isEqualTo(RestartPolicy.defaultFor(type));
        assertThat(job.groups().get(0).tasks().get(0).restart()).isEqualTo(expected);
    }

    @Test
    void aTaskBlockOverridesOnlyTheFieldsItSetsOverItsGroupsBlockOverTheDefaults() {
        JobSpec job = JobspecParser.parse("""
                job "j" {
                  group "g" {
                    restart {
                      attempts = 5
                      delay    = "1m30s"
                      mode     = "delay"
                    }
                    task "own" {
                      driver = "exec"
                      restart {
                        attempts = 1
                        interval = "1.5h"
                      }
                    }
                    task "inherits" {
                      driver = "exec"
                    }
                  }
                  group "plain" {
                    task "only-task-block" {
                      driver = "exec"
                      restart {
                        mode = "delay"
                      }
                    }
                  }
                }
                """);

        GroupSpec group = job.groups().get(0);
        RestartPolicy groupPolicy = new RestartPolicy(5, Duration.ofMinutes(30), Duration.ofSeconds(90), Mode.DELAY);
        assertThat(group.restart()).isEqualTo(groupPolicy);
        assertThat(group.tasks().get(0).restart())
                .isEqualTo(new RestartPolicy(1, Duration.ofMinutes(90), Duration.ofSeconds(90), Mode.DELAY));
        assertThat(group.tasks().get(1).restart()).isEqualTo(groupPolicy);
        GroupSpec plain = job.groups().get(1);
        assertThat(plain.restart()).isEqualTo(RestartPolicy.SERVICE_DEFAULT);
        assertThat(plain.tasks().get(0).restart())
                .isEqualTo(new RestartPolicy(2, Duration.ofMinutes(30), Duration.ofSeconds(15), Mode.DELAY));
    }

    @Test
    void theExampleInTheOperationsGuideIsAValidJobFile() throws IOException {
        String guide = Files.readString(Path.of("../docs/operations.md"));
        int start = guide.indexOf("```hcl\njob \"web\"") + "```hcl\n".length();

        JobSpec job = JobspecParser.parse(guide.substring(start, guide.indexOf("```", start)));

        assertThat(job.groups().get(0).tasks().get(0).restart())
                .isEqualTo(new RestartPolicy(5, Duration.ofMinutes(30), Duration.ofSeconds(15), Mode.FAIL));
    }

    @Test
    void zeroAttemptsWithModeFailMeansNeverRestart() {
        JobSpec job = JobspecParser.parse(groupRestart("attempts = 0"));

        assertThat(job.groups().get(0).tasks().get(0).restart().attempts()).isZero();
    }

    /** The lines of a group-level restart block, "\n"-separated, at line 4, column 7. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            negative attempts       | attempts = -1                        | 4:18: restart attempts must not be negative
            huge attempts           | attempts = 3000000000                | 4:18: restart attempts must be at most 2147483647
            fractional attempts     | attempts = 1.5                       | 4:18: "attempts" must be a whole number, found number
            interval not a string   | interval = 30                        | 4:18: "interval" must be a string, found number
            interval unparsable     | interval = "30 minutes"              | 4:18: restart interval: invalid duration "30 minutes": unknown unit " minutes"
            interval without unit   | interval = "30"                      | 4:18: restart interval: invalid duration "30": missing unit
            interval negative       | interval = "-1h"                     | 4:18: restart interval must not be negative, found "-1h"
            interval below 5s       | interval = "4.999s"                  | 4:18: restart interval must be at least 5s, found "4.999s"
            interval overflow       | interval = "3000000h"                | 4:18: restart interval: invalid duration "3000000h": too long
            delay unparsable        | delay = "soon"                       | 4:15: restart delay: invalid duration "soon"
            delay negative          | delay = "-15s"                       | 4:15: restart delay must not be negative, found "-15s"
            mode unknown            | mode = "never"                       | 4:14: restart mode must be "fail" or "delay", not "never"
            mode in capitals        | mode = "FAIL"                        | 4:14: restart mode must be "fail" or "delay", not "FAIL"
            unknown key             | render_templates = true              | 4:7: unknown key "render_templates" in restart block
            misspelt key            | attempt = 2                          | 4:7: unknown key "attempt" in restart block
            nested block            | check {\\n}                          | 4:7: unknown key "check" in restart block
            zero attempts delay     | attempts = 0\\nmode = "delay"        | 3:5: restart mode "delay" with 0 attempts is ambiguous
            delays exceed interval  | attempts = 3\\ndelay = "2m"\\ninterval = "5m" | 3:5: restart: 3 attempts with a delay of 2m0s do not fit in an interval of 5m0s
            default interval short  | attempts = 200\\ndelay = "10s"       | 3:5: restart: 200 attempts with a delay of 10s do not fit in an interval of 30m0s
            """)
    void reportsEachProblemInAGroupBlockWithItsLineAndColumn(String name, String lines, String expected) {
        assertThatThrownBy(() -> JobspecParser.parse(groupRestart(lines.replace("\\n", "\n      "))))
                .isInstanceOf(HclParseException.class)
                .hasMessageStartingWith(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            labelled block      | job "a" {\\n  group "g" {\\n    restart "x" {\\n    }\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 3:13: restart block takes no labels, found 1
            two blocks          | job "a" {\\n  group "g" {\\n    restart {\\n    }\\n    restart {\\n    }\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 5:5: duplicate restart block in group block (first defined at 3:5)
            attribute           | job "a" {\\n  group "g" {\\n    restart = {}\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 3:5: "restart" must be a block, not an attribute
            at job level        | job "a" {\\n  restart {\\n  }\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n    }\\n  }\\n} | 2:3: unknown key "restart" in job block
            task mode           | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      restart {\\n        mode = "retry"\\n      }\\n    }\\n  }\\n} | 6:16: restart mode must be "fail" or "delay", not "retry"
            task unknown key    | job "a" {\\n  group "g" {\\n    task "t" {\\n      driver = "exec"\\n      restart {\\n        jitter = "1s"\\n      }\\n    }\\n  }\\n} | 6:9: unknown key "jitter" in restart block
            merged misfit       | job "a" {\\n  group "g" {\\n    restart {\\n      interval = "1m"\\n      delay = "20s"\\n    }\\n    task "t" {\\n      driver = "exec"\\n      restart {\\n        attempts = 4\\n      }\\n    }\\n  }\\n} | 9:7: restart: 4 attempts with a delay of 20s do not fit in an interval of 1m0s
            merged ambiguity    | job "a" {\\n  group "g" {\\n    restart {\\n      attempts = 0\\n    }\\n    task "t" {\\n      driver = "exec"\\n      restart {\\n        mode = "delay"\\n      }\\n    }\\n  }\\n} | 8:7: restart mode "delay" with 0 attempts is ambiguous
            """)
    void reportsProblemsAnywhereWithTheirLineAndColumn(String name, String source, String expected) {
        assertThatThrownBy(() -> JobspecParser.parse(source.replace("\\n", "\n")))
                .isInstanceOf(HclParseException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void theApiJsonCarriesTheEffectivePolicyOnGroupsAndTasksInNomadsShape() {
        JobSpec job = JobspecParser.parse("""
                job "j" {
                  type = "batch"
                  group "g" {
                    restart {
                      attempts = 1
                      delay    = "250ms"
                    }
                    task "t" {
                      driver = "exec"
                      restart {
                        mode = "delay"
                      }
                    }
                  }
                }
                """);

        ObjectNode json = JobJson.write(job);

        JsonNode group = json.get("TaskGroups").get(0);
        // As text: Jackson's int and long nodes of equal value are not equal nodes.
        assertThat(group.get("RestartPolicy").toString()).isEqualTo(
                "{\"Attempts\":1,\"Interval\":86400000000000,\"Delay\":250000000,\"Mode\":\"fail\","
                        + "\"RenderTemplates\":false}");
        assertThat(group.get("Tasks").get(0).get("RestartPolicy").toString()).isEqualTo(
                "{\"Attempts\":1,\"Interval\":86400000000000,\"Delay\":250000000,\"Mode\":\"delay\","
                        + "\"RenderTemplates\":false}");
        assertThat(JobJson.read(json)).isEqualTo(job);
    }

    @Test
    void theApiJsonMergesTaskOverGroupOverTheDefaults() {
        JobSpec job = JobJson.read(json("""
                {"ID": "j", "Type": "service", "TaskGroups": [{"Name": "g",
                  "RestartPolicy": {"Attempts": 4, "Delay": 1000000000},
                  "Tasks": [
                    {"Name": "own", "Driver": "exec", "RestartPolicy": {"Interval": 60000000000, "Mode": "delay"}},
                    {"Name": "inherits", "Driver": "exec", "RestartPolicy": null},
                    {"Name": "empty", "Driver": "exec", "RestartPolicy": {}}]}]}
                """));

        GroupSpec group = job.groups().get(0);
        RestartPolicy groupPolicy = new RestartPolicy(4, Duration.ofMinutes(30), Duration.ofSeconds(1), Mode.FAIL);
        assertThat(group.restart()).isEqualTo(groupPolicy);
        assertThat(group.tasks().get(0).restart())
                .isEqualTo(new RestartPolicy(4, Duration.ofMinutes(1), Duration.ofSeconds(1), Mode.DELAY));
        assertThat(group.tasks().get(1).restart()).isEqualTo(groupPolicy);
        assertThat(group.tasks().get(2).restart()).isEqualTo(groupPolicy);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"batch", "sysbatch", "service"})
    void theApiJsonWithoutAPolicyHasTheDefaults(String type) {
        JobSpec job = JobJson.read(json("{\"ID\":\"j\",\"Type\":\"" + type + "\",\"TaskGroups\":[{\"Name\":\"g\","
                + "\"Tasks\":[{\"Name\":\"t\",\"Driver\":\"exec\"}]}]}"));

        assertThat(job.groups().get(0).tasks().get(0).restart()).isEqualTo(RestartPolicy.defaultFor(type));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            negative attempts    | {"Attempts": -1}                          | Job.TaskGroups[0].RestartPolicy.Attempts must be between 0 and 2147483647
            attempts as string   | {"Attempts": "2"}                         | Job.TaskGroups[0].RestartPolicy.Attempts must be a whole number
            interval as string   | {"Interval": "30m"}                       | Job.TaskGroups[0].RestartPolicy.Interval must be a whole number
            negative delay       | {"Delay": -1}                             | Job.TaskGroups[0].RestartPolicy: restart delay must not be negative, found -1ns
            short interval       | {"Interval": 1000000000}                  | Job.TaskGroups[0].RestartPolicy: restart interval must be at least 5s, found 1s
            unknown mode         | {"Mode": "never"}                         | Job.TaskGroups[0].RestartPolicy.Mode must be "fail" or "delay", not "never"
            ambiguous            | {"Attempts": 0, "Mode": "delay"}          | Job.TaskGroups[0].RestartPolicy: restart mode "delay" with 0 attempts is ambiguous
            misfit               | {"Attempts": 3, "Delay": 60000000000, "Interval": 120000000000} | Job.TaskGroups[0].RestartPolicy: restart: 3 attempts with a delay of 1m0s do not fit in an interval of 2m0s
            unknown field        | {"Jitter": 1}                             | Job.TaskGroups[0].RestartPolicy: unknown field "Jitter"
            render templates     | {"RenderTemplates": true}                 | Job.TaskGroups[0].RestartPolicy.RenderTemplates: this agent has no templates to render
            not an object        | [1]                                       | Job.TaskGroups[0].RestartPolicy must be an object
            """)
    void theApiJsonNamesTheFieldThatIsWrong(String name, String policy, String expected) {
        String job = "{\"ID\":\"j\",\"TaskGroups\":[{\"Name\":\"g\",\"RestartPolicy\":" + policy
                + ",\"Tasks\":[{\"Name\":\"t\",\"Driver\":\"exec\"}]}]}";

        assertThatThrownBy(() -> JobJson.read(json(job)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void theApiJsonChecksATasksMergedPolicyAtTheTask() {
        String job = "{\"ID\":\"j\",\"TaskGroups\":[{\"Name\":\"g\",\"RestartPolicy\":{\"Attempts\":0},"
                + "\"Tasks\":[{\"Name\":\"t\",\"Driver\":\"exec\",\"RestartPolicy\":{\"Mode\":\"delay\"}}]}]}";

        assertThatThrownBy(() -> JobJson.read(json(job)))
                .hasMessage("Job.TaskGroups[0].Tasks[0].RestartPolicy: restart mode \"delay\" with 0 attempts is "
                        + "ambiguous: use mode \"fail\" to never restart, or allow at least one attempt");
    }

    @Test
    void aPolicyIsValidByConstruction() {
        assertThatThrownBy(() -> new RestartPolicy(1, Duration.ofSeconds(4), Duration.ZERO, Mode.FAIL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("restart interval must be at least 5s, found 4s");
        assertThatThrownBy(() -> new RestartPolicy(Integer.MAX_VALUE, RestartPolicy.MAX_DURATION,
                RestartPolicy.MAX_DURATION, Mode.FAIL))
                .hasMessageStartingWith("restart: 2147483647 attempts with a delay of 2562047h47m16.854775807s do "
                        + "not fit");
        assertThatThrownBy(() -> new RestartPolicy(1, RestartPolicy.MAX_DURATION.plusNanos(1), Duration.ZERO,
                Mode.FAIL))
                .hasMessage("restart interval and delay must be at most 2562047h47m16.854775807s");
        assertThat(Mode.of("delay")).contains(Mode.DELAY);
        assertThat(Mode.FAIL.value()).isEqualTo("fail");
    }

    private static String groupRestart(String lines) {
        return """
                job "a" {
                  group "g" {
                    restart {
                      %s
                    }
                    task "t" {
                      driver = "exec"
                    }
                  }
                }
                """.formatted(lines);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
