package com.example.shipping;

/** A class nothing shipped refers to: it must stay out of bundles. */
public final class Unused {

    private Unused() {}
}
