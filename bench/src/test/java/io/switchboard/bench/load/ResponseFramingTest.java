package io.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing answers as they arrive: each answer is fed in every possible pair of pieces and byte by
 * byte, the way a connection's buffer receives it (unconsumed bytes kept, new ones appended).
 */
class ResponseFramingTest {

    /** What framing found once the answer ended, and how many bytes were left after it. */
    private record Framed(int status, long bodyBytes, boolean keepAlive, int leftOver) {}

    /** Feeds {@code answer} in pieces of {@code piece} bytes (the last split at {@code firstPiece}). */
    private static Framed frame(String answer, int firstPiece, int piece, boolean head) throws ProtocolException {
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        ResponseFraming framing = new ResponseFraming();
        framing.reset(head);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int at = 0;
        int next = firstPiece >= bytes.length ? bytes.length : firstPiece;
        while (true) {
            kept.write(bytes, at, next - at);
            at = next;
            byte[] buffer = kept.toByteArray();
            int consumed = framing.consume(buffer, 0, buffer.length);
            kept.reset();
            kept.write(buffer, consumed, buffer.length - consumed);
            if (framing.done()) {
                return new Framed(
                        framing.status(), framing.bodyBytes(), framing.keepAlive(), kept.size() + bytes.length - at);
            }
            if (at == bytes.length) {
                assertThat(framing.endsAtClose()).as("ended only by the close").isTrue();
                return new Framed(framing.status(), framing.bodyBytes(), framing.keepAlive(), 0);
            }
            next = piece >= bytes.length - at ? bytes.length : at + piece;
        }
    }

    /** Checks that every way of cutting {@code answer} in two, and byte by byte, frames it the same. */
    private static Framed frameEveryWay(String answer, boolean head) throws ProtocolException {
        Framed whole = frame(answer, Integer.MAX_VALUE, Integer.MAX_VALUE, head);
        for (int split = 1; split < answer.length(); split++) {
            assertThat(frame(answer, split, Integer.MAX_VALUE, head))
                    .as("split at " + split)
                    .isEqualTo(whole);
        }
        assertThat(frame(answer, 1, 1, head)).as("byte by byte").isEqualTo(whole);
        return whole;
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                arguments("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, 5, true),
                arguments("HTTP/1.1 404 Not Found\r\ncontent-length:0\r\n\r\n", 404, 0, true),
                arguments("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", 200, 3, true),
                arguments("HTTP/1.1 200 OK\r\nCONNECTION: Close\r\nContent-Length: 2\r\n\r\nab", 200, 2, false),
                arguments("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nab", 200, 2, false),
                arguments("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nab", 200, 2, true),
                arguments("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200, 3, true),
                arguments(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 99\r\n\r\n"
                                + "1a;x=\"y\"\r\nabcdefghijklmnopqrstuvwxyz\r\n2\r\nAB\r\n0\r\nA: b\r\nC: d\r\n\r\n",
                        200,
                        28,
                        true),
                arguments("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", 204, 0, true),
                arguments("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 304, 0, true),
                arguments(
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz",
                        200,
                        1,
                        true),
                arguments("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nuntil the close", 200, 15, false));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void answersAreFramedTheSameHoweverTheyArrive(String answer, int status, long bodyBytes, boolean keepAlive)
            throws ProtocolException {
        Framed framed = frameEveryWay(answer, false);

        assertThat(framed).isEqualTo(new Framed(status, bodyBytes, keepAlive, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n"})
    void anAnswerToHeadEndsWithItsHead(String answer) throws ProtocolException {
        assertThat(frameEveryWay(answer, true)).isEqualTo(new Framed(200, 0, true, 0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabEXTRA",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nEXTRA"
            })
    void bytesAfterTheAnswerAreLeftUnconsumed(String answer) throws ProtocolException {
        assertThat(frame(answer, Integer.MAX_VALUE, Integer.MAX_VALUE, false).leftOver())
                .isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SSH-2.0-OpenSSH_9.6\r\n\r\n",
                "HTTP/2 200\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY",
            })
    void bytesThatAreNotHttpAreRefused(String answer) {
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        ResponseFraming framing = new ResponseFraming();
        framing.reset(false);

        assertThatThrownBy(() -> framing.consume(Arrays.copyOf(bytes, bytes.length), 0, bytes.length))
                .isInstanceOf(ProtocolException.class);
    }
}
