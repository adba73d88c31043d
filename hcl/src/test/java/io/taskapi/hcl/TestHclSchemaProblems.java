package io.taskapi.hcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HclSchema#problems}: every problem at once, in source order, for native HCL and JSON alike. */
class TestHclSchemaProblems {
    private static final HclSchema CONFIG = HclSchema.builder("config file")
            .attribute("region", HclType.STRING)
            .singleBlock("ports", 0, HclSchema.builder("ports block").attribute("http", HclType.INTEGER).build())
            .block("plugin", 1, HclSchema.builder("plugin block")
                    .singleBlock("config", 0, HclSchema.builder("config block").anyAttributes().build()).build())
            .build();

    @Test
    void reportsEveryProblemInSourceOrder() {
        HclBody body = HclParser.parse("""
                region = 1
                ports {
                  http = "x"
                  htp  = 1
                }
                plugin "docker" {
                  config {
                    endpoint = "unix:///run/docker.sock"
                    anything = [1, 2]
                  }
                }
                colour = "blue"
                """);

        assertThat(messages(CONFIG.problems(body))).containsExactly(
                "1:10: \"region\" must be a string, found number",
                "3:10: \"http\" must be a whole number, found string",
                "4:3: unknown key \"htp\" in ports block",
                "12:1: unknown key \"colour\" in config file");
    }

    @Test
    void jsonReadsUnknownKeysSoThatTheyAreReportedWithTheRest() {
        HclBody body = HclJson.read("""
                {
                  "region": "global",
                  "ports": {"htp": 1},
                  "plugin": {"docker": {"config": {"endpoint": "unix:///x"}}},
                  "colour": "blue"
                }
                """, CONFIG);

        assertThat(messages(CONFIG.problems(body))).containsExactly(
                "3:13: unknown key \"htp\" in ports block",
                "5:3: unknown key \"colour\" in config file");
        assertThat(body.blocks("plugin").get(0).body().blocks("config").get(0).body().attribute("endpoint"))
                .isPresent();
    }

    @Test
    void aValidBodyHasNoProblems() {
        assertThat(CONFIG.problems(HclParser.parse("region = \"global\"\nports {\n  http = 4646\n}\n")))
                .isEmpty();
    }

    private static List<String> messages(List<HclParseException> problems) {
        return problems.stream().map(HclParseException::getMessage).toList();
    }
}
