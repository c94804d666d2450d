package io.switchboard.distribute.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.link.Frames;
import io.switchboard.distribute.link.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task inside the worker process and builds its result frame. Three kinds of function:
 * a shipped Java function ({@code java}: a serialized {@link Callable} read through the bundle's
 * class loader and the allow-list), a public static method of a deployed bundle ({@code
 * com.example.Tasks::square}, JSON arguments and result), and the built-ins of {@link Builtins}.
 *
 * <p>Failures before the function runs (a missing bundle, a rejected class) are {@code INVALID};
 * what the function throws is {@code USER}. Errors such as {@link StackOverflowError} are the
 * function's too; {@link OutOfMemoryError} ends the process (the JVM runs with {@code
 * ExitOnOutOfMemoryError}), which the dispatcher reports as a crash.
 */
final class TaskRunner {

    private static final ObjectMapper JSON = Frames.json();

    private final BundleSource bundles;
    private final OutputCapture output;

    TaskRunner(BundleSource bundles, OutputCapture output) {
        this.bundles = bundles;
        this.output = output;
    }

    /** Where a worker gets a bundle's class loader; fetched from the dispatcher once per bundle. */
    interface BundleSource {
        ClassLoader loader(String bundle) throws IOException;
    }

    /** A failure before the function ran: the task cannot be run as sent. */
    static final class InvalidTaskException extends Exception {
        InvalidTaskException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    ObjectNode run(ObjectNode task) {
        ObjectNode result = JSON.createObjectNode();
        result.put("type", Message.RESULT);
        result.put("task", task.path("task").asText());
        result.put("attempt", task.path("attempt").asInt());
        output.reset();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        long start = System.nanoTime();
        try {
            String function = task.path("function").asText();
            if (function.equals("java")) {
                runJava(task, result);
            } else if (function.contains("::")) {
                runStatic(task, function, result);
            } else {
                result.set("result", Builtins.run(function, args(task)));
                result.put("encoding", "json");
            }
            result.put("ok", true);
        } catch (InvalidTaskException e) {
            result.put("ok", false);
            ObjectNode error = result.putObject("error");
            error.put("kind", "INVALID");
            error.put("message", e.getMessage());
            if (e.getCause() != null) {
                error.set("exception", ExceptionJson.of(e.getCause()));
            }
        } catch (Throwable e) { // the user's function threw: that is its result
            result.put("ok", false);
            ObjectNode error = result.putObject("error");
            error.put("kind", "USER");
            error.put("message", "the function threw " + e);
            error.set("exception", ExceptionJson.of(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        result.put("run_ns", System.nanoTime() - start);
        result.put("stdout", output.stdout());
        result.put("stderr", output.stderr());
        return result;
    }

    private void runJava(ObjectNode task, ObjectNode result) throws Throwable {
        ClassLoader loader = loader(task);
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(task.path("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException("the payload is not base64", null);
        }
        Object invocation;
        try (ObjectInputStream in = new BundleObjectInputStream(new ByteArrayInputStream(payload), loader)) {
            in.setObjectInputFilter(new AllowListFilter(loader));
            invocation = in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            throw new InvalidTaskException("the function could not be read: " + e, e);
        }
        if (!(invocation instanceof Callable<?> callable)) {
            throw new InvalidTaskException(
                    "the payload is a " + invocation.getClass().getName() + ", not a Callable", null);
        }
        Thread.currentThread().setContextClassLoader(loader);
        Object value = callable.call();
        result.put("result", Base64.getEncoder().encodeToString(serialize(value)));
        result.put("encoding", "java-serialization");
    }

    private void runStatic(ObjectNode task, String function, ObjectNode result) throws Throwable {
        ClassLoader loader = loader(task);
        int separator = function.indexOf("::");
        String className = function.substring(0, separator);
        String methodName = function.substring(separator + 2);
        List<JsonNode> args = new ArrayList<>();
        args(task).forEach(args::add);
        Method method;
        Object[] values;
        try {
            method = staticMethod(Class.forName(className, true, loader), methodName, args.size());
            values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = JSON.convertValue(args.get(i), JSON.constructType(method.getGenericParameterTypes()[i]));
            }
        } catch (ClassNotFoundException | IllegalArgumentException | LinkageError e) {
            throw new InvalidTaskException("cannot call " + function + ": " + e.getMessage(), e);
        }
        Thread.currentThread().setContextClassLoader(loader);
        Object value;
        try {
            value = method.invoke(null, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        result.set("result", JSON.valueToTree(value));
        result.put("encoding", "json");
    }

    private static Method staticMethod(Class<?> type, String name, int arity) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name)
                    && method.getParameterCount() == arity
                    && Modifier.isStatic(method.getModifiers())) {
                return method;
            }
        }
        throw new IllegalArgumentException(
                type.getName() + " has no public static method " + name + " taking " + arity + " argument(s)");
    }

    private ClassLoader loader(ObjectNode task) throws InvalidTaskException {
        String bundle = task.path("bundle").asText(null);
        if (bundle == null) {
            throw new InvalidTaskException("the task names no bundle", null);
        }
        try {
            return bundles.loader(bundle);
        } catch (IOException e) {
            throw new InvalidTaskException("bundle " + bundle + " is unavailable: " + e.getMessage(), null);
        }
    }

    private static ArrayNode args(ObjectNode task) {
        JsonNode args = task.get("args");
        return args instanceof ArrayNode array ? array : JSON.createArrayNode();
    }

    private static byte[] serialize(Object value) throws InvalidTaskException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new InvalidTaskException(
                    "the function returned a value that is not serializable: " + e.getMessage(), null);
        } catch (IOException e) {
            throw new InvalidTaskException("the result could not be serialized: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Resolves classes through the bundle's loader, so shipped classes and lambdas resolve. */
    private static final class BundleObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        BundleObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            // Only through the bundle's loader: never the worker's own class path.
            return Class.forName(desc.getName(), false, loader);
        }
    }
}
