package io.switchboard.distribute.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An {@link Invocation} in Java serialization, with the classes its stream names. Those classes
 * are exactly what the worker's {@code ObjectInputStream} will have to resolve (the capturing
 * class of each lambda, the classes of captured values and arguments, nested ones included), so
 * they are the roots of the bundle; recording them while serializing costs nothing extra.
 *
 * @param bytes the serialized invocation, the task's payload
 * @param classes every class whose descriptor the stream holds, JDK ones included
 */
public record SerializedInvocation(byte[] bytes, Set<Class<?>> classes) {

    /**
     * Serializes {@code invocation}.
     *
     * @throws IOException when something in it is not serializable ({@code NotSerializableException})
     */
    public static SerializedInvocation of(Invocation invocation) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RecordingStream out = new RecordingStream(bytes)) {
            out.writeObject(invocation);
            out.flush();
            return new SerializedInvocation(bytes.toByteArray(), Collections.unmodifiableSet(out.classes));
        }
    }

    /** Records the class of every descriptor written: {@code annotateClass} is called once per class. */
    private static final class RecordingStream extends ObjectOutputStream {
        private final Set<Class<?>> classes = new LinkedHashSet<>();

        RecordingStream(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> type) {
            classes.add(type);
        }

        @Override
        protected void annotateProxyClass(Class<?> type) {
            classes.add(type);
            Collections.addAll(classes, type.getInterfaces());
        }
    }
}
