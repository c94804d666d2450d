package com.example.shipping;

import io.switchboard.distribute.client.SerializableBiFunction;
import io.switchboard.distribute.client.SerializableFunction;
import io.switchboard.distribute.client.SerializableSupplier;
import java.net.Socket;
import java.util.List;
import java.util.function.Function;

/** Lambdas as an application writes them: this class is their capturing class. */
public final class Lambdas {

    private Lambdas() {}

    public static SerializableFunction<Integer, Integer> square() {
        return x -> x * x;
    }

    public static SerializableFunction<Integer, Integer> twiceThroughHelper() {
        return x -> Helper.twice(x);
    }

    public static SerializableFunction<Integer, Integer> helperReference() {
        return Helper::twice;
    }

    public static SerializableFunction<Point, Point> mirror() {
        return Point::mirrored;
    }

    public static SerializableFunction<Object, String> describe() {
        return x -> "got " + x;
    }

    public static SerializableBiFunction<Integer, Integer, Integer> add() {
        return (a, b) -> a + b;
    }

    public static SerializableSupplier<String> greeting(String name) {
        return () -> "hello " + name;
    }

    public static SerializableFunction<Integer, Integer> plusOneAfter(SerializableFunction<Integer, Integer> first) {
        return x -> first.apply(x) + 1;
    }

    public static SerializableFunction<Integer, Integer> failing() {
        return x -> {
            throw new IllegalStateException("boom " + x, new IllegalArgumentException("root"));
        };
    }

    public static SerializableFunction<Integer, Integer> withSocket(Socket socket) {
        return x -> x + socket.getPort();
    }

    public static SerializableFunction<Integer, String> withConfig(Config config) {
        return x -> config.name + x;
    }

    public static SerializableFunction<Integer, Integer> withPlainLambda(Function<Integer, Integer> plain) {
        return x -> plain.apply(x);
    }

    public static SerializableFunction<Integer, Integer> withList(List<Object> values) {
        return x -> x + values.size();
    }
}
