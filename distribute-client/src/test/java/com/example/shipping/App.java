package com.example.shipping;

import io.switchboard.distribute.client.SerializableFunction;

/** Not serializable, with a lambda that uses an instance field, so it captures 'this'. */
public class App {

    private final int offset = 1;

    public SerializableFunction<Integer, Integer> adder() {
        return x -> x + offset;
    }
}
