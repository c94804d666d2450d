package io.switchboard.distribute.testfunctions;

import io.switchboard.distribute.client.SerializableBiFunction;
import io.switchboard.distribute.client.SerializableFunction;
import io.switchboard.distribute.client.SerializableSupplier;
import java.io.Serializable;
import java.net.Socket;

/**
 * Functions the client tests ship, kept in a small class of their own: a lambda's capturing class
 * travels with it, and a test class full of assertion libraries would make a huge bundle.
 */
public final class Functions {

    private Functions() {}

    /** A value type of the application's own, shipped with the function that uses it. */
    public record Point(int x, int y) implements Serializable {
        public Point mirrored() {
            return new Point(y, x);
        }
    }

    public static SerializableFunction<Integer, Integer> square() {
        return x -> x * x;
    }

    public static SerializableFunction<Integer, Integer> plus(int offset) {
        return x -> x + offset;
    }

    public static SerializableFunction<Point, Point> mirror() {
        return Point::mirrored;
    }

    public static SerializableBiFunction<String, Integer, String> repeat() {
        return String::repeat;
    }

    public static SerializableSupplier<String> whereAmI() {
        return () -> "worker pid " + ProcessHandle.current().pid();
    }

    public static SerializableFunction<String, Integer> printing() {
        return line -> {
            System.out.println("out:" + line);
            System.err.println("err:" + line);
            return line.length();
        };
    }

    public static SerializableFunction<Integer, Integer> failing() {
        return x -> {
            throw new IllegalStateException("boom " + x, new IllegalArgumentException("root cause"));
        };
    }

    public static SerializableFunction<Integer, Integer> exiting(int code) {
        return x -> {
            System.exit(code);
            return x;
        };
    }

    public static SerializableFunction<Integer, Integer> sleeping() {
        return millis -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return millis;
        };
    }

    public static SerializableFunction<Integer, Integer> withSocket(Socket socket) {
        return x -> x + socket.getPort();
    }
}
