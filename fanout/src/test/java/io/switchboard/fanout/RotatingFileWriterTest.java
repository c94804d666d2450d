package io.switchboard.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.fanout.errorlog.RotatingFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void theLogRotatesBySizeAndKeepsTheConfiguredNumberOfOldFiles() throws Exception {
        Path log = dir.resolve("logs/backend_errors.log");
        try (RotatingFileWriter writer = new RotatingFileWriter(log, 1024, 2)) {
            for (int i = 0; i < 100; i++) {
                writer.append("%03d %s".formatted(i, "x".repeat(95)));
            }
        }
        assertThat(log).exists();
        assertThat(log.resolveSibling("backend_errors.log.1")).exists();
        assertThat(log.resolveSibling("backend_errors.log.2")).exists();
        assertThat(log.resolveSibling("backend_errors.log.3")).doesNotExist();
        for (String name : new String[] {"backend_errors.log", "backend_errors.log.1", "backend_errors.log.2"}) {
            assertThat(Files.size(log.resolveSibling(name))).as(name).isLessThanOrEqualTo(1024);
        }
        // The newest lines are in the current file, the last one at its end.
        assertThat(Files.readAllLines(log)).last().asString().startsWith("099 ");
    }

    @Test
    void aSizeLimitBelowOneByteIsRefusedWithItsValue() {
        assertThatThrownBy(() -> new RotatingFileWriter(dir.resolve("x.log"), 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log file size limit must be at least 1 byte, was 0");
    }
}
