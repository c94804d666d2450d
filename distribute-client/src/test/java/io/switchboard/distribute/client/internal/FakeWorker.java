package io.switchboard.distribute.client.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a worker does with a "java" task, as the contract describes it, for tests: a class loader
 * over the bundle's bytes alone whose parent sees only the JDK and the client's package, an
 * ObjectInputStream resolving through it under the contract's allow-list, then {@code call()}.
 * That a payload runs here proves it needs nothing the bundle does not hold.
 */
public final class FakeWorker {

    /**
     * JDK classes the worker's filter must let through besides collections, java.math and java.time.
     * Two are easy to forget and every payload needs them: {@code Object} (as {@code Object[]}, the
     * captured values of every {@code SerializedLambda}) and {@code Number} (the superclass
     * descriptor that precedes every boxed number); without either, lambdas fail as REJECTED.
     */
    private static final Set<String> ALLOWED_JDK = Set.of(
            "java.lang.invoke.SerializedLambda",
            "java.lang.Object",
            "java.lang.String",
            "java.lang.Enum",
            "java.lang.Number",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Short",
            "java.lang.Byte",
            "java.lang.Double",
            "java.lang.Float",
            "java.lang.Character",
            "java.lang.Boolean",
            "java.lang.Record");

    private FakeWorker() {}

    /** Runs {@code payload} with nothing but {@code jar} and the client's classes; returns the value. */
    public static Object run(byte[] jar, byte[] payload) throws Exception {
        BundleLoader loader = new BundleLoader(jar);
        Object invocation = deserialize(payload, loader);
        return ((Callable<?>) invocation).call();
    }

    /** A loader over {@code jar} whose parent sees only the JDK and the client's package. */
    public static ClassLoader loaderOf(byte[] jar) throws IOException {
        return new BundleLoader(jar);
    }

    /** Reads one object from {@code payload} as the worker does: through {@code loader}, under the allow-list. */
    public static Object deserialize(byte[] payload, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws ClassNotFoundException {
                return Class.forName(desc.getName(), false, loader);
            }
        }) {
            in.setObjectInputFilter(info -> allowed(info.serialClass(), loader));
            return in.readObject();
        }
    }

    /** The Java serialization of {@code value}, as the worker sends it back. */
    public static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static ObjectInputFilter.Status allowed(Class<?> type, ClassLoader bundle) {
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        String name = type.getName();
        boolean ok = type.isPrimitive()
                || Objects.equals(type.getClassLoader(), bundle)
                || name.startsWith("io.switchboard.distribute.client.")
                || ALLOWED_JDK.contains(name)
                || name.startsWith("java.util.")
                || name.startsWith("java.math.")
                || name.startsWith("java.time.");
        return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }

    /** Defines the bundle's classes; everything else comes from the JDK or the client's package. */
    private static final class BundleLoader extends ClassLoader {
        private final Map<String, byte[]> classes = new HashMap<>();

        BundleLoader(byte[] jar) throws IOException {
            super("bundle", new JdkAndClient());
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    String name = entry.getName();
                    classes.put(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'), zip.readAllBytes());
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name + " is not in the bundle");
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] bytes = name.endsWith(".class")
                    ? classes.get(name.substring(0, name.length() - 6).replace('/', '.'))
                    : null;
            return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
        }
    }

    /** The parent a worker gives bundle loaders: the JDK, plus the client's package from the client jar. */
    private static final class JdkAndClient extends ClassLoader {
        JdkAndClient() {
            super("jdk-and-client", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.switchboard.distribute.client.")) {
                return FakeWorker.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
