package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.examples.jobspec.Template;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task's environment and the interpolation of its {@code config} and {@code env}, as Nomad's client builds them
 * ({@code client/taskenv}): first Nomad's variables ({@code NOMAD_ALLOC_ID}, {@code NOMAD_SECRETS_DIR}…, with the
 * directories as the task sees them), then {@code NOMAD_TOKEN} and {@code NOMAD_UNIX_ADDR} when
 * {@code identity { env = true }}, then the job's
 * {@code env}, each value interpolated against the variables before it and the node's ({@code attr.*},
 * {@code node.*}, {@code meta.*}); an unknown variable there stays as written. {@code config} strings are then
 * interpolated against all of that, and an unknown variable there is an error, as in Nomad's HCL 2 evaluation of a
 * driver config. The driver adds the socket's variables from its mount last.
 *
 * <p>Only {@code PATH} is taken from the agent's own environment, so that commands are found, and only for a driver
 * that runs no image ({@link FilesystemIsolation#IMAGE}: the image's own {@code PATH} stays); nothing else of the
 * agent's (its tokens, say) leaks into a task.
 */
public final class TaskEnvironment {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Map<String, String> environment;
    private final Map<String, String> nodeVariables;

    private TaskEnvironment(Map<String, String> environment, Map<String, String> nodeVariables) {
        this.environment = Collections.unmodifiableMap(environment);
        this.nodeVariables = nodeVariables;
    }

    /**
     * @param job the job
     * @param task the task
     * @param ref the task's coordinates (its allocation id among them)
     * @param allocIndex the allocation's index in its group
     * @param dirs the task's directories on the host
     * @param isolation the driver's isolation, which decides the paths the task sees
     * @param datacenter this node's datacenter
     * @param token the task's workload identity, when it goes into the environment
     * @param nodeVariables the node's interpolation variables
     * @return the environment
     */
    public static TaskEnvironment build(JobSpec job, TaskSpec task, TaskRef ref, int allocIndex, TaskDirLayout dirs,
                                        FilesystemIsolation isolation, String datacenter, Optional<String> token,
                                        Map<String, String> nodeVariables) {
        requireNonNull(token, "token is null");
        Map<String, String> env = new LinkedHashMap<>();
        if (isolation != FilesystemIsolation.IMAGE) {
            // As Nomad: host variables only for drivers that run no image. An image has its own PATH (its programs
            // may be only there), which the agent's would replace.
            String path = System.getenv("PATH");
            env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path);
        }
        boolean host = isolation == FilesystemIsolation.NONE;
        env.put("NOMAD_ALLOC_DIR", host ? dirs.allocShared().toString() : "/alloc");
        env.put("NOMAD_TASK_DIR", host ? dirs.localDir().toString() : "/local");
        env.put("NOMAD_SECRETS_DIR", host ? dirs.secretsDir().toString() : "/secrets");
        env.put("NOMAD_ALLOC_ID", ref.allocationId());
        env.put("NOMAD_SHORT_ALLOC_ID", ref.allocationId().substring(0, Math.min(8, ref.allocationId().length())));
        env.put("NOMAD_ALLOC_NAME", job.id() + "." + ref.group() + "[" + allocIndex + "]");
        env.put("NOMAD_ALLOC_INDEX", Integer.toString(allocIndex));
        env.put("NOMAD_GROUP_NAME", ref.group());
        env.put("NOMAD_TASK_NAME", ref.taskName());
        env.put("NOMAD_JOB_ID", job.id());
        env.put("NOMAD_JOB_NAME", job.id());
        env.put("NOMAD_NAMESPACE", job.namespace());
        env.put("NOMAD_REGION", job.region());
        env.put("NOMAD_DC", datacenter);
        token.ifPresent(jwt -> {
            env.put("NOMAD_TOKEN", jwt);
            // As Nomad: with an identity in the environment comes the socket's address, so that the job's env can
            // say NOMAD_ADDR = "${NOMAD_UNIX_ADDR}". The driver's mount sets the same value again.
            env.put("NOMAD_UNIX_ADDR", "unix://" + env.get("NOMAD_SECRETS_DIR") + "/api.sock");
        });
        TaskEnvironment nomad = new TaskEnvironment(new LinkedHashMap<>(env), Map.copyOf(nodeVariables));
        for (Map.Entry<String, String> variable : task.env().entrySet()) {
            try {
                env.put(variable.getKey(), nomad.render(variable.getValue(), Template.Unknown.KEEP));
            } catch (Template.UnknownVariableException e) {
                throw new AssertionError("KEEP never fails", e);
            }
        }
        return new TaskEnvironment(env, Map.copyOf(nodeVariables));
    }

    /** @return the variables, in the order they were set (never log them: NOMAD_TOKEN is a secret) */
    public Map<String, String> variables() {
        return environment;
    }

    /**
     * Interpolates every string in a config value.
     *
     * @param config the task's config
     * @return the config with every variable replaced
     * @throws InterpolationException naming the first unknown variable and where it is ({@code config.args[3]})
     */
    public Map<String, Object> interpolateConfig(Map<String, Object> config) throws InterpolationException {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) interpolate(config, "config");
        return out;
    }

    private Object interpolate(Object value, String path) throws InterpolationException {
        if (value instanceof String text) {
            try {
                return render(text, Template.Unknown.FAIL);
            } catch (Template.UnknownVariableException e) {
                throw new InterpolationException(path + ": " + e.getMessage());
            }
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object element : list) {
                out.add(interpolate(element, path + "[" + out.size() + "]"));
            }
            return List.copyOf(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                out.put(key, interpolate(entry.getValue(), path + "." + key));
            }
            return Collections.unmodifiableMap(out);
        }
        return value;
    }

    private String render(String text, Template.Unknown unknown) throws Template.UnknownVariableException {
        return Template.parse(text).render(reference -> {
            String value = environment.get(reference.name());
            if (value == null && reference.kind() == Template.Reference.Kind.VARIABLE) {
                value = nodeVariables.get(reference.name());
            }
            return Optional.ofNullable(value);
        }, unknown);
    }

    /** A config string names a variable the task does not have. The message names it, never a value. */
    public static final class InterpolationException extends Exception {
        private static final long serialVersionUID = 1L;

        InterpolationException(String message) {
            super(message);
        }
    }
}
