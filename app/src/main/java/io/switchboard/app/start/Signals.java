package io.switchboard.app.start;

import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Replaces the JVM's handler of a POSIX signal, through {@code sun.misc.Signal} (jdk.unsupported):
 * the only API that lets SIGTERM be a graceful stop instead of the default exit. It is reached by
 * reflection because javac warns on every compile-time use of that package, a warning no
 * {@code @SuppressWarnings} silences, and the build fails on warnings.
 */
final class Signals {

    private Signals() {}

    /** Calls {@code handler} with the signal's name ({@code TERM}) each time the signal arrives. */
    @SuppressWarnings("ReferenceEquality") // the proxy's equals: a handler equals only itself
    static void handle(String name, Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object onSignal = Proxy.newProxyInstance(
                    Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> handler.accept(name);
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            case "toString" -> {
                                return "SIG" + name + " handler";
                            }
                            default -> {}
                        }
                        return null;
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, onSignal);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
        }
    }
}
