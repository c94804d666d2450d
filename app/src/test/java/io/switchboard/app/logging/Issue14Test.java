package io.switchboard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, defect 7: with stderr stalled, the asynchronous appender used to block the thread that
 * logs (an event loop). Now the event is dropped and counted.
 */
class Issue14Test {

    /** Stands in for a stderr nobody reads: every write waits until released. */
    private static final class StalledAppender extends AppenderBase<ILoggingEvent> {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent event) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aStalledOutputDropsAndCountsEventsInsteadOfBlockingTheCaller() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        StalledAppender stalled = new StalledAppender();
        stalled.setContext(context);
        stalled.start();
        DroppingAsyncAppender async = new DroppingAsyncAppender();
        async.setContext(context);
        async.setQueueSize(16);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false); // a configuration asking to block is overridden
        async.addAppender(stalled);
        async.start();
        Logger logger = context.getLogger("test");
        logger.addAppender(async);
        long droppedBefore = DroppingAsyncAppender.dropped();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 10_000; i++) {
                    logger.info("event {}", i);
                }
            });
            assertThat(DroppingAsyncAppender.dropped() - droppedBefore).isGreaterThan(9_000);
        } finally {
            stalled.release.countDown();
            async.stop();
            context.stop();
        }
    }
}
