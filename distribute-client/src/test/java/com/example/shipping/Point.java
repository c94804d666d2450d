package com.example.shipping;

import java.io.Serializable;

/** A user-defined value, as an argument and a result. */
public record Point(int x, int y) implements Serializable {

    public Point mirrored() {
        return new Point(y, x);
    }
}
