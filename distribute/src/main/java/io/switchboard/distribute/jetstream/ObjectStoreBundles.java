package io.switchboard.distribute.jetstream;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.ObjectInfo;
import io.switchboard.distribute.bundle.BundleMirror;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundles shared through JetStream's object store: an upload to any {@code serve} instance reaches
 * the node that runs the task. Objects are named by their SHA-256, which the store re-checks.
 */
public final class ObjectStoreBundles implements BundleMirror {

    private static final Logger log = LoggerFactory.getLogger(ObjectStoreBundles.class);

    private final JetStreamLink link;

    public ObjectStoreBundles(JetStreamLink link) {
        this.link = link;
    }

    @Override
    public void put(String id, byte[] jar) {
        try {
            ObjectInfo existing = link.bundles().getInfo(id);
            if (existing == null || existing.isDeleted()) {
                link.bundles().put(id, jar);
            }
        } catch (IOException | JetStreamApiException | NoSuchAlgorithmException e) {
            // The uploader's own instance still holds it; other nodes answer "unknown bundle" and
            // the client uploads again.
            log.atWarn()
                    .addKeyValue("bundle", id)
                    .log("distribute: bundle not shared through NATS: {}", e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> get(String id) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            link.bundles().get(id, out);
            return Optional.of(out.toByteArray());
        } catch (JetStreamApiException | IllegalArgumentException e) {
            // not there (the object store reports a missing object either way)
            return Optional.empty();
        } catch (IOException | NoSuchAlgorithmException e) {
            log.atWarn().addKeyValue("bundle", id).log("distribute: bundle not read from NATS: {}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
