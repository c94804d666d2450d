package io.switchboard.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void aBuildWithoutGitInformationSaysTheCommitIsUnknown() throws IOException {
        BuildInfo info = BuildInfo.from(properties("version=0.1.0\ncommit=${git.commit.id}\n"));

        assertThat(info.describe()).isEqualTo("switchboard 0.1.0 (commit unknown)");
        assertThat(info.commit()).isEqualTo("unknown");
    }

    @Test
    @SuppressWarnings("StringConcatToTextBlock") // one properties line per source line reads better here
    void aDirtyBuildSaysSoAfterTheCommit() throws IOException {
        BuildInfo info = BuildInfo.from(properties("version=1.2.0\ncommit=1234abcdef\ncommit_abbrev=1234abc\n"
                + "commit_time=2026-12-02T09\\:00\\:00Z\ndirty=true\n"));

        assertThat(info.describe()).isEqualTo("switchboard 1.2.0 (commit 1234abc-dirty, 2026-12-02T09:00:00Z)");
    }

    private static ByteArrayInputStream properties(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
