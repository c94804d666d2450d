package com.example.shipping;

import io.switchboard.distribute.client.SerializableFunction;
import java.net.Socket;

/** A function object (not a lambda) with a field that cannot be serialized. */
public class SocketScale implements SerializableFunction<Integer, Integer> {

    private final int factor = 3;
    private final Socket socket;

    public SocketScale(Socket socket) {
        this.socket = socket;
    }

    @Override
    public Integer apply(Integer x) {
        return x * factor + (socket == null ? 0 : 1);
    }
}
