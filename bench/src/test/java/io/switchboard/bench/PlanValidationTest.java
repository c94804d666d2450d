package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanValidationTest {

    @Test
    void onlyHttpAndHttpsTargetsAreAccepted() {
        assertThatThrownBy(() -> RequestSpec.parseUri("ftp://example.com/file"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("URL ftp://example.com/file must start with http:// or https://");
        assertThat(RequestSpec.parseUri("https://example.com").toString()).isEqualTo("https://example.com");
    }

    @Test
    void concurrencyStepsMustBePositive() {
        assertThatThrownBy(() -> new LoadModel.Closed(List.of(1, 0)))
                .hasMessage("--concurrency steps must be between 1 and 10000, was 0");
    }

    @Test
    void headersAreReadLikeCurlsAndBadOnesNamed() {
        assertThat(RequestSpec.Header.parse("Accept:  text/plain"))
                .isEqualTo(new RequestSpec.Header("Accept", "text/plain"));
        assertThatThrownBy(() -> RequestSpec.Header.parse("no colon here"))
                .hasMessage("header 'no colon here' must look like 'Name: value'");
    }

    @Test
    void requestLinesNeedAMethodAndAUrl() {
        RequestSpec spec = RequestSpec.parseLine("post http://127.0.0.1:1/x?y=1 a b", List.of());

        assertThat(spec.method()).isEqualTo("POST");
        assertThat(spec.pathAndQuery()).isEqualTo("/x?y=1");
        assertThat(new String(spec.body(), StandardCharsets.UTF_8)).isEqualTo("a b");
        assertThatThrownBy(() -> RequestSpec.parseLine("GET", List.of()))
                .hasMessage("request line 'GET' must look like 'METHOD URL [body]'");
    }
}
