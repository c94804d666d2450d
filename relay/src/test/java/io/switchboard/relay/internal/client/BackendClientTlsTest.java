package io.switchboard.relay.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An https backend: the client speaks TLS, verifies the backend's certificate against its trust
 * (the JVM's trust store in production) and checks that the certificate names the host it dialled.
 */
class BackendClientTlsTest {

    private static final ClientSettings SETTINGS =
            new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(4), 4);

    private final Vertx serverVertx = Vertx.vertx();
    private final Vertx clientVertx = Vertx.vertx();
    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");

    @AfterEach
    void stop() throws Exception {
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        certificate.delete();
    }

    private int serveTls() throws Exception {
        return serverVertx
                .createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(req -> req.response().end("secret " + req.getHeader("host")))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private BackendClient trustingTheCertificate() throws Exception {
        return new BackendClient(
                clientVertx,
                SETTINGS,
                SslContextBuilder.forClient()
                        .trustManager(new File(certificate.certificatePath()))
                        .build());
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        clientVertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }

    private static BackendCall get(String host, int port) {
        return new BackendCall(
                HttpMethod.GET, new Address(host, port, true), "/", MultiMap.caseInsensitiveMultiMap(), null);
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aTrustedBackendIsReachedOverTls() throws Exception {
        int port = serveTls();
        BackendClient client = trustingTheCertificate();

        String body = onContext(() -> client.send(get("localhost", port))
                        .compose(BackendResponse::body)
                        .map(Object::toString))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(body).isEqualTo("secret localhost:" + port);
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefused() throws Exception {
        int port = serveTls();
        BackendClient client = new BackendClient(clientVertx, SETTINGS);

        Throwable failure = failureOf(onContext(() -> client.send(get("localhost", port))));

        assertThat(failure).isInstanceOf(BackendIoException.class).hasMessageContaining("TLS");
        assertThat(((BackendIoException) failure).timeout()).isFalse();
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        int port = serveTls();
        BackendClient client = trustingTheCertificate();

        Throwable failure = failureOf(onContext(() -> client.send(get("127.0.0.1", port))));

        assertThat(failure).isInstanceOf(BackendIoException.class).hasMessageContaining("TLS");
    }
}
