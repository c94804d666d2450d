package io.switchboard.distribute.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The link between the dispatcher and a worker: frames of a 4-byte big-endian length followed by
 * that many bytes of UTF-8 JSON, one {@link Message} per frame, over one TCP connection per worker.
 *
 * <p>Why not HTTP: a worker holds one long-lived, two-way conversation (tasks down, bundle requests
 * and results up), and a length-prefixed frame costs one read of a few bytes, which keeps the round
 * trip of an empty task in the tens of microseconds. JSON keeps the frames readable in a capture.
 *
 * <p>This side of the link is blocking I/O, used by the worker process; the dispatcher reads the
 * same frames with Vert.x (see {@code WorkerLinkServer}).
 */
public final class Frames {

    /** Largest frame either side accepts: a bundle of classes or a serialized argument fits well within. */
    public static final int MAX_FRAME_BYTES = 64 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {}

    /** Encodes one message as a frame body (without the length prefix). */
    public static byte[] encode(ObjectNode message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always encodes", e);
        }
    }

    /** Decodes a frame body. */
    public static ObjectNode decode(byte[] body) throws IOException {
        if (!(JSON.readTree(body) instanceof ObjectNode object)) {
            throw new IOException("a frame holds one JSON object");
        }
        return object;
    }

    /** Writes one frame; callers serialise writers themselves (one writer at a time). */
    public static void write(DataOutputStream out, ObjectNode message) throws IOException {
        byte[] body = encode(message);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    /** Reads one frame; {@link EOFException} when the peer closed the connection. */
    public static ObjectNode read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new IOException("frame of " + length + " bytes is outside 0.." + MAX_FRAME_BYTES);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return decode(body);
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
