package com.example.shipping;

import java.io.Serializable;
import java.net.Socket;

/** A serializable value holding something that is not: the capture checker must find the socket. */
public class Config implements Serializable {

    final String name;
    final Socket socket;

    public Config(String name, Socket socket) {
        this.name = name;
        this.socket = socket;
    }
}
