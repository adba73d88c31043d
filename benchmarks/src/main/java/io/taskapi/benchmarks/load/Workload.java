package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One kind of request and how many keep-alive connections send it, closed loop.
 *
 * @param label names the workload in results
 * @param method the HTTP method
 * @param path the request target
 * @param headers extra header lines ({@code Name: value}); {@code Host: localhost} is added unless one is given
 * @param body the request body (may be empty); {@code Content-Length} is added for a body and for POST, PUT, PATCH
 * @param connections how many connections send it
 */
public record Workload(String label, String method, String path, List<String> headers, byte[] body,
                       int connections) {
    /** Checks the values. */
    public Workload {
        requireNonNull(label, "label is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
        body = requireNonNull(body, "body is null").clone();
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
        for (String header : headers) {
            if (header.indexOf(':') <= 0 || header.contains("\r") || header.contains("\n")) {
                throw new IllegalArgumentException("not a header line: " + header);
            }
        }
    }

    /** @return the request exactly as it goes on the wire */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String header : headers) {
            host |= header.regionMatches(true, 0, "host:", 0, 5);
            head.append(header).append("\r\n");
        }
        if (!host) {
            head.append("Host: localhost\r\n");
        }
        if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** @return whether responses carry no body whatever their headers say */
    public boolean head() {
        return method.equals("HEAD");
    }

    /** @return the body, a copy */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** @return the shape, without header values (they may be credentials) */
    @Override
    public String toString() {
        return "Workload[" + label + ": " + method + " " + path + ", " + headers.size() + " headers, "
                + body.length + " body bytes, " + connections + " connections]";
    }
}
