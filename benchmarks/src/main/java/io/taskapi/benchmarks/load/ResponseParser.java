package io.taskapi.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses incrementally from whatever bytes have arrived: Content-Length, chunked and
 * close-delimited bodies; 1xx interim responses are skipped; {@code Connection: close} and HTTP/1.0 without
 * keep-alive are noticed. Bodies are skipped, not kept: the load generator only needs the status and the framing.
 *
 * <p>One parser per connection, reused: {@link #parse} returns {@code true} once per complete response, then the
 * parser is ready for the next one. Not thread-safe.
 */
public final class ResponseParser {
    private static final int MAX_LINE = 16 * 1024;
    private static final byte[] HTTP_1 = bytes("http/1.");
    private static final byte[] CONTENT_LENGTH = bytes("content-length:");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding:");
    private static final byte[] CONNECTION = bytes("connection:");

    private enum State { STATUS, HEADER, LENGTH_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILER, CLOSE_BODY }

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private State state = State.STATUS;
    private int status;
    private boolean http10;
    private boolean chunked;
    private long contentLength;
    private boolean closeHeader;
    private boolean keepAliveHeader;
    private long remaining;
    private boolean bodyless;

    /** Thrown when the bytes are not an HTTP/1.x response. */
    public static final class ProtocolException extends Exception {
        ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * Prepares for the response to a request whose method forbids a body ({@code HEAD}) or not.
     *
     * @param headRequest whether the next response answers a HEAD
     */
    public void expectBodyless(boolean headRequest) {
        this.bodyless = headRequest;
    }

    /**
     * Consumes bytes up to the end of the current response, or all of them if it is not complete yet.
     *
     * @param in the bytes read; its position moves past what was consumed
     * @return whether a final (non-1xx) response is now complete; {@link #status()} and {@link #closeAfter()} then
     *     describe it and the parser is reset for the next one
     * @throws ProtocolException when the bytes are not a valid response
     */
    public boolean parse(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case STATUS, HEADER, CHUNK_SIZE, CHUNK_CRLF, TRAILER -> {
                    if (!readLine(in)) {
                        return false;
                    }
                    if (onLine()) {
                        return true;
                    }
                }
                case LENGTH_BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.LENGTH_BODY) {
                            return complete();
                        }
                        state = State.CHUNK_CRLF;
                    }
                }
                case CLOSE_BODY -> in.position(in.limit());
                default -> throw new IllegalStateException(state.name());
            }
        }
        return false;
    }

    /**
     * Tells the parser the peer closed the connection.
     *
     * @return whether that completed a close-delimited response (then {@link #status()} describes it)
     */
    public boolean endOfInput() {
        if (state == State.CLOSE_BODY) {
            state = State.STATUS;
            return true;
        }
        return false;
    }

    /** @return whether part of a response has been read and not finished */
    public boolean inResponse() {
        return state != State.STATUS || lineLength > 0;
    }

    /** @return the status of the response {@link #parse} last completed */
    public int status() {
        return status;
    }

    /** @return whether the server will close the connection after the response {@link #parse} last completed */
    public boolean closeAfter() {
        return closeHeader || (http10 && !keepAliveHeader);
    }

    /** Forgets any partial response, for a new connection. */
    public void reset() {
        state = State.STATUS;
        lineLength = 0;
    }

    private boolean readLine(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == MAX_LINE) {
                throw new ProtocolException("a response line is longer than " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    /** @return whether the line completed a response */
    private boolean onLine() throws ProtocolException {
        int length = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS -> statusLine(length);
            case HEADER -> {
                if (length == 0) {
                    return endOfHead();
                }
                header(length);
            }
            case CHUNK_SIZE -> {
                remaining = chunkSize(length);
                state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
            }
            case CHUNK_CRLF -> {
                if (length != 0) {
                    throw new ProtocolException("chunk data is longer than its size");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILER -> {
                if (length == 0) {
                    return complete();
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return false;
    }

    private void statusLine(int length) throws ProtocolException {
        // "HTTP/1.1 200 OK": the version, a space, three digits, then a space or the end of the line.
        if (length < 12 || !startsWith(line, length, HTTP_1) || line[8] != ' '
                || (length > 12 && line[12] != ' ')) {
            throw new ProtocolException("not an HTTP/1.x status line: " + text(0, Math.min(length, 40)));
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            if (line[i] < '0' || line[i] > '9') {
                throw new ProtocolException("bad status code: " + text(9, 3));
            }
            code = code * 10 + (line[i] - '0');
        }
        status = code;
        http10 = line[7] == '0';
        chunked = false;
        contentLength = -1;
        closeHeader = false;
        keepAliveHeader = false;
        state = State.HEADER;
    }

    private void header(int length) throws ProtocolException {
        if (startsWith(line, length, CONTENT_LENGTH)) {
            String value = text(CONTENT_LENGTH.length, length - CONTENT_LENGTH.length).trim();
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length: " + value);
            }
            if (contentLength < 0) {
                throw new ProtocolException("negative Content-Length");
            }
        } else if (startsWith(line, length, TRANSFER_ENCODING)) {
            chunked = text(TRANSFER_ENCODING.length, length - TRANSFER_ENCODING.length).toLowerCase(Locale.ROOT)
                    .contains("chunked");
        } else if (startsWith(line, length, CONNECTION)) {
            String value = text(CONNECTION.length, length - CONNECTION.length).toLowerCase(Locale.ROOT);
            closeHeader |= value.contains("close");
            keepAliveHeader |= value.contains("keep-alive");
        }
    }

    private boolean endOfHead() throws ProtocolException {
        if (status >= 100 && status < 200) {
            if (status == 101) {
                throw new ProtocolException("101 Switching Protocols is not HTTP/1.1 any more");
            }
            state = State.STATUS; // interim: the final response follows
            return false;
        }
        if (bodyless || status == 204 || status == 304) {
            return complete();
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = State.LENGTH_BODY;
            return remaining == 0 && complete();
        } else {
            state = State.CLOSE_BODY;
            closeHeader = true;
        }
        return false;
    }

    private long chunkSize(int length) throws ProtocolException {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < length; i++) {
            int digit = Character.digit(line[i], 16);
            if (digit < 0) {
                if (line[i] == ';' || line[i] == ' ' || line[i] == '\t') {
                    break; // a chunk extension
                }
                throw new ProtocolException("bad chunk size: " + text(0, Math.min(length, 20)));
            }
            if (++digits > 15) {
                throw new ProtocolException("chunk size too large");
            }
            size = size * 16 + digit;
        }
        if (digits == 0) {
            throw new ProtocolException("empty chunk size");
        }
        return size;
    }

    private boolean complete() {
        state = State.STATUS;
        bodyless = false;
        return true;
    }

    private String text(int from, int length) {
        return new String(line, from, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] line, int length, byte[] lowerPrefix) {
        if (length < lowerPrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length; i++) {
            int b = line[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
