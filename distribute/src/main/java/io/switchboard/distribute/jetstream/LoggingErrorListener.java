package io.switchboard.distribute.jetstream;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends what the NATS client reports about its connection to our structured log. */
final class LoggingErrorListener implements ErrorListener {

    private static final Logger log = LoggerFactory.getLogger(LoggingErrorListener.class);

    @Override
    public void errorOccurred(Connection connection, String error) {
        log.atWarn().addKeyValue("nats", connection.getConnectedUrl()).log("NATS error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
        log.atWarn().addKeyValue("nats", connection.getConnectedUrl()).log("NATS connection: {}", exception.toString());
    }

    @Override
    public void slowConsumerDetected(Connection connection, Consumer consumer) {
        log.atWarn().log("NATS: a subscription of distribute falls behind its messages");
    }
}
