package io.taskapi.examples.jobspec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nomad's API job schema ({@code api.Job}, {@code api.TaskGroup}, {@code api.Task} and the blocks this agent reads)
 * against what this agent implements. A field of the schema that this agent does not implement is dropped when it is
 * at its null, zero or canonical default value (what Nomad's clients send for "not set"), and refused when it is set;
 * a field outside the schema is refused. Every refused field, at every level, is named in one message.
 */
final class JobFields {
    /** Fields Nomad's server fills in: a job read back and sent again carries them, and registration ignores them. */
    private static final Set<String> JOB_SERVER_FIELDS = Set.of("Status", "StatusDescription", "Stable", "Version",
            "SubmitTime", "CreateIndex", "ModifyIndex", "JobModifyIndex", "NomadTokenID", "VersionTag");

    private static final Level RESTART = new Level(Set.of("Attempts", "Interval", "Delay", "Mode", "RenderTemplates"),
            Set.of(), Map.of(), Map.of());
    private static final Level IDENTITY = new Level(Set.of("Name", "Env", "File"),
            Set.of("Audience", "ChangeMode", "ChangeSignal", "Filepath", "ServiceName", "TTL"), Map.of(), Map.of());
    private static final Level TASK = new Level(
            Set.of("Name", "Driver", "User", "Config", "Env", "Identity", "RestartPolicy"),
            Set.of("Lifecycle", "Constraints", "Affinities", "Services", "Resources", "Meta", "KillTimeout",
                    "LogConfig", "Artifacts", "Vault", "Consul", "Templates", "DispatchPayload", "VolumeMounts",
                    "CSIPluginConfig", "Leader", "ShutdownDelay", "KillSignal", "Kind", "ScalingPolicies",
                    "Identities", "Actions", "Schedule"),
            // what Nomad's Canonicalize fills in
            Map.of("KillTimeout", "5000000000",
                    "LogConfig", "{\"MaxFiles\":10,\"MaxFileSizeMB\":10,\"Disabled\":false}",
                    "Resources", "{\"CPU\":100,\"Cores\":0,\"MemoryMB\":300,\"MemoryMaxMB\":0}"),
            Map.of("Identity", IDENTITY, "RestartPolicy", RESTART));
    private static final Level GROUP = new Level(Set.of("Name", "Count", "Tasks", "RestartPolicy"),
            Set.of("Constraints", "Affinities", "Spreads", "Volumes", "Disconnect", "ReschedulePolicy",
                    "EphemeralDisk", "Update", "Migrate", "Networks", "Meta", "Services", "ShutdownDelay",
                    "StopAfterClientDisconnect", "MaxClientDisconnect", "Scaling", "Consul",
                    "PreventRescheduleOnLost"),
            Map.of("EphemeralDisk", "{\"Sticky\":false,\"Migrate\":false,\"SizeMB\":300}"),
            Map.of("RestartPolicy", RESTART));
    private static final Level JOB = new Level(
            Set.of("ID", "Name", "Type", "Namespace", "Region", "Datacenters", "TaskGroups"),
            Set.of("Priority", "AllAtOnce", "NodePool", "Constraints", "Affinities", "Update", "Multiregion",
                    "Spreads", "Periodic", "ParameterizedJob", "Reschedule", "Migrate", "Meta", "ConsulToken",
                    "VaultToken", "UI", "Stop", "ParentID", "Dispatched", "DispatchIdempotencyToken", "Payload",
                    "ConsulNamespace", "VaultNamespace"),
            Map.of("Priority", "50", "NodePool", "\"default\""),
            Map.of());

    private JobFields() {}

    /**
     * @param job a job in the API's JSON shape
     * @return a copy without the schema fields this agent ignores
     * @throws IllegalArgumentException naming every field that is set but not implemented here, and every field
     *     outside Nomad's schema
     */
    static JsonNode strip(JsonNode job) {
        if (job == null || !job.isObject()) {
            return job;
        }
        ObjectNode copy = ((ObjectNode) job).deepCopy();
        List<String> problems = new ArrayList<>();
        JOB_SERVER_FIELDS.forEach(copy::remove);
        JOB.strip(copy, "Job", problems);
        JsonNode groups = copy.get("TaskGroups");
        if (groups != null && groups.isArray()) {
            for (int g = 0; g < groups.size(); g++) {
                String groupPath = "Job.TaskGroups[" + g + "]";
                if (GROUP.strip(groups.get(g), groupPath, problems)) {
                    JsonNode tasks = groups.get(g).get("Tasks");
                    if (tasks != null && tasks.isArray()) {
                        for (int t = 0; t < tasks.size(); t++) {
                            TASK.strip(tasks.get(t), groupPath + ".Tasks[" + t + "]", problems);
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " fields this agent does not accept: " + String.join("; ", problems));
        }
        return copy;
    }

    /** Whether a value is Go's zero value for its JSON type: null, false, 0, "", an empty list or map. */
    static boolean isZero(JsonNode value) {
        if (value == null || value.isNull()) {
            return true;
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().signum() == 0;
        }
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        if (value.isArray()) {
            return value.isEmpty();
        }
        if (value.isObject()) {
            for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                if (!isZero(it.next())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * One object of the schema.
     *
     * @param implemented the fields this agent reads
     * @param ignoredWhenUnset the schema's other fields
     * @param defaults canonical default values (JSON) of some of those, which count as unset; an object default
     *     matches a value whose fields equal it where both have them and are otherwise zero
     * @param nested implemented fields that are objects of the schema themselves
     */
    private record Level(Set<String> implemented, Set<String> ignoredWhenUnset, Map<String, String> defaults,
                         Map<String, Level> nested) {
        /** @return whether {@code node} is an object (the reader reports what it is otherwise) */
        boolean strip(JsonNode node, String path, List<String> problems) {
            if (node == null || !node.isObject()) {
                return false;
            }
            ObjectNode object = (ObjectNode) node;
            List<String> drop = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (implemented.contains(name)) {
                    Level inner = nested.get(name);
                    if (inner != null) {
                        inner.strip(value, path + "." + name, problems);
                    }
                } else if (ignoredWhenUnset.contains(name)) {
                    if (isZero(value) || isDefault(name, value)) {
                        drop.add(name);
                    } else {
                        problems.add(path + "." + name + ": not supported by this agent");
                    }
                } else {
                    problems.add(path + ": unknown field \"" + name + "\"");
                }
            }
            drop.forEach(object::remove);
            return true;
        }

        private boolean isDefault(String name, JsonNode value) {
            String json = defaults.get(name);
            if (json == null) {
                return false;
            }
            JsonNode expected = Defaults.parse(json);
            if (!expected.isObject() || !value.isObject()) {
                return expected.equals(value) || expected.isNumber() && value.isNumber()
                        && expected.decimalValue().compareTo(value.decimalValue()) == 0;
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode want = expected.get(field.getKey());
                if (want == null ? !isZero(field.getValue()) : !want.equals(field.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Parses the default table's JSON. */
    private static final class Defaults {
        private static final ObjectMapper JSON = new ObjectMapper();

        static JsonNode parse(String json) {
            try {
                return JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a default in the table is not JSON: " + json, e);
            }
        }
    }
}
