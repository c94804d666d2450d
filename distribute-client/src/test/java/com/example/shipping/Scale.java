package com.example.shipping;

import io.switchboard.distribute.client.SerializableFunction;

/** A function object (not a lambda) that can be shipped. */
public class Scale implements SerializableFunction<Integer, Integer> {

    private final int factor;

    public Scale(int factor) {
        this.factor = factor;
    }

    @Override
    public Integer apply(Integer x) {
        return x * factor;
    }
}
