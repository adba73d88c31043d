package io.taskapi.plugin.api.exec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.NamespaceCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.WebSocketUpgrade;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.api.ExecTarget;
import io.taskapi.spi.api.TaskExecutor;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.FilesystemIsolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nomad's {@code alloc exec}: {@code GET /v1/client/allocation/:alloc_id/exec?task=T&command=["sh"]&tty=true},
 * upgraded to a WebSocket that carries Nomad's JSON frames ({@link ExecSession}). Everything that can refuse the
 * request does so before the upgrade, as a JSON error: the credential (the chain), the query, the allocation and task
 * (the agent's {@link TaskExecutor}), the caller's {@code alloc-exec} capability in the allocation's namespace (and
 * {@code alloc-node-exec} for a task the driver does not isolate from the host), and whether the driver can exec.
 */
public final class AllocExecRoutes implements RouteGroup {
    private final Optional<TaskExecutor> executor;
    private final ObjectMapper mapper;

    /**
     * @param executor the agent's way into its tasks; empty when it offers none (the route is then not served)
     * @param mapper reads the command and the frames
     */
    public AllocExecRoutes(Optional<TaskExecutor> executor, ObjectMapper mapper) {
        this.executor = requireNonNull(executor, "executor is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public List<Route> routes() {
        if (executor.isEmpty()) {
            return List.of();
        }
        return List.of(Route.on("GET", "/v1/client/allocation/:alloc_id/exec")
                // The capability is checked in the allocation's namespace, known only once it is found.
                .permission(Permission.AUTHENTICATED)
                .help("Runs a command in a running task and streams it over a WebSocket (Nomad's alloc exec):"
                        + " ?task=NAME&command=[\"sh\",\"-c\",\"…\"]&tty=false. Needs alloc-exec in the allocation's"
                        + " namespace (and alloc-node-exec where the driver does not isolate the task). Frames in:"
                        + " {\"stdin\":{\"data\":BASE64}}, {\"stdin\":{\"close\":true}}, {\"tty_size\":{\"height\":H,"
                        + "\"width\":W}}; out: {\"stdout\":{\"data\":BASE64}}, {\"stderr\":…}, {\"exited\":true,"
                        + "\"result\":{\"exit_code\":N}}.")
                // The agent's lookup may block.
                .runs(Execution.BLOCKING, this::exec));
    }

    private WebSocketUpgrade exec(ApiRequest request) throws ApiException {
        String task = request.query("task").filter(name -> !name.isEmpty())
                .orElseThrow(() -> new ApiException(400, "missing task name"));
        ExecCommand command = new ExecCommand(command(request), tty(request));
        ExecTarget target;
        try {
            target = executor.orElseThrow().find(request.param("alloc_id"), task);
        } catch (AgentRouteException e) {
            throw new ApiException(e.status(), e.messages());
        }
        if (!request.acl().allowNamespaceOperation(target.namespace(), NamespaceCapability.ALLOC_EXEC)
                || target.isolation() == FilesystemIsolation.NONE && !request.acl().allowNamespaceOperation(
                        target.namespace(), NamespaceCapability.ALLOC_NODE_EXEC)) {
            throw ApiException.permissionDenied();
        }
        if (!target.canExec()) {
            throw new ApiException(400, "the driver of task \"" + task + "\" cannot run commands in its tasks");
        }
        return new WebSocketUpgrade((upgradeRequest, upgradeResponse, callback) ->
                new ExecSession(target, command, mapper));
    }

    private List<String> command(ApiRequest request) throws ApiException {
        String json = request.query("command").filter(value -> !value.isEmpty())
                .orElseThrow(() -> new ApiException(400, "command is not set"));
        JsonNode parsed;
        try {
            parsed = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isArray() || parsed.isEmpty()) {
            throw new ApiException(400, "command must be a non-empty JSON array of strings, for example"
                    + " [\"sh\",\"-c\",\"echo hi\"]");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode word : parsed) {
            if (!word.isTextual()) {
                throw new ApiException(400, "command must be a non-empty JSON array of strings");
            }
            argv.add(word.asText());
        }
        if (argv.get(0).isEmpty()) {
            throw new ApiException(400, "command's program is empty");
        }
        return argv;
    }

    private static boolean tty(ApiRequest request) throws ApiException {
        Optional<String> tty = request.query("tty").filter(value -> !value.isEmpty());
        if (tty.isEmpty()) {
            return false;
        }
        // Go's strconv.ParseBool, as Nomad reads it.
        return switch (tty.get()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new ApiException(400, "tty value is not a boolean: \"" + tty.get() + "\"");
        };
    }
}
