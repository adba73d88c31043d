package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import io.taskapi.hcl.HclAttribute;
import io.taskapi.hcl.HclBlock;
import io.taskapi.hcl.HclBody;
import io.taskapi.hcl.HclBool;
import io.taskapi.hcl.HclList;
import io.taskapi.hcl.HclNumber;
import io.taskapi.hcl.HclObject;
import io.taskapi.hcl.HclParseException;
import io.taskapi.hcl.HclParser;
import io.taskapi.hcl.HclPosition;
import io.taskapi.hcl.HclSchema;
import io.taskapi.hcl.HclString;
import io.taskapi.hcl.HclType;
import io.taskapi.hcl.HclValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job file: the HCL subset Nomad users write for jobs like the Task API example.
 *
 * <pre>
 * job "ID" {
 *   type        = "batch" | "service" | "sysbatch"   # default "service", as in Nomad
 *   namespace   = "default"
 *   region      = "global"
 *   datacenters = ["*"]
 *   group "NAME" {
 *     count = 1
 *     restart { attempts = 2  interval = "30m"  delay = "15s"  mode = "fail" | "delay" }
 *     task "NAME" {
 *       driver = "exec"
 *       user   = "nobody"
 *       config { any attributes and unlabelled blocks }
 *       env    { NAME = "value" }
 *       identity { env = true  file = true }
 *       restart { … }   # over the group's, field by field
 *     }
 *   }
 * }
 * </pre>
 *
 * <p>Strict: every problem is an {@link HclParseException} whose message starts with {@code line:column}, reported in
 * source order; nothing unknown is ignored. {@code ${…}} in {@code config} and {@code env} strings is checked here
 * (only {@code ${NAME}} and {@code ${env["NAME"]}}) and interpolated when the task starts ({@link Template}).
 *
 * <p>{@code restart} merges as in Nomad: the job type's defaults ({@link RestartPolicy#defaultFor}), then the group's
 * block, then the task's, each setting only the fields it names; every task gets the result
 * ({@link TaskSpec#restart()}). Durations are Go durations ({@link GoDuration}).
 */
public final class JobspecParser {
    private static final HclSchema IDENTITY = HclSchema.builder("identity block")
            .attribute("env", HclType.BOOL)
            .attribute("file", HclType.BOOL)
            .build();
    private static final HclSchema RESTART = HclSchema.builder("restart block")
            .attribute("attempts", HclType.INTEGER)
            .attribute("interval", HclType.STRING)
            .attribute("delay", HclType.STRING)
            .attribute("mode", HclType.STRING)
            .build();

    private JobspecParser() {}

    /**
     * @param source the job file's text
     * @return the job
     * @throws HclParseException at the first problem, {@code line:column: what}
     */
    public static JobSpec parse(String source) {
        requireNonNull(source, "source is null");
        HclBody file = HclParser.parse(source);
        schemaFor(file).validate(file);
        List<HclBlock> jobs = file.blocks("job");
        if (jobs.isEmpty()) {
            throw new HclParseException(HclPosition.START, "no job block: a job file holds one job \"ID\" { … }");
        }
        return job(jobs.get(0));
    }

    private static JobSpec job(HclBlock block) {
        String id = name(block, "job");
        HclBody body = block.body();
        String type = string(body, "type").orElse("service");
        if (!JobSpec.TYPES.contains(type)) {
            throw new HclParseException(body.attribute("type").orElseThrow().value().position(),
                    "job type must be one of " + JobSpec.TYPES + ", not \"" + type + "\"");
        }
        String namespace = string(body, "namespace").orElse("default");
        if (!Names.NAMESPACE.matcher(namespace).matches()) {
            throw new HclParseException(body.attribute("namespace").orElseThrow().value().position(),
                    "invalid namespace \"" + namespace + "\": letters, digits and - only, at most 128");
        }
        String region = string(body, "region").orElse("global");
        List<String> datacenters = List.of("*");
        Optional<HclAttribute> dcs = body.attribute("datacenters");
        if (dcs.isPresent()) {
            List<String> values = new ArrayList<>();
            for (HclValue element : ((HclList) dcs.get().value()).elements()) {
                String dc = ((HclString) element).value();
                if (dc.isBlank()) {
                    throw new HclParseException(element.position(), "a datacenter name must not be empty");
                }
                values.add(dc);
            }
            if (values.isEmpty()) {
                throw new HclParseException(dcs.get().value().position(), "datacenters must name at least one");
            }
            datacenters = values;
        }
        List<HclBlock> groupBlocks = body.blocks("group");
        if (groupBlocks.isEmpty()) {
            throw new HclParseException(block.position(), "job \"" + id + "\" has no group block");
        }
        Map<String, HclPosition> seen = new HashMap<>();
        List<GroupSpec> groups = new ArrayList<>();
        RestartPolicy defaults = RestartPolicy.defaultFor(type);
        for (HclBlock groupBlock : groupBlocks) {
            GroupSpec group = group(groupBlock, defaults);
            unique(seen, group.name(), groupBlock, "group");
            groups.add(group);
        }
        return new JobSpec(id, type, namespace, region, datacenters, groups);
    }

    private static GroupSpec group(HclBlock block, RestartPolicy defaults) {
        String name = name(block, "group");
        HclBody body = block.body();
        int count = 1;
        Optional<HclAttribute> countAttribute = body.attribute("count");
        if (countAttribute.isPresent()) {
            HclNumber number = (HclNumber) countAttribute.get().value();
            if (number.value().signum() < 0 || number.value().compareTo(BigDecimal.valueOf(1000)) > 0) {
                throw new HclParseException(number.position(), "count must be between 0 and 1000");
            }
            count = number.value().intValueExact();
        }
        RestartPolicy restart = restart(body, defaults);
        List<HclBlock> taskBlocks = body.blocks("task");
        if (taskBlocks.isEmpty()) {
            throw new HclParseException(block.position(), "group \"" + name + "\" has no task block");
        }
        Map<String, HclPosition> seen = new HashMap<>();
        List<TaskSpec> tasks = new ArrayList<>();
        for (HclBlock taskBlock : taskBlocks) {
            TaskSpec task = task(taskBlock, restart);
            unique(seen, task.name(), taskBlock, "task");
            tasks.add(task);
        }
        return new GroupSpec(name, count, tasks, restart);
    }

    private static TaskSpec task(HclBlock block, RestartPolicy groupRestart) {
        String name = name(block, "task");
        HclBody body = block.body();
        HclString driver = (HclString) body.attribute("driver").orElseThrow().value();
        if (!Names.DRIVER.matcher(driver.value()).matches()) {
            throw new HclParseException(driver.position(), "invalid driver name \"" + driver.value() + "\"");
        }
        Optional<String> user = Optional.empty();
        Optional<HclAttribute> userAttribute = body.attribute("user");
        if (userAttribute.isPresent()) {
            HclString value = (HclString) userAttribute.get().value();
            if (!Names.USER.matcher(value.value()).matches()) {
                throw new HclParseException(value.position(), "invalid user name \"" + value.value() + "\"");
            }
            user = Optional.of(value.value());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        for (HclBlock configBlock : body.blocks("config")) {
            config = bodyValue(configBlock.body(), "config");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (HclBlock envBlock : body.blocks("env")) {
            for (HclAttribute variable : envBlock.body().attributes()) {
                if (!Names.ENV_NAME.matcher(variable.name()).matches()) {
                    throw new HclParseException(variable.position(), "invalid environment variable name \""
                            + variable.name() + "\"");
                }
                env.put(variable.name(), envValue(variable));
            }
        }
        IdentitySpec identity = IdentitySpec.NONE;
        for (HclBlock identityBlock : body.blocks("identity")) {
            identity = new IdentitySpec(bool(identityBlock.body(), "env"), bool(identityBlock.body(), "file"));
        }
        return new TaskSpec(name, driver.value(), config, env, user, identity, restart(body, groupRestart));
    }

    /** The body's {@code restart} block over {@code base}: the fields it sets replace base's. */
    private static RestartPolicy restart(HclBody body, RestartPolicy base) {
        List<HclBlock> blocks = body.blocks("restart");
        if (blocks.isEmpty()) {
            return base;
        }
        HclBlock block = blocks.get(0);
        HclBody restart = block.body();
        int attempts = base.attempts();
        Optional<HclAttribute> attemptsAttribute = restart.attribute("attempts");
        if (attemptsAttribute.isPresent()) {
            HclNumber number = (HclNumber) attemptsAttribute.get().value();
            if (number.value().signum() < 0) {
                throw new HclParseException(number.position(), "restart attempts must not be negative");
            }
            if (number.value().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new HclParseException(number.position(), "restart attempts must be at most "
                        + Integer.MAX_VALUE);
            }
            attempts = number.value().intValueExact();
        }
        Duration interval = duration(restart, "interval").orElse(base.interval());
        Duration delay = duration(restart, "delay").orElse(base.delay());
        RestartPolicy.Mode mode = base.mode();
        Optional<HclAttribute> modeAttribute = restart.attribute("mode");
        if (modeAttribute.isPresent()) {
            HclString value = (HclString) modeAttribute.get().value();
            mode = RestartPolicy.Mode.of(value.value()).orElseThrow(() -> new HclParseException(value.position(),
                    "restart mode must be \"fail\" or \"delay\", not \"" + value.value() + "\""));
        }
        // What is left concerns the fields together, which may come from the group and the task: the block answers.
        Optional<String> problem = RestartPolicy.problem(attempts, interval, delay, mode);
        if (problem.isPresent()) {
            throw new HclParseException(block.position(), problem.get());
        }
        return new RestartPolicy(attempts, interval, delay, mode);
    }

    /** A duration attribute of a restart block: a Go duration, not negative; an interval of at least 5s. */
    private static Optional<Duration> duration(HclBody restart, String name) {
        Optional<HclAttribute> attribute = restart.attribute(name);
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        HclString value = (HclString) attribute.get().value();
        Duration duration;
        try {
            duration = GoDuration.parse(value.value());
        } catch (IllegalArgumentException e) {
            throw new HclParseException(value.position(), "restart " + name + ": " + e.getMessage());
        }
        if (duration.isNegative()) {
            throw new HclParseException(value.position(), "restart " + name + " must not be negative, found \""
                    + value.value() + "\"");
        }
        if (name.equals("interval") && duration.compareTo(RestartPolicy.MIN_INTERVAL) < 0) {
            throw new HclParseException(value.position(), "restart interval must be at least "
                    + GoDuration.format(RestartPolicy.MIN_INTERVAL) + ", found \"" + value.value() + "\"");
        }
        return Optional.of(duration);
    }

    /** A config body: attributes as values, unlabelled nested blocks as lists of maps (Nomad's JSON shape). */
    private static Map<String, Object> bodyValue(HclBody body, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (HclAttribute attribute : body.attributes()) {
            out.put(attribute.name(), value(attribute.value(), path + "." + attribute.name()));
        }
        for (HclBlock block : body.blocks()) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(block.type(), k -> new ArrayList<>());
            list.add(bodyValue(block.body(), path + "." + block.type()));
        }
        for (Map.Entry<String, Object> entry : out.entrySet()) {
            if (entry.getValue() instanceof ArrayList<?> list) {
                entry.setValue(List.copyOf(list));
            }
        }
        return out;
    }

    private static Object value(HclValue value, String path) {
        if (value instanceof HclString string) {
            checkTemplate(string, path);
            return string.value();
        }
        if (value instanceof HclNumber number) {
            if (number.integral()) {
                try {
                    return number.value().longValueExact();
                } catch (ArithmeticException e) {
                    return number.value(); // larger than a long: kept exact
                }
            }
            return number.value();
        }
        if (value instanceof HclBool bool) {
            return bool.value();
        }
        if (value instanceof HclList list) {
            List<Object> out = new ArrayList<>();
            for (HclValue element : list.elements()) {
                out.add(value(element, path + "[" + out.size() + "]"));
            }
            return List.copyOf(out);
        }
        if (value instanceof HclObject object) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (HclAttribute entry : object.entries()) {
                out.put(entry.name(), value(entry.value(), path + "." + entry.name()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new HclParseException(value.position(), path + " must not be null: leave it out instead");
    }

    private static String envValue(HclAttribute variable) {
        HclValue value = variable.value();
        if (value instanceof HclString string) {
            checkTemplate(string, "env." + variable.name());
            return string.value();
        }
        if (value instanceof HclNumber number) {
            return number.value().toPlainString();
        }
        if (value instanceof HclBool bool) {
            return Boolean.toString(bool.value());
        }
        throw new HclParseException(value.position(), "env." + variable.name() + " must be a string, found "
                + value.typeName());
    }

    private static void checkTemplate(HclString string, String path) {
        try {
            Template.parse(string.value());
        } catch (IllegalArgumentException e) {
            throw new HclParseException(string.position(), path + ": " + e.getMessage());
        }
    }

    private static String name(HclBlock block, String what) {
        HclString label = block.labels().get(0);
        if (!Names.OBJECT_NAME.matcher(label.value()).matches()) {
            throw new HclParseException(label.position(), "invalid " + what + " name \"" + label.value()
                    + "\": " + Names.OBJECT_NAME_RULE);
        }
        return label.value();
    }

    private static void unique(Map<String, HclPosition> seen, String name, HclBlock block, String what) {
        HclPosition first = seen.putIfAbsent(name, block.position());
        if (first != null) {
            throw new HclParseException(block.labels().get(0).position(), "duplicate " + what + " \"" + name
                    + "\" (first defined at " + first + ")");
        }
    }

    private static Optional<String> string(HclBody body, String name) {
        return body.attribute(name).map(a -> ((HclString) a.value()).value());
    }

    private static boolean bool(HclBody body, String name) {
        return body.attribute(name).map(a -> ((HclBool) a.value()).value()).orElse(false);
    }

    /**
     * The file's schema. {@code config} and {@code env} take names of the driver's or user's choosing, which a fixed
     * schema cannot list; so they are declared from the names this file uses (any value), which keeps the parser's
     * one strict, source-ordered pass for everything else.
     */
    private static HclSchema schemaFor(HclBody file) {
        List<HclBody> configs = new ArrayList<>();
        List<HclBody> envs = new ArrayList<>();
        for (HclBlock job : file.blocks("job")) {
            for (HclBlock group : job.body().blocks("group")) {
                for (HclBlock task : group.body().blocks("task")) {
                    task.body().blocks("config").forEach(b -> configs.add(b.body()));
                    task.body().blocks("env").forEach(b -> envs.add(b.body()));
                }
            }
        }
        HclSchema task = HclSchema.builder("task block")
                .requiredAttribute("driver", HclType.STRING)
                .attribute("user", HclType.STRING)
                .singleBlock("config", 0, openSchema("config block", configs))
                .singleBlock("env", 0, attributesOnly("env block", envs))
                .singleBlock("identity", 0, IDENTITY)
                .singleBlock("restart", 0, RESTART)
                .build();
        HclSchema group = HclSchema.builder("group block")
                .attribute("count", HclType.INTEGER)
                .singleBlock("restart", 0, RESTART)
                .block("task", 1, task)
                .build();
        HclSchema job = HclSchema.builder("job block")
                .attribute("type", HclType.STRING)
                .attribute("namespace", HclType.STRING)
                .attribute("region", HclType.STRING)
                .attribute("datacenters", HclType.LIST_OF_STRINGS)
                .block("group", 1, group)
                .build();
        return HclSchema.builder("job file").singleBlock("job", 1, job).build();
    }

    /** Any attribute these bodies use (any value), and their unlabelled nested blocks, recursively. */
    private static HclSchema openSchema(String description, List<HclBody> bodies) {
        HclSchema.Builder builder = HclSchema.builder(description);
        Set<String> attributes = new LinkedHashSet<>();
        Map<String, List<HclBody>> blocks = new LinkedHashMap<>();
        for (HclBody body : bodies) {
            body.attributes().forEach(a -> attributes.add(a.name()));
            body.blocks().forEach(b -> blocks.computeIfAbsent(b.type(), k -> new ArrayList<>()).add(b.body()));
        }
        attributes.forEach(name -> builder.attribute(name, HclType.ANY));
        // A name used as an attribute in one config and a block in another stays an attribute: the block is then
        // reported as "must be an attribute, not a block" at its own position.
        blocks.forEach((type, nested) -> {
            if (!attributes.contains(type)) {
                builder.block(type, 0, openSchema(type + " block", nested));
            }
        });
        return builder.build();
    }

    private static HclSchema attributesOnly(String description, List<HclBody> bodies) {
        HclSchema.Builder builder = HclSchema.builder(description);
        Set<String> names = new LinkedHashSet<>();
        bodies.forEach(body -> body.attributes().forEach(a -> names.add(a.name())));
        names.forEach(name -> builder.attribute(name, HclType.ANY));
        return builder.build();
    }
}
