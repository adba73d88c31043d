package io.taskapi.plugin.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers every request with the {@link SocketOrigin} as JSON, or {@code {"origin":null}} when there is none. */
final class OriginEchoHandler extends Handler.Abstract.NonBlocking {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<SocketOrigin> origin = SocketOrigin.of(request);
        Map<String, Object> body = new LinkedHashMap<>();
        if (origin.isEmpty()) {
            body.put("origin", null);
        } else {
            TaskSocket socket = origin.get().socket();
            body.put("alloc", socket.request().task().allocationId());
            body.put("task", socket.request().task().taskName());
            body.put("hostPath", socket.hostPath().toString());
            body.put("pid", origin.get().peer().pid());
            body.put("uid", origin.get().peer().uid());
            body.put("gid", origin.get().peer().gid());
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, JSON.writeValueAsString(body), callback);
        return true;
    }
}
