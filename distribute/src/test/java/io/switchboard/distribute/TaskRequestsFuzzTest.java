package io.switchboard.distribute;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.supervise.WorkerCommand;
import io.switchboard.platform.problem.ProblemException;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of the distribute task payload ({@code POST /tasks}) and the long-poll
 * wait: any body is a task or a 4xx problem naming a field, any wait is within its bound or a 400.
 * The corpus beside this class is replayed by the normal build; {@code benchmarks/fuzz.sh} fuzzes
 * longer.
 */
class TaskRequestsFuzzTest {

    private final TaskRequests requests =
            new TaskRequests(DistributeConfig.forTests(1, WorkerCommand.sameJvm("32m")), new BundleStore(1 << 20));

    @FuzzTest(maxDuration = "30s")
    void taskPayloadsAreTasksOrA4xxNamingAField(byte[] body) {
        try {
            assertThat(requests.parse(body)).isNotNull();
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isBetween(400, 499);
            assertThat(refused.problem().parameter()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void waitsAreBoundedOrA400(FuzzedDataProvider data) {
        try {
            Duration wait = TaskRequests.parseWait(data.consumeRemainingAsString());
            if (wait != null) {
                assertThat(wait.isNegative()).isFalse();
                assertThat(wait).isLessThanOrEqualTo(TaskRequests.MAX_WAIT);
            }
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isEqualTo(400);
        }
    }
}
