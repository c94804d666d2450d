package com.example.shipping;

/** A class a shipped lambda calls: it must travel in the bundle. */
public final class Helper {

    private Helper() {}

    public static int twice(int x) {
        return 2 * x;
    }
}
