package io.taskapi.hcl;

import static io.taskapi.hcl.HclTesting.plain;
import static io.taskapi.hcl.HclTesting.render;
import static io.taskapi.hcl.TestHclSchema.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.taskapi.hcl.HclTesting.Null;
import io.taskapi.hcl.HclTesting.Num;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestHclJson {

    /** Each JSON shape and the native HCL it stands for. */
    static Stream<Arguments> sameAsHcl() {
        return Stream.of(
                arguments("labelled blocks as an object keyed by label",
                        "{\"namespace\": {\"a\": {\"policy\": \"read\"}, \"b\": {}}}",
                        "namespace \"a\" {\n  policy = \"read\"\n}\nnamespace \"b\" {}"),
                arguments("labelled blocks as a list of objects",
                        "{\"namespace\": [{\"a\": {\"policy\": \"read\"}}, {\"b\": {}}]}",
                        "namespace \"a\" {\n  policy = \"read\"\n}\nnamespace \"b\" {}"),
                arguments("one label, several bodies",
                        "{\"namespace\": {\"a\": [{\"policy\": \"read\"}, {\"policy\": \"write\"}]}}",
                        "namespace \"a\" {\n  policy = \"read\"\n}\nnamespace \"a\" {\n  policy = \"write\"\n}"),
                arguments("unlabelled block as an object", "{\"agent\": {\"policy\": \"read\"}}",
                        "agent {\n  policy = \"read\"\n}"),
                arguments("unlabelled block in a list", "{\"agent\": [{\"policy\": \"read\"}]}",
                        "agent {\n  policy = \"read\"\n}"),
                arguments("nested blocks (Nomad's variables shape), trailing commas",
                        "{\"namespace\": [{\"apps\": {\"variables\": [{\"path\": [{\"a/*\": {\"capabilities\": "
                                + "[\"read\"],},}, {\"b\": {}},],},],},},]}",
                        "namespace \"apps\" {\n  variables {\n    path \"a/*\" {\n      capabilities = [\"read\"]\n"
                                + "    }\n    path \"b\" {}\n  }\n}"),
                arguments("attributes of every type",
                        "{\"count\": 3, \"ratio\": 2.5, \"enabled\": true, \"meta\": {\"k\": [1, null]}, "
                                + "\"items\": [], \"anything\": \"${x}\"}",
                        "count = 3\nratio = 2.5\nenabled = true\nmeta = { k = [1, null] }\nitems = []\n"
                                + "anything = \"${x}\""),
                arguments("empty", "{}", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameAsHcl")
    void readsTheSameTreeAsHcl(String name, String json, String hcl) {
        assertThat(render(HclJson.parse(json, SCHEMA))).isEqualTo(render(HclParser.parse(hcl, SCHEMA)));
    }

    @Test
    void numbersKeepIntegerAndDecimalApart() {
        HclBody body = HclJson.parse("{\"anything\": [1, 1.0, 1e2, 123456789012345678901234567890]}", SCHEMA);
        assertThat(plain(body.attribute("anything").orElseThrow().value())).isEqualTo(List.of(
                Num.integer("1"), Num.decimal("1.0"), Num.decimal("1e2"),
                Num.integer("123456789012345678901234567890")));
    }

    @Test
    void valuesKeepTheirShape() {
        HclBody body = HclJson.parse("{\"anything\": {\"a\": false, \"b\": null, \"c\": {\"d\": \"e\"}}}", SCHEMA);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", false);
        expected.put("b", Null.NULL);
        expected.put("c", Map.of("d", "e"));
        assertThat(plain(body.attribute("anything").orElseThrow().value())).isEqualTo(expected);
    }

    @Test
    void positionsComeFromJackson() {
        HclBody body = HclJson.parse(String.join("\n",
                "{",
                "  \"namespace\": {",
                "    \"a\": {",
                "      \"capabilities\": [\"x\",",
                "                       \"y\"]",
                "    }",
                "  },",
                "  \"agent\": {\"policy\": \"read\"}",
                "}"), SCHEMA);
        HclBlock namespace = body.blocks("namespace").get(0);
        assertThat(namespace.labels()).containsExactly(new HclString("a", new HclPosition(3, 5)));
        assertThat(namespace.position()).isEqualTo(new HclPosition(3, 5));
        HclAttribute capabilities = namespace.body().attribute("capabilities").orElseThrow();
        assertThat(capabilities.position()).isEqualTo(new HclPosition(4, 7));
        assertThat(((HclList) capabilities.value()).elements()).extracting(HclValue::position)
                .containsExactly(new HclPosition(4, 24), new HclPosition(5, 24));
        HclBlock agent = body.blocks("agent").get(0);
        assertThat(agent.position()).isEqualTo(new HclPosition(8, 12));
        assertThat(agent.body().attribute("policy").orElseThrow().value().position())
                .isEqualTo(new HclPosition(8, 23));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("unknown key", "{\"namespace\": {\"a\": {\"polcy\": \"read\"}}}",
                        "1:22: unknown key \"polcy\" in namespace block"),
                arguments("unknown key at the top", "{\n  \"Name\": \"x\"\n}", "2:3: unknown key \"Name\" in policy"),
                arguments("wrong type", "{\"namespace\": {\"a\": {\"policy\": 5}}}",
                        "1:32: \"policy\" must be a string, found number"),
                arguments("wrong element type", "{\"namespace\": {\"a\": {\"capabilities\": [\"a\", true]}}}",
                        "1:44: \"capabilities\" must be a list of strings, found bool"),
                arguments("block given a string", "{\"agent\": \"read\"}",
                        "1:11: \"agent\" must be a block (a JSON object), found a string"),
                arguments("labelled block given strings", "{\"namespace\": [\"a\"]}",
                        "1:16: \"namespace\" must be a block (a JSON object keyed by label), found a string"),
                arguments("label given a list of strings", "{\"namespace\": {\"a\": [1]}}",
                        "1:22: \"namespace\" must be a block (a JSON object), found a number"),
                arguments("nested lists under a block", "{\"agent\": [[{}]]}",
                        "1:12: \"agent\" must be a block (a JSON object), found an array"),
                arguments("duplicate attribute", "{\"agent\": {\"policy\": \"read\", \"policy\": \"write\"}}",
                        "1:30: duplicate key \"policy\" (first defined at 1:12)"),
                arguments("duplicate label", "{\"namespace\": {\"a\": {}, \"a\": {}}}",
                        "1:25: duplicate key \"a\" (first defined at 1:16)"),
                arguments("duplicate block key", "{\"agent\": {\"policy\": \"read\"}, \"agent\": {\"policy\": \"write\"}}",
                        "1:31: duplicate key \"agent\" (first defined at 1:2)"),
                arguments("duplicate key in an object value", "{\"meta\": {\"k\": 1, \"k\": 2}}",
                        "1:19: duplicate key \"k\" (first defined at 1:11)"),
                arguments("single block twice through a list",
                        "{\"agent\": [{\"policy\": \"read\"}, {\"policy\": \"write\"}]}",
                        "1:32: duplicate agent block in policy (first defined at 1:12)"),
                arguments("missing required attribute", "{\"agent\": {}}",
                        "1:11: missing required attribute \"policy\" in agent block"),
                arguments("not an object", "[]", "1:1: expected a JSON object at the top level"),
                arguments("second top-level object", "{} {}", "1:4: trailing content after the top-level object: an object"),
                arguments("missing value", "{\"agent\": }", "1:11: Unexpected character ('}' (code 125)): expected a value"),
                arguments("missing colon", "{\"agent\" {}}",
                        "1:10: Unexpected character ('{' (code 123)): was expecting a colon to separate field name and value"),
                arguments("unterminated", "{\"agent\": {\"policy\": \"read\"}",
                        "1:29: Unexpected end-of-input: expected close marker for Object (opened at 1:1)"),
                arguments("bare word", "{\"anything\": tru}",
                        "1:14: Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token "
                                + "'null', 'true' or 'false')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String name, String json, String message) {
        assertThatThrownBy(() -> HclJson.parse(json, SCHEMA))
                .isInstanceOf(HclParseException.class)
                .hasMessage(message);
    }
}
