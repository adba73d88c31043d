package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 on the wire, for the requests Jetty's client will not send (malformed lines, duplicate or huge headers):
 * writes exact bytes on a plain channel and reads one response (Content-Length, chunked, or until close).
 */
final class HttpWire {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADER_FIELDS = 1000;
    /** The largest body either client reads. */
    static final int MAX_BODY = 64 * 1024 * 1024;
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /** A response and whether the connection may carry another request. */
    record Exchange(HttpResponse response, boolean reusable) {}

    private HttpWire() {}

    /**
     * Writes the bytes and reads one response, closing the channel when the timeout passes first.
     *
     * @param socket the socket's name, for messages
     */
    static HttpResponse exchange(SocketChannel channel, byte[] request, Duration timeout, Path socket)
            throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            timedOut.set(true);
            try {
                channel.close();
            } catch (IOException e) {
                // closing is all the timer does
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            write(channel, request);
            return read(new BufferedInputStream(Channels.newInputStream(channel)), "GET").response();
        } catch (IOException e) {
            if (timedOut.get()) {
                SocketTimeoutException timeoutException = new SocketTimeoutException(
                        "no complete response from " + socket + " within " + timeout);
                timeoutException.initCause(e);
                throw timeoutException;
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "unix-http-raw-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Reads one response, skipping interim 1xx responses.
     *
     * @param in the connection's buffered input
     * @param method the request's method, since a response to HEAD has no body
     */
    static Exchange read(InputStream in, String method) throws IOException {
        while (true) {
            String statusLine = readLine(in, true);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new ProtocolException("not an HTTP/1.x status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad status code in: " + statusLine);
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            readFields(in, fields);
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            ResponseHeaders headers = new ResponseHeaders(fields);
            boolean http10 = parts[0].equals("HTTP/1.0");
            boolean close = headers.all("Connection").stream()
                    .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("close"));
            byte[] body;
            boolean delimited = true;
            if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
                body = new byte[0];
            } else if (isChunked(headers)) {
                body = readChunked(in, fields);
                headers = new ResponseHeaders(fields);
            } else if (headers.contains("Content-Length")) {
                body = readFixed(in, contentLength(headers));
            } else {
                body = readToEnd(in);
                delimited = false;
            }
            return new Exchange(new HttpResponse(status, headers, new String(body, UTF_8)),
                    delimited && !close && !http10);
        }
    }

    private static boolean isChunked(ResponseHeaders headers) {
        List<String> codings = headers.all("Transfer-Encoding");
        if (codings.isEmpty()) {
            return false;
        }
        String last = codings.get(codings.size() - 1);
        String[] split = last.split(",");
        return split[split.length - 1].trim().equalsIgnoreCase("chunked");
    }

    private static long contentLength(ResponseHeaders headers) throws ProtocolException {
        long length = -1;
        for (String value : headers.all("Content-Length")) {
            for (String part : value.split(",")) {
                long parsed;
                try {
                    parsed = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: " + value);
                }
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    throw new ProtocolException("conflicting or negative Content-Length: " + headers.all(
                            "Content-Length"));
                }
                length = parsed;
            }
        }
        return length;
    }

    private static void readFields(InputStream in, Map<String, List<String>> fields) throws IOException {
        for (int count = 0; ; count++) {
            String line = readLine(in, false);
            if (line.isEmpty()) {
                return;
            }
            if (count >= MAX_HEADER_FIELDS) {
                throw new ProtocolException("more than " + MAX_HEADER_FIELDS + " header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("bad header line: " + line);
            }
            fields.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
    }

    private static byte[] readChunked(InputStream in, Map<String, List<String>> fields) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in, false);
            int semicolon = line.indexOf(';');
            String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size line: " + line);
            }
            if (length < 0 || body.size() + length > MAX_BODY) {
                throw new ProtocolException("chunk size out of range: " + line);
            }
            if (length == 0) {
                readFields(in, fields);   // trailer section
                return body.toByteArray();
            }
            body.writeBytes(readFixed(in, length));
            if (!readLine(in, false).isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
        }
    }

    private static byte[] readFixed(InputStream in, long length) throws IOException {
        if (length > MAX_BODY) {
            throw new ProtocolException("body of " + length + " bytes is larger than " + MAX_BODY);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ProtocolException("body larger than " + MAX_BODY + " bytes");
        }
        return bytes;
    }

    /** Reads up to LF, dropping a CR before it. */
    private static String readLine(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && line.size() == 0
                        ? "the server closed the connection without a response"
                        : "the server closed the connection in the middle of a line");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
