package io.switchboard.eye.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecodingTest {

    static final String JSON = "[{\"session_id\":\"s\"}]";

    @Test
    void aPlainBodyIsPassedThrough() {
        Buffer body = Buffer.buffer(JSON);
        assertThat(BodyDecoding.decode(null, body, 100)).isSameAs(body);
        assertThat(BodyDecoding.decode("identity", body, 100)).isSameAs(body);
    }

    @Test
    void aGzipBodyIsInflated() {
        Buffer inflated = BodyDecoding.decode("gzip", gzip(JSON.getBytes(StandardCharsets.UTF_8)), 100);
        assertThat(inflated.toString(StandardCharsets.UTF_8)).isEqualTo(JSON);
    }

    @Test
    void aGzipBombIsRefusedWith413NamingTheLimit() {
        // 10 MB of spaces compress to about 10 kB: small on the wire, huge once inflated.
        Buffer bomb = gzip(" ".repeat(10_000_000).getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length()).isLessThan(20_000);
        assertThatThrownBy(() -> BodyDecoding.decode("gzip", bomb, 1_048_576))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(413);
                    assertThat(e.problem().detail()).contains("more than 1048576 bytes");
                });
    }

    @Test
    void brokenGzipIsA400() {
        assertThatThrownBy(() -> BodyDecoding.decode("gzip", Buffer.buffer("not gzip"), 100))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    @Test
    void anotherCodingIsA415NamingIt() {
        assertThatThrownBy(() -> BodyDecoding.decode("br", Buffer.buffer(JSON), 100))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(415);
                    assertThat(e.problem().detail()).contains("'br'");
                });
    }

    static Buffer gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
