package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.authz.AccessRequest;
import io.taskapi.plugin.socket.SocketOrigin;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;

/**
 * An authenticated, authorized request, as every route sees it (the plugin's and, through their adapter, the agent's):
 * no Jetty type, only who is calling, what their policies allow, the path's
 * parameters, the query and the body (read before the route runs when the route
 * {@linkplain Execution#readsBody reads one}, so that no route ever waits on a client).
 */
public final class ApiRequest implements AccessRequest {
    private final Identity identity;
    private final Acl acl;
    private final Optional<SocketOrigin> origin;
    private final Map<String, String> params;
    private final ObjectMapper mapper;
    private final Fields query;
    private volatile byte[] body = new byte[0];

    /**
     * @param identity who the caller proved to be
     * @param acl what the caller's policies allow
     * @param origin the task socket and peer it came through; empty on the operator listener
     * @param params the path's parameters
     * @param mapper reads JSON bodies
     * @param query the query's parameters, already parsed
     */
    public ApiRequest(Identity identity, Acl acl, Optional<SocketOrigin> origin,
                      Map<String, String> params, ObjectMapper mapper, Fields query) {
        this.identity = requireNonNull(identity, "identity is null");
        this.acl = requireNonNull(acl, "acl is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.params = Map.copyOf(requireNonNull(params, "params is null"));
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.query = requireNonNull(query, "query is null");
    }

    /** @return who the caller proved to be */
    @Override
    public Identity identity() {
        return identity;
    }

    /** @return what the caller's policies allow */
    @Override
    public Acl acl() {
        return acl;
    }

    /** @return the task socket and peer the request came through; empty on the operator listener */
    public Optional<SocketOrigin> origin() {
        return origin;
    }

    /**
     * @param name a path parameter's name, as in the route's path
     * @return its value
     */
    @Override
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter " + name);
        }
        return value;
    }

    /** @return every query parameter with its values in order */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (Fields.Field field : query) {
            parameters.put(field.getName(), List.copyOf(field.getValues()));
        }
        return parameters;
    }

    /**
     * @param name a query parameter
     * @return its first value, if present
     */
    @Override
    public Optional<String> query(String name) {
        Fields.Field field = query.get(name);
        return field == null ? Optional.empty() : Optional.ofNullable(field.getValue());
    }

    /**
     * @return the body's bytes; empty when there was none, or when the route does not
     *     {@linkplain Execution#readsBody read one}
     */
    public byte[] body() {
        return body;
    }

    /** Called once the body has arrived, before the route runs. */
    void body(byte[] bytes) {
        this.body = requireNonNull(bytes, "bytes is null");
    }

    /**
     * Reads the body as a JSON document.
     *
     * @return the document
     * @throws ApiException 400 when it is empty or not JSON
     */
    public JsonNode bodyJson() throws ApiException {
        byte[] bytes = body();
        if (bytes.length == 0) {
            throw new ApiException(400, "Request body is empty");
        }
        try {
            return mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Only the position: the parser's own message can quote the body, and bodies can hold secrets.
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException(400, "Request body is not valid JSON" + where);
        } catch (IOException e) {
            throw new ApiException(400, "Request body could not be read");
        }
    }
}
