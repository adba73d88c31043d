package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Filters over a Nomad node record, as {@code nomad node status -filter EXPR} sends them. Every expected result and
 * message is what go-bexpr v0.1.16 gives for the same expression over the same JSON (decoded with
 * {@code json.Decoder.UseNumber}, as a JSON record reaches it).
 */
class FilterNomadNodeTest {

    static final String NODE = """
            {
              "ID": "f7476465-4d6e-c0de-26d0-e383c49be941",
              "Name": "nomad-client-1",
              "Datacenter": "dc1",
              "NodePool": "default",
              "NodeClass": "",
              "Status": "ready",
              "StatusDescription": "",
              "SchedulingEligibility": "eligible",
              "Drain": false,
              "HTTPAddr": "10.0.0.12:4646",
              "Meta": {"example": "Hello World!", "connect.log_level": "info", "rack": "r1", "empty": ""},
              "Attributes": {"kernel.name": "linux", "os.name": "ubuntu", "cpu.numcores": "4", "driver.docker": "1",
                             "unique.hostname": "client-1"},
              "Drivers": {
                "docker": {"Detected": true, "Healthy": true, "HealthDescription": "Healthy",
                           "Attributes": {"driver.docker.version": "24.0.7"}},
                "exec": {"Detected": false, "Healthy": false, "HealthDescription": "", "Attributes": {}}
              },
              "Links": {"consul": "dc1.client-1"},
              "NodeResources": {
                "Cpu": {"CpuShares": 4000, "TotalCpuCores": 4, "ReservableCpuCores": [0, 1, 2, 3]},
                "Memory": {"MemoryMB": 7953},
                "MinDynamicPort": 20000,
                "NodeNetworks": [{"Mode": "host", "Device": "eth0", "Speed": 1000}]
              },
              "Events": [{"Message": "Node registered", "Subsystem": "Cluster"},
                         {"Message": "Node heartbeat missed", "Subsystem": "Cluster"}],
              "CSIControllerPlugins": {},
              "CreateIndex": 7,
              "ModifyIndex": 42,
              "LoadAvg": 0.75
            }
            """;

    private static final JsonNode RECORD = Json.parse(NODE);

    @Test
    void matchesTheMetaExampleFromNomadsDocs() throws Exception {
        Filter filter = Filter.compile("Meta.example == \"Hello World!\"");

        assertThat(filter.matches(RECORD)).isTrue();
        assertThat(filter.matches(Json.parse("{\"Meta\": {\"example\": \"Goodbye\"}}"))).isFalse();
        assertThat(filter.matches(Json.parse("{\"Meta\": {}}"))).isFalse();
    }

