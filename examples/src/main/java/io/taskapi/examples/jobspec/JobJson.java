package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A job as the API carries it, in Nomad's JSON shape (the subset {@link JobSpec} holds):
 *
 * <pre>{@code
 * {"ID":"web","Name":"web","Type":"batch","Namespace":"default","Region":"global","Datacenters":["*"],
 *  "TaskGroups":[{"Name":"web","Count":1,"RestartPolicy":{…},"Tasks":[{"Name":"curl","Driver":"exec","User":"nobody",
 *    "Config":{"command":"curl","args":["..."]},"Env":{"K":"v"},"Identity":{"Env":true,"File":false},
 *    "RestartPolicy":{"Attempts":3,"Interval":86400000000000,"Delay":15000000000,"Mode":"fail",
 *      "RenderTemplates":false}}]}]}
 * }</pre>
 *
 * <p>{@code RestartPolicy} (durations in nanoseconds) is optional on groups and tasks and merges as in Nomad: the
 * fields a task's sets replace its group's, whose fields replace the job type's defaults. Written, both carry the
 * effective policy, as Nomad's {@code GET /v1/job/:id} does.
 *
 * <p>Reading is as strict as the job file: unknown fields, wrong types and invalid names are errors naming the field's
 * path ({@code TaskGroups[0].Tasks[0].Driver}). The fields of Nomad's API schema this agent does not implement are
 * ignored at their null, zero or default value; set, they are refused, all of them in one message ({@link JobFields}).
 */
