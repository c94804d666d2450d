package io.switchboard.distribute.client.internal;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Explains why a function or an argument cannot be serialized, by naming the path to the first
 * value that is not {@link Serializable}: {@code captured value #1 (com.example.Config) -> field
 * 'socket' (java.net.Socket) is not serializable}. Java serialization itself only says {@code
 * NotSerializableException: java.net.Socket}, which leaves the user to guess where the socket
 * hides; this runs only after serialization failed, so its cost does not matter.
 *
 * <p>The walk mirrors default serialization: a lambda's captured values, then the non-static,
 * non-transient fields of each serializable class up the hierarchy; elements of JDK collections,
 * maps and arrays, whose fields it cannot (and need not) read. It stops at {@link #MAX_DEPTH} and
 * visits each object once. Classes with custom {@code writeObject} or {@code writeReplace} may
 * serialize something else than their fields; for them the walk may find nothing, and the caller
 * falls back to the serialization error.
 */
public final class CaptureChecker {

    /** How deep the walk goes into nested values before giving up. */
    static final int MAX_DEPTH = 32;

    /** How many elements of one collection, map or array the walk looks at. */
    static final int MAX_ELEMENTS = 10_000;

    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private CaptureChecker() {}

    /**
     * How messages name a function: {@code lambda in com.example.App.main}, {@code method reference
     * com.example.Tasks::square} or {@code function object com.example.Square}.
     */
    public static String describe(Object function) {
        SerializedLambda lambda = serializedLambda(function);
        if (lambda == null) {
            return "function object " + typeName(function.getClass());
        }
        String implClass = lambda.getImplClass().replace('/', '.');
        String implMethod = lambda.getImplMethodName();
        if (implMethod.startsWith("lambda$")) {
            // javac names a lambda's body lambda$<enclosing method>$<suffix>; people know the enclosing method.
            int end = implMethod.indexOf('$', "lambda$".length());
            String enclosing = implMethod.substring("lambda$".length(), end > 0 ? end : implMethod.length());
            return "lambda in " + implClass + "." + enclosing;
        }
        return "method reference " + implClass + "::" + lambda.getImplMethodName();
    }

    /** Why {@code function} cannot be serialized, e.g. {@code captured value #1 (java.net.Socket) is not serializable}. */
    public static Optional<String> culpritInFunction(Object function) {
        CaptureChecker checker = new CaptureChecker();
        SerializedLambda lambda = serializedLambda(function);
        if (lambda == null) {
            return checker.fields("", function, 0);
        }
        checker.seen.add(function);
        int value = 0;
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object captured = lambda.getCapturedArg(i);
            if (i == 0 && capturesThis(lambda)) {
                if (!(captured instanceof Serializable)) {
                    return Optional.of(
                            "it captures 'this' of " + typeName(captured.getClass()) + ", which is not serializable");
                }
                Optional<String> culprit = checker.walk("'this'", captured, 1);
                if (culprit.isPresent()) {
                    return culprit;
                }
                continue;
            }
            value++;
            Optional<String> culprit = checker.walk("captured value #" + value, captured, 1);
            if (culprit.isPresent()) {
                return culprit;
            }
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be serialized, its path starting with {@code label}, e.g. {@code argument #1}. */
    public static Optional<String> culpritInValue(String label, @Nullable Object value) {
        return new CaptureChecker().walk(label, value, 0);
    }

    /** The lambda a serializable lambda's {@code writeReplace} stands for, or null for anything else. */
    static @Nullable SerializedLambda serializedLambda(Object function) {
        if (!function.getClass().isSynthetic() && !function.getClass().isHidden()) {
            return null;
        }
        try {
            Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(function) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the lambda's first captured value is the enclosing instance: its implementation is an
     * instance method of the capturing class itself (a lambda body that uses {@code this}, or {@code
     * this::method}).
     */
    private static boolean capturesThis(SerializedLambda lambda) {
        int kind = lambda.getImplMethodKind();
        boolean instanceMethod = kind == MethodHandleInfo.REF_invokeVirtual
                || kind == MethodHandleInfo.REF_invokeSpecial
                || kind == MethodHandleInfo.REF_invokeInterface;
        return instanceMethod && lambda.getImplClass().equals(lambda.getCapturingClass());
    }

    private Optional<String> walk(String label, @Nullable Object value, int depth) {
        if (value == null) {
            return Optional.empty();
        }
        String path = label + " (" + typeName(value.getClass()) + ")";
        if (!(value instanceof Serializable) && !value.getClass().isArray()) {
            return Optional.of(path + " is not serializable");
        }
        if (depth >= MAX_DEPTH || !seen.add(value)) {
            return Optional.empty();
        }
        SerializedLambda lambda = serializedLambda(value);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Optional<String> culprit =
                        walk(path + " -> captured value #" + (i + 1), lambda.getCapturedArg(i), depth + 1);
                if (culprit.isPresent()) {
                    return culprit;
                }
            }
            return Optional.empty();
        }
        return switch (value) {
            case Object[] array -> elements(path, array, depth);
            case Iterable<?> iterable when isJdk(value.getClass()) -> elements(path, iterable, depth);
            case Map<?, ?> map when isJdk(value.getClass()) -> entries(path, map, depth);
            default ->
                value.getClass().isArray() || isJdk(value.getClass())
                        ? Optional.empty()
                        : fields(path + " -> ", value, depth);
        };
    }

    private Optional<String> elements(String path, Object[] array, int depth) {
        for (int i = 0; i < Math.min(array.length, MAX_ELEMENTS); i++) {
            Optional<String> culprit = walk(path + " -> element [" + i + "]", array[i], depth + 1);
            if (culprit.isPresent()) {
                return culprit;
            }
        }
        return Optional.empty();
    }

    private Optional<String> elements(String path, Iterable<?> iterable, int depth) {
        int i = 0;
        for (Object element : iterable) {
            if (i >= MAX_ELEMENTS) {
                break;
            }
            Optional<String> culprit = walk(path + " -> element #" + (i + 1), element, depth + 1);
            if (culprit.isPresent()) {
                return culprit;
            }
            i++;
        }
        return Optional.empty();
    }

    private Optional<String> entries(String path, Map<?, ?> map, int depth) {
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (i++ >= MAX_ELEMENTS) {
                break;
            }
            Optional<String> culprit = walk(path + " -> key", entry.getKey(), depth + 1);
            if (culprit.isEmpty()) {
                culprit = walk(path + " -> value of key '" + entry.getKey() + "'", entry.getValue(), depth + 1);
            }
            if (culprit.isPresent()) {
                return culprit;
            }
        }
        return Optional.empty();
    }

    /** Walks the serialized fields of {@code value}, each path starting with {@code prefix}. */
    private Optional<String> fields(String prefix, Object value, int depth) {
        for (Class<?> type = value.getClass();
                type != null && Serializable.class.isAssignableFrom(type) && !isJdk(type);
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers)
                        || Modifier.isTransient(modifiers)
                        || field.getType().isPrimitive()) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                Optional<String> culprit = walk(prefix + "field '" + field.getName() + "'", fieldValue, depth + 1);
                if (culprit.isPresent()) {
                    return culprit;
                }
            }
        }
        return Optional.empty();
    }

    // Class loaders have identity only: the platform loader is one object.
    @SuppressWarnings("ReferenceEquality")
    private static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /** A class's name for people; a lambda's hidden class becomes {@code lambda from com.example.App}. */
    static String typeName(Class<?> type) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        if (type.isHidden() && lambda > 0) {
            return "lambda from " + name.substring(0, lambda);
        }
        return type.isArray() ? type.getComponentType().getName() + "[]" : name;
    }
}
