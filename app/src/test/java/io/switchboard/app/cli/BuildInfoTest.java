package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void aBuildWithoutGitInformationSaysTheCommitIsUnknown() {
        assertThat(BuildInfo.from(null, null).describe()).isEqualTo("switchboard dev (commit unknown)");
    }

    @Test
    void aDirtyBuildSaysSoAfterTheCommit() {
        String properties = "git.commit.id.abbrev=1234abc\ngit.dirty=true\ngit.commit.time=2026-12-02T09\\:00\\:00Z\n";

        BuildInfo info =
                BuildInfo.from("1.2.0", new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(info.describe()).isEqualTo("switchboard 1.2.0 (commit 1234abc-dirty, 2026-12-02T09:00:00Z)");
    }
}
