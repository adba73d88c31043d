package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.socket.SocketOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * An authenticated, authorized request, as routes see it: who is calling, what their policies allow, the path's
 * parameters, the query and the body (read on demand, within the size limit).
 */
public final class ApiRequest {
    private final Request request;
    private final Identity identity;
    private final Acl acl;
    private final Optional<SocketOrigin> origin;
    private final Map<String, String> params;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;
    private Fields query;
    private byte[] body;

    /**
     * @param request the Jetty request
     * @param identity who the caller proved to be
     * @param acl what the caller's policies allow
     * @param origin the task socket and peer it came through; empty on the operator listener
     * @param params the path's parameters
     * @param mapper reads JSON bodies
     * @param maxBodyBytes the largest body accepted
     */
    public ApiRequest(Request request, Identity identity, Acl acl, Optional<SocketOrigin> origin,
                      Map<String, String> params, ObjectMapper mapper, int maxBodyBytes) {
        this.request = requireNonNull(request, "request is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.acl = requireNonNull(acl, "acl is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.params = Map.copyOf(requireNonNull(params, "params is null"));
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** @return the Jetty request */
    public Request request() {
        return request;
    }

    /** @return who the caller proved to be */
    public Identity identity() {
        return identity;
    }

    /** @return what the caller's policies allow */
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
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter " + name);
        }
        return value;
    }

    /**
     * @param name a query parameter
     * @return its first value, if present
     */
    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        Fields.Field field = query.get(name);
        return field == null ? Optional.empty() : Optional.ofNullable(field.getValue());
    }

    /**
     * Reads the body, refusing one over the size limit.
     *
     * @return the body's bytes, possibly empty
     * @throws ApiException 413 when it is too large, 400 when it cannot be read
     */
    public byte[] body() throws ApiException {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    private byte[] readBody() throws ApiException {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new ApiException(400, "Request body could not be read");
        }
    }

    /**
     * Reads the body as a JSON document.
     *
     * @return the document
     * @throws ApiException 400 when it is empty or not JSON, 413 when it is too large
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

    private ApiException tooLarge() {
        return new ApiException(413, "Request body is larger than " + maxBodyBytes + " bytes");
    }
}
