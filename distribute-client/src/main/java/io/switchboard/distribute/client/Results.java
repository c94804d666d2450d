package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Base64;

/**
 * The decoders of results: Java values for shipped functions, JSON for named ones.
 *
 * <p>A Java result is read with an {@link ObjectInputStream} that resolves classes through the
 * function's class loader, so a function returning one of the application's own types gives an
 * instance of the very class the application has (not of the worker's copy). No extra filter is
 * applied beyond the JVM-wide {@code jdk.serialFilter}: the value may be of any class the
 * application has, and the server is the one the application chose to run its code on.
 */
final class Results {

    /** The {@code result_encoding} of a Java value in base64. */
    public static final String JAVA_SERIALIZATION = "java-serialization";

    /** The {@code result_encoding} of a plain JSON value. */
    public static final String JSON_ENCODING = "json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Results() {}

    /** Decodes Java values (and JSON ones as plain Java maps, lists, strings, numbers), resolving classes through {@code loader}. */
    public static ResultDecoder<Object> java(ClassLoader loader) {
        return (result, encoding) -> {
            if (result == null || result.isNull()) {
                return null;
            }
            if (JAVA_SERIALIZATION.equals(encoding)) {
                return deserialize(Base64.getDecoder().decode(result.asText()), loader);
            }
            return JSON.treeToValue(result, Object.class);
        };
    }

    /** Decodes JSON values as they are (and Java values as JSON, through Jackson). */
    public static ResultDecoder<JsonNode> json() {
        return (result, encoding) -> {
            if (JAVA_SERIALIZATION.equals(encoding) && result != null && !result.isNull()) {
                Object value = deserialize(
                        Base64.getDecoder().decode(result.asText()),
                        Thread.currentThread().getContextClassLoader());
                return JSON.valueToTree(value);
            }
            return result == null ? JSON.nullNode() : result;
        };
    }

    /** Reads one object from {@code bytes}, resolving classes through {@code loader} first. */
    static Object deserialize(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // Primitive types and the like: the default resolution knows them.
                }
            }
            return super.resolveClass(desc);
        }
    }
}
