package com.example.parcels;

import java.io.Serializable;

/** An argument of a class the function's own classes never mention. */
public record Parcel(String label) implements Serializable {}