public final class JobJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JobJson() {}

    /**
     * @param job a job
     * @return its JSON form
     */
    public static ObjectNode write(JobSpec job) {
        requireNonNull(job, "job is null");
        ObjectNode out = NODES.objectNode();
        out.put("ID", job.id());
        out.put("Name", job.id());
        out.put("Type", job.type());
        out.put("Namespace", job.namespace());
        out.put("Region", job.region());
        ArrayNode dcs = out.putArray("Datacenters");
        job.datacenters().forEach(dcs::add);
        ArrayNode groups = out.putArray("TaskGroups");
        for (GroupSpec group : job.groups()) {
            ObjectNode g = groups.addObject();
            g.put("Name", group.name());
            g.put("Count", group.count());
            g.set("RestartPolicy", restartJson(group.restart()));
            ArrayNode tasks = g.putArray("Tasks");
            for (TaskSpec task : group.tasks()) {
                ObjectNode t = tasks.addObject();
                t.put("Name", task.name());
                t.put("Driver", task.driver());
                task.user().ifPresent(user -> t.put("User", user));
                t.set("Config", toJson(task.config()));
                ObjectNode env = t.putObject("Env");
                task.env().forEach(env::put);
                ObjectNode identity = t.putObject("Identity");
                identity.put("Env", task.identity().env());
                identity.put("File", task.identity().file());
                t.set("RestartPolicy", restartJson(task.restart()));
            }
        }
        return out;
    }

    /**
     * @param json a job in the API's JSON shape
     * @return the job
     * @throws IllegalArgumentException naming every field of Nomad's schema that is set but not implemented here and
     *     every field outside it (see {@link JobFields}), or else the first field that is wrong
     */
    public static JobSpec read(JsonNode json) {
        Reader job = new Reader(JobFields.strip(json), "Job");
        String id = job.requiredName("ID");
        job.optionalString("Name").ifPresent(name -> {
            if (!name.equals(id)) {
                throw new IllegalArgumentException("Job.Name must equal Job.ID (\"" + id + "\") here");
            }
        });
        String type = job.optionalString("Type").orElse("service");
        if (!JobSpec.TYPES.contains(type)) {
            throw new IllegalArgumentException("Job.Type must be one of " + JobSpec.TYPES + ", not \"" + type + "\"");
        }
        String namespace = job.optionalString("Namespace").orElse("default");
        if (!Names.NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("Job.Namespace \"" + namespace + "\" is not a valid namespace");
        }
        String region = job.optionalString("Region").orElse("global");
        List<String> datacenters = job.optionalStrings("Datacenters").orElse(List.of("*"));
        if (datacenters.isEmpty() || datacenters.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("Job.Datacenters must name at least one datacenter, none empty");
        }
        List<GroupSpec> groups = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        RestartPolicy defaults = RestartPolicy.defaultFor(type);
        for (Reader g : job.requiredObjects("TaskGroups")) {
            String name = g.requiredName("Name");
            if (!groupNames.add(name)) {
                throw new IllegalArgumentException(g.path + ".Name: duplicate group \"" + name + "\"");
            }
            long count = g.optionalLong("Count").orElse(1L);
            if (count < 0 || count > 1000) {
                throw new IllegalArgumentException(g.path + ".Count must be between 0 and 1000");
            }
            RestartPolicy restart = restart(g, defaults);
            List<TaskSpec> tasks = new ArrayList<>();
            Set<String> taskNames = new HashSet<>();
            for (Reader t : g.requiredObjects("Tasks")) {
                String taskName = t.requiredName("Name");
                if (!taskNames.add(taskName)) {
                    throw new IllegalArgumentException(t.path + ".Name: duplicate task \"" + taskName + "\"");
                }
                tasks.add(task(t, taskName, restart));
                t.done();
            }
            groups.add(new GroupSpec(name, (int) count, tasks, restart));
            g.done();
        }
        job.done();
        return new JobSpec(id, type, namespace, region, datacenters, groups);
    }

    private static TaskSpec task(Reader t, String name, RestartPolicy groupRestart) {
        String driver = t.requiredString("Driver");
        if (!Names.DRIVER.matcher(driver).matches()) {
            throw new IllegalArgumentException(t.path + ".Driver \"" + driver + "\" is not a valid driver name");
        }
        Optional<String> user = t.optionalString("User").filter(u -> !u.isEmpty());
        if (user.isPresent() && !Names.USER.matcher(user.get()).matches()) {
            throw new IllegalArgumentException(t.path + ".User \"" + user.get() + "\" is not a valid user name");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        JsonNode configNode = t.field("Config");
        if (configNode != null && !configNode.isNull()) {
            if (!configNode.isObject()) {
                throw new IllegalArgumentException(t.path + ".Config must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) fromJson(configNode, t.path + ".Config");
            config = read;
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = t.field("Env");
        if (envNode != null && !envNode.isNull()) {
            if (!envNode.isObject()) {
                throw new IllegalArgumentException(t.path + ".Env must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> entry : envNode.properties()) {
                String path = t.path + ".Env." + entry.getKey();
                if (!Names.ENV_NAME.matcher(entry.getKey()).matches()) {
                    throw new IllegalArgumentException(path + ": invalid environment variable name");
                }
                if (!entry.getValue().isTextual()) {
                    throw new IllegalArgumentException(path + " must be a string");
                }
                checkTemplate(entry.getValue().textValue(), path);
                env.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        IdentitySpec identity = IdentitySpec.NONE;
        JsonNode identityNode = t.field("Identity");
        if (identityNode != null && !identityNode.isNull()) {
            Reader i = new Reader(identityNode, t.path + ".Identity");
            i.optionalString("Name").ifPresent(n -> {
                if (!n.isEmpty() && !n.equals("default")) {
                    throw new IllegalArgumentException(i.path + ".Name: only the default identity is supported");
                }
            });
            identity = new IdentitySpec(i.optionalBool("Env").orElse(false), i.optionalBool("File").orElse(false));
            i.done();
        }
        return new TaskSpec(name, driver, config, env, user, identity, restart(t, groupRestart));
    }

    private static ObjectNode restartJson(RestartPolicy policy) {
        ObjectNode out = NODES.objectNode();
        out.put("Attempts", policy.attempts());
        out.put("Interval", policy.interval().toNanos());
        out.put("Delay", policy.delay().toNanos());
        out.put("Mode", policy.mode().value());
        out.put("RenderTemplates", false);
        return out;
    }

    /** The object's {@code RestartPolicy} over {@code base}: the fields it sets replace base's. */
    private static RestartPolicy restart(Reader parent, RestartPolicy base) {
        JsonNode node = parent.field("RestartPolicy");
        if (node == null || node.isNull()) {
            return base;
        }
        Reader r = new Reader(node, parent.path + ".RestartPolicy");
        long attempts = r.optionalLong("Attempts").orElse((long) base.attempts());
        if (attempts < 0 || attempts > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(r.path + ".Attempts must be between 0 and " + Integer.MAX_VALUE);
        }
        Duration interval = r.optionalLong("Interval").map(Duration::ofNanos).orElse(base.interval());
        Duration delay = r.optionalLong("Delay").map(Duration::ofNanos).orElse(base.delay());
        RestartPolicy.Mode mode = base.mode();
        Optional<String> modeValue = r.optionalString("Mode");
        if (modeValue.isPresent()) {
            mode = RestartPolicy.Mode.of(modeValue.get()).orElseThrow(() -> new IllegalArgumentException(
                    r.path + ".Mode must be \"fail\" or \"delay\", not \"" + modeValue.get() + "\""));
        }
        // Nomad writes RenderTemplates (re-render templates on restart); there are no templates here to re-render.
        if (r.optionalBool("RenderTemplates").orElse(false)) {
            throw new IllegalArgumentException(r.path + ".RenderTemplates: this agent has no templates to render");
        }
        r.done();
        Optional<String> problem = RestartPolicy.problem((int) attempts, interval, delay, mode);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(r.path + ": " + problem.get());
        }
        return new RestartPolicy((int) attempts, interval, delay, mode);
    }

    /**
     * @param value a config value: string, number, boolean, list or map
     * @return it as JSON
     */
    public static JsonNode toJson(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Long || value instanceof Integer) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode out = NODES.arrayNode();
            list.forEach(element -> out.add(toJson(element)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = NODES.objectNode();
            map.forEach((k, v) -> out.set(String.valueOf(k), toJson(v)));
            return out;
        }
        throw new IllegalArgumentException("not a config value: " + (value == null ? "null" : value.getClass()));
    }

    private static Object fromJson(JsonNode node, String path) {
        if (node.isTextual()) {
            checkTemplate(node.textValue(), path);
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode element : node) {
                out.add(fromJson(element, path + "[" + out.size() + "]"));
            }
            return List.copyOf(out);
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                out.put(entry.getKey(), fromJson(entry.getValue(), path + "." + entry.getKey()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException(path + " must not be null");
    }

    private static void checkTemplate(String text, String path) {
        try {
            Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /** Reads one JSON object's fields and, at {@link #done()}, refuses any field it was not asked about. */
    private static final class Reader {
        private final ObjectNode node;
        private final String path;
        private final Set<String> read = new HashSet<>();

        Reader(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(path + " must be an object");
            }
            this.node = (ObjectNode) node;
            this.path = path;
        }

        JsonNode field(String name) {
            read.add(name);
            return node.get(name);
        }

        String requiredString(String name) {
            return optionalString(name).filter(s -> !s.isEmpty()).orElseThrow(() ->
                    new IllegalArgumentException(path + "." + name + " is required"));
        }

        String requiredName(String name) {
            String value = requiredString(name);
            if (!Names.OBJECT_NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(path + "." + name + " \"" + value + "\" is invalid: "
                        + Names.OBJECT_NAME_RULE);
            }
            return value;
        }

        Optional<String> optionalString(String name) {
            JsonNode value = field(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw new IllegalArgumentException(path + "." + name + " must be a string");
            }
            return Optional.of(value.textValue());
        }

        Optional<Long> optionalLong(String name) {
            JsonNode value = field(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new IllegalArgumentException(path + "." + name + " must be a whole number");
            }
            return Optional.of(value.longValue());
        }

        Optional<Boolean> optionalBool(String name) {
            JsonNode value = field(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(path + "." + name + " must be true or false");
            }
            return Optional.of(value.booleanValue());
        }

        Optional<List<String>> optionalStrings(String name) {
            JsonNode value = field(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isArray()) {
                throw new IllegalArgumentException(path + "." + name + " must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw new IllegalArgumentException(path + "." + name + " must be a list of strings");
                }
                out.add(element.textValue());
            }
            return Optional.of(out);
        }

        List<Reader> requiredObjects(String name) {
            JsonNode value = field(name);
            if (value == null || !value.isArray() || value.isEmpty()) {
                throw new IllegalArgumentException(path + "." + name + " must be a non-empty list");
            }
            List<Reader> out = new ArrayList<>();
            for (JsonNode element : value) {
                out.add(new Reader(element, path + "." + name + "[" + out.size() + "]"));
            }
            return out;
        }

        void done() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!read.contains(name)) {
                    throw new IllegalArgumentException(path + ": unknown field \"" + name + "\"");
                }
            }
        }
    }
}
