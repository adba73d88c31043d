package io.taskapi.hcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestHclSchema {
    static final HclSchema PATH = HclSchema.builder("path block")
            .attribute("capabilities", HclType.LIST_OF_STRINGS)
            .build();
    static final HclSchema NAMESPACE = HclSchema.builder("namespace block")
            .attribute("policy", HclType.STRING)
            .attribute("capabilities", HclType.LIST_OF_STRINGS)
            .singleBlock("variables", 0, HclSchema.builder("variables block").block("path", 1, PATH).build())
            .build();
    static final HclSchema SCHEMA = HclSchema.builder("policy")
            .block("namespace", 1, NAMESPACE)
            .singleBlock("agent", 0, HclSchema.builder("agent block").requiredAttribute("policy", HclType.STRING)
                    .build())
            .attribute("count", HclType.INTEGER)
            .attribute("ratio", HclType.NUMBER)
            .attribute("enabled", HclType.BOOL)
            .attribute("meta", HclType.OBJECT)
            .attribute("items", HclType.LIST)
            .attribute("anything", HclType.ANY)
            .build();

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("empty", ""),
                arguments("everything", String.join("\n",
                        "namespace \"a\" {",
                        "  policy = \"read\"",
                        "  capabilities = [\"x\"]",
                        "  variables {",
                        "    path \"p\" {",
                        "      capabilities = []",
                        "    }",
                        "    path \"p\" {}",
                        "  }",
                        "}",
                        "namespace \"a\" {}",
                        "agent {",
                        "  policy = \"read\"",
                        "}",
                        "count = -3",
                        "ratio = 1",
                        "enabled = false",
                        "meta = { a = 1 }",
                        "items = [1, \"a\"]",
                        "anything = null")),
                arguments("decimal is a number", "ratio = 1.5"),
                arguments("any takes lists", "anything = [[]]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void accepts(String name, String source) {
        assertThatCode(() -> HclParser.parse(source, SCHEMA)).doesNotThrowAnyException();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("unknown key in a block", "namespace \"a\" {\n  polcy = \"read\"\n}",
                        "2:3: unknown key \"polcy\" in namespace block"),
                arguments("unknown block at the top", "bogus {}", "1:1: unknown key \"bogus\" in policy"),
                arguments("unknown attribute at the top", "\nbogus = 1", "2:1: unknown key \"bogus\" in policy"),
                arguments("unknown block deep down", "namespace \"a\" {\n  variables {\n    path \"p\" {\n"
                        + "      capabilities = []\n      extra {}\n    }\n  }\n}",
                        "5:7: unknown key \"extra\" in path block"),
                arguments("string expected", "namespace \"a\" {\n    policy = 5\n}",
                        "2:14: \"policy\" must be a string, found number"),
                arguments("null is not a string", "namespace \"a\" {\n  policy = null\n}",
                        "2:12: \"policy\" must be a string, found null"),
                arguments("list of strings expected", "namespace \"a\" {\n  capabilities = \"read\"\n}",
                        "2:18: \"capabilities\" must be a list of strings, found string"),
                arguments("list element not a string", "namespace \"a\" {\n  capabilities = [\"a\", 1]\n}",
                        "2:24: \"capabilities\" must be a list of strings, found number"),
                arguments("integer expected", "count = 1.5", "1:9: \"count\" must be a whole number, found number"),
                arguments("number expected", "ratio = \"1\"", "1:9: \"ratio\" must be a number, found string"),
                arguments("bool expected", "enabled = \"true\"", "1:11: \"enabled\" must be a bool, found string"),
                arguments("object expected", "meta = []", "1:8: \"meta\" must be an object, found list"),
                arguments("list expected", "items = {}", "1:9: \"items\" must be a list, found object"),
                arguments("attribute written as a block", "namespace \"a\" {\n  policy {}\n}",
                        "2:3: \"policy\" must be an attribute, not a block"),
                arguments("block written as an attribute", "namespace = \"a\"",
                        "1:1: \"namespace\" must be a block, not an attribute"),
                arguments("missing label", "namespace {}", "1:1: namespace block needs 1 label, found 0"),
                arguments("extra label", "namespace \"a\" \"b\" {}", "1:15: namespace block takes 1 label, found 2"),
                arguments("label on an unlabelled block", "agent \"x\" {\n  policy = \"read\"\n}",
                        "1:7: agent block takes no labels, found 1"),
                arguments("duplicate single block", "agent {\n  policy = \"read\"\n}\nagent {\n  policy = \"write\"\n}",
                        "4:1: duplicate agent block in policy (first defined at 1:1)"),
                arguments("duplicate nested single block", "namespace \"a\" {\n  variables {\n    path \"p\" {}\n  }\n"
                        + "  variables {\n    path \"q\" {}\n  }\n}",
                        "5:3: duplicate variables block in namespace block (first defined at 2:3)"),
                arguments("missing required attribute", "\nagent {}", "2:1: missing required attribute \"policy\" in agent block"),
                arguments("first problem in source order (attribute first)",
                        "namespace \"a\" {\n  bad1 = 1\n}\nbad2 {}", "2:3: unknown key \"bad1\" in namespace block"),
                arguments("first problem in source order (block first)",
                        "bad2 {}\nnamespace \"a\" {\n  bad1 = 1\n}", "1:1: unknown key \"bad2\" in policy"),
                arguments("first problem in source order (attribute before block)",
                        "count = \"x\"\nbogus {}", "1:9: \"count\" must be a whole number, found string"),
                arguments("first problem in source order (block before attribute)",
                        "bogus {}\ncount = \"x\"", "1:1: unknown key \"bogus\" in policy"),
                arguments("first problem in source order (same line)",
                        "agent { policy = 1 }", "1:18: \"policy\" must be a string, found number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String name, String source, String message) {
        assertThatThrownBy(() -> HclParser.parse(source, SCHEMA))
                .isInstanceOf(HclParseException.class)
                .hasMessage(message);
    }

    @Test
    void requiredAttributeAtTheTopIsReportedAtTheStart() {
        HclSchema schema = HclSchema.builder("job file").requiredAttribute("id", HclType.STRING).build();
        assertThatThrownBy(() -> HclParser.parse("\n\n", schema))
                .hasMessage("1:1: missing required attribute \"id\" in job file");
    }

    @Test
    void describesWhatItAllows() {
        assertThat(NAMESPACE.description()).isEqualTo("namespace block");
        assertThat(NAMESPACE.attributeNames()).containsExactly("policy", "capabilities");
        assertThat(NAMESPACE.attributeType("policy")).contains(HclType.STRING);
        assertThat(NAMESPACE.attributeType("variables")).isEmpty();
        assertThat(NAMESPACE.block("variables").orElseThrow().repeatable()).isFalse();
        assertThat(SCHEMA.block("namespace").orElseThrow().labels()).isEqualTo(1);
        assertThat(SCHEMA.block("namespace").orElseThrow().repeatable()).isTrue();
    }

    @Test
    void aNameIsDeclaredOnce() {
        assertThatThrownBy(() -> HclSchema.builder("x").attribute("a", HclType.STRING).attribute("a", HclType.BOOL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HclSchema.builder("x").attribute("a", HclType.STRING).block("a", 0, PATH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HclSchema.builder("x").block("a", 0, PATH).singleBlock("a", 1, PATH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
