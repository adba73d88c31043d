package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private final ResponseParser parser = new ResponseParser();

    @Test
    void readsAContentLengthBodyInOneGoAndByteByByte() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                + "{\"ok\":true}\r\n";
        ByteBuffer whole = bytes(response);
        assertThat(parser.parse(whole)).isTrue();
        assertThat(whole.hasRemaining()).isFalse();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.closeAfter()).isFalse();

        assertThat(byteByByte(response)).isEqualTo(response.length());
        assertThat(parser.status()).isEqualTo(200);
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        String response = "HTTP/1.1 403 Forbidden\r\ntransfer-encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                + "0\r\nX-Trailer: yes\r\n\r\n";
        assertThat(parser.parse(bytes(response))).isTrue();
        assertThat(parser.status()).isEqualTo(403);
        assertThat(byteByByte(response)).isEqualTo(response.length());
        assertThat(parser.inResponse()).isFalse();
    }

    @Test
    void stopsAtTheEndOfEachResponse() throws Exception {
        ByteBuffer two = bytes("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(parser.parse(two)).isTrue();
        assertThat(parser.status()).isEqualTo(401);
        assertThat(two.hasRemaining()).isTrue();
        assertThat(parser.parse(two)).isTrue();
        assertThat(parser.status()).isEqualTo(204);
        assertThat(two.hasRemaining()).isFalse();
    }

    @Test
    void skipsInterimResponses() throws Exception {
        assertThat(parser.parse(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")))
                .isTrue();
        assertThat(parser.status()).isEqualTo(200);
    }

    @Test
    void noticesWhenTheServerWillClose() throws Exception {
        assertThat(parser.parse(bytes("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0"
                + "\r\n\r\n"))).isTrue();
        assertThat(parser.closeAfter()).isTrue();
        assertThat(parser.parse(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"))).isTrue();
        assertThat(parser.closeAfter()).isTrue();
        assertThat(parser.parse(bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")))
                .isTrue();
        assertThat(parser.closeAfter()).isFalse();
    }

    @Test
    void readsAClosedDelimitedBodyToTheEnd() throws Exception {
        assertThat(parser.parse(bytes("HTTP/1.1 200 OK\r\n\r\nsome body"))).isFalse();
        assertThat(parser.parse(bytes(" and more"))).isFalse();
        assertThat(parser.endOfInput()).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.closeAfter()).isTrue();
    }

    @Test
    void aHeadResponseHasNoBody() throws Exception {
        parser.expectBodyless(true);
        assertThat(parser.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))).isTrue();
    }

    @Test
    void aTruncatedResponseIsNotComplete() throws Exception {
        assertThat(parser.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))).isFalse();
        assertThat(parser.inResponse()).isTrue();
        assertThat(parser.endOfInput()).isFalse();
    }

    @Test
    void refusesWhatIsNotHttp() {
        assertThatThrownBy(() -> parser.parse(bytes("SSH-2.0-OpenSSH\r\n")))
                .isInstanceOf(ResponseParser.ProtocolException.class);
        parser.reset();
        assertThatThrownBy(() -> parser.parse(bytes("HTTP/1.1 2x0 OK\r\n")))
                .isInstanceOf(ResponseParser.ProtocolException.class);
        parser.reset();
        assertThatThrownBy(() -> parser.parse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")))
                .isInstanceOf(ResponseParser.ProtocolException.class);
        parser.reset();
        assertThatThrownBy(() -> parser.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")))
                .isInstanceOf(ResponseParser.ProtocolException.class);
    }

    /** @return how many bytes were fed, one at a time, until the response completed */
    private int byteByByte(String response) throws Exception {
        byte[] all = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length; i++) {
            if (parser.parse(ByteBuffer.wrap(all, i, 1))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