    static Stream<Arguments> results() {
        return Stream.of(
                is("Meta.example == \"Hello World!\"", true),
                is("Meta.example == `Hello World!`", true),
                is("\"/Meta/example\" == \"Hello World!\"", true),
                is("Meta[\"example\"] == \"Hello World!\"", true),
                is("Meta.example == \"hello world!\"", false),
                is("Meta.example != \"Hello World!\"", false),
                is("Meta.example contains World", true),
                is("Meta.example matches \"^Hello\"", true),
                is("Meta.example matches \"^hello\"", false),
                is("Meta.example matches \"(?i)^hello\"", true),
                is("Meta.example not matches \"^Hello\"", false),
                is("Meta[\"connect.log_level\"] == info", true),
                is("\"/Meta/connect.log_level\" == info", true),
                is("Meta.rack == r1", true),
                is("Meta.rack in Meta", false),
                is("rack in Meta", true),
                is("Meta contains rack", true),
                is("Meta contains region", false),
                is("Meta not contains region", true),
                // keys only, whole keys only
                is("r1 in Meta", false),
                is("rac in Meta", false),
                is("Meta contains \"Hello World!\"", false),
                is("Drivers contains Detected", false),
                is("Meta.region == r1", false),
                is("Meta.region != r1", true),
                is("Meta.region is empty", true),
                is("Meta.region is nil", true),
                is("Meta.empty is empty", true),
                is("Meta.empty is not empty", false),
                is("Meta.empty == \"\"", true),
                is("Meta is empty", false),
                is("Meta is not empty", true),
                is("Attributes[\"os.name\"] == ubuntu", true),
                is("Attributes[\"kernel.name\"] == linux and Attributes[\"cpu.numcores\"] == \"4\"", true),
                is("Attributes[\"cpu.numcores\"] == 4", true),
                is("Status == ready", true),
                is("Status == \"ready\"", true),
                is("Status != ready", false),
                is("Status == down or Status == ready", true),
                is("ea in Status", true),
                is("NodePool == default", true),
                is("NodePool == \"default\" and Datacenter == dc1", true),
                is("Drain == false", true),
                is("Drain == true", false),
                is("Drain == False", true),
                is("Drain == 0", true),
                is("SchedulingEligibility == eligible and not Drain == true", true),
                is("Name matches \"^nomad-client-[0-9]+$\"", true),
                is("Name matches `^nomad-client-\\d+$`", true),
                is("Name matches \"^nomad-client-\\\\d+$\"", true),
                is("NodeClass is empty", true),
                is("ID matches \"^f7476465\"", true),
                is("Drivers.docker.Detected == true", true),
                is("Drivers.docker.Healthy == true and Drivers.exec.Healthy == false", true),
                is("Drivers.docker.Attributes[\"driver.docker.version\"] matches \"^24\\\\.\"", true),
                is("Drivers.exec.Attributes is empty", true),
                is("docker in Drivers", true),
                is("podman in Drivers", false),
                is("Drivers.podman is empty", true),
                is("NodeResources.Cpu.TotalCpuCores == 4", true),
                is("NodeResources.Cpu.TotalCpuCores == \"4\"", true),
                is("NodeResources.Cpu.TotalCpuCores != 8", true),
                is("NodeResources.Memory.MemoryMB == 7953", true),
                is("2 in NodeResources.Cpu.ReservableCpuCores", true),
                is("\"2\" in NodeResources.Cpu.ReservableCpuCores", true),
                is("9 in NodeResources.Cpu.ReservableCpuCores", false),
                is("NodeResources.Cpu.ReservableCpuCores contains 3", true),
                is("NodeResources.Cpu.ReservableCpuCores.0 == 0", true),
                is("NodeResources.NodeNetworks.0.Device == eth0", true),
                is("LoadAvg == 0.75", true),
                is("LoadAvg == \"7.5e-1\"", true),
                is("LoadAvg == 1", false),
                is("CreateIndex == 7", true),
                is("ModifyIndex == 42 and CreateIndex == 7", true),
                is("any Events as e { e.Subsystem == Cluster }", true),
                is("all Events as e { e.Subsystem == Cluster }", true),
                is("any Events as e { e.Message contains missed }", true),
                is("all Events as e { e.Message contains missed }", false),
                is("any Events as i, e { i == 1 and e.Message contains heartbeat }", true),
                is("any Meta as k, v { k == rack and v == r1 }", true),
                is("all Drivers as name, d { d.Detected == true }", false),
                is("any Drivers as name, d { d.Detected == true and name == docker }", true),
                is("any CSIControllerPlugins as id { id == x }", false),
                is("all CSIControllerPlugins as id { id == x }", true));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("results")
    void evaluatesLikeBexpr(String expression, boolean expected) throws Exception {
        assertThat(Filter.compile(expression).matches(RECORD)).isEqualTo(expected);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                fails("Meta.connect.log_level == info",
                        "error finding value in datum: /Meta/connect/log_level at part 1: couldn't find key "
                        + "\"connect\""),
                fails("Attributes.os.name == ubuntu",
                        "error finding value in datum: /Attributes/os/name at part 1: couldn't find key \"os\""),
                fails("Status in ready", "error finding value in datum: /ready at part 0: couldn't find key \"ready\""),
                fails("Drain == no",
                        "error getting match value in expression: strconv.ParseBool: parsing \"no\": invalid syntax"),
                fails("Drivers.podman.Detected == true",
                        "error finding value in datum: /Drivers/podman/Detected at part 1: couldn't find key "
                        + "\"podman\""),
                fails("NodeResources.Cpu.TotalCpuCores == 4.0",
                        "error getting match value in expression: strconv.ParseInt: parsing \"4.0\": invalid syntax"),
                fails("NodeResources.Cpu.TotalCpuCores == four",
                        "error getting match value in expression: strconv.ParseInt: parsing \"four\": invalid syntax"),
                fails("NodeResources.Cpu.ReservableCpuCores.4 == 0",
                        "error finding value in datum: /NodeResources/Cpu/ReservableCpuCores/4 at part 3: index 4 "
                        + "is out of range (length = 4)"),
                fails("Region == global",
                        "error finding value in datum: /Region at part 0: couldn't find key \"Region\""),
                fails("Region != global",
                        "error finding value in datum: /Region at part 0: couldn't find key \"Region\""),
                fails("Status.Code == 1",
                        "error finding value in datum: /Status/Code: at part 1, invalid value kind: string"),
                fails("Meta.example.x == 1",
                        "error finding value in datum: /Meta/example/x: at part 2, invalid value kind: string"),
                fails("Meta == x", "unable to find suitable primitive comparison function for matching"),
                fails("Meta matches x", "value of type map[string]interface {} is not convertible to []byte"),
                fails("CreateIndex matches \"7\"", "value of type int64 is not convertible to []byte"),
                fails("CreateIndex is empty",
                        "cannot perform is-empty operations on type int64 for selector: \"CreateIndex\""),
                fails("Status is nil", "cannot perform is-nil operations on type string for selector: \"Status\""),
                fails("Drain contains x",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("any Status as s { s == x }", "Status is not a list or a map"),
                fails("x in CreateIndex",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failsToEvaluateLikeBexpr(String expression, String message) throws Exception {
        Filter filter = Filter.compile(expression);

        assertThatThrownBy(() -> filter.matches(RECORD))
                .isInstanceOf(FilterEvaluationException.class)
                .hasMessage(message);
    }

    private static Arguments is(String expression, boolean expected) {
        return arguments(expression, expected);
    }

    private static Arguments fails(String expression, String message) {
        return arguments(expression, message);
    }
}
