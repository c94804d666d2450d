package io.switchboard.compute.math;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The few GMP functions compute needs, bound through the Foreign Function &amp; Memory API.
 *
 * <p><b>Loading.</b> {@link #load()} looks for the shared library under its usual names (Debian's
 * {@code libgmp10} installs {@code libgmp.so.10}); when none loads, compute falls back to apfloat.
 * Function names are GMP's real symbols ({@code mpz_mul} is a macro for {@code __gmpz_mul}). The
 * bindings assume an LP64 platform (Linux, macOS), where {@code unsigned long} is 64 bits wide.
 *
 * <p><b>Memory.</b> GMP allocates its limbs and its large temporaries on the C heap. At load, its
 * allocation functions are replaced (through {@code mp_set_memory_functions}) by upcalls that call
 * {@code malloc}/{@code realloc}/{@code free} and count the bytes, so {@link #liveBytes()} is exact:
 * it is the metric {@code switchboard_compute_native_memory_bytes}, and tests check that it returns to zero. The
 * {@code mpz_t} headers and the decimal output live in a confined {@link Arena} per computation.
 * Sizes are bounded by compute's digit budget, checked before any work starts.
 */
// Restricted FFM methods are the point of this class; the jar's manifest enables native access.
@SuppressWarnings("restricted")
final class Gmp {

    /** Names tried in order: Debian/Ubuntu and most Linux distributions, then macOS. */
    private static final List<String> LIBRARY_NAMES =
            List.of("libgmp.so.10", "libgmp.so", "libgmp.10.dylib", "libgmp.dylib");

    /** Size and alignment of {@code __mpz_struct}: int alloc, int size, limb pointer. */
    private static final long MPZ_BYTES = 16;

    private static final long MPZ_ALIGNMENT = 8;

    private static final Linker LINKER = Linker.nativeLinker();

    private static final FunctionDescriptor MPZ_MPZ_MPZ = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor MPZ_MPZ_ULONG = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor MPZ_ULONG = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG);

    /** Bytes GMP holds on the C heap now, across all threads. */
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    private static final MethodHandle MALLOC = libc("malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle REALLOC = libc("realloc", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = libc("free", FunctionDescriptor.ofVoid(ADDRESS));

    /** Loaded once per process: GMP's memory functions are global. */
    // Three states: null before the first attempt, empty when GMP is unavailable, else the library.
    @SuppressWarnings("NullableOptional")
    private static volatile @Nullable Optional<Gmp> loaded;

    final String version;
    private final MethodHandle init;
    private final MethodHandle clear;
    private final MethodHandle set;
    private final MethodHandle fibUi;
    private final MethodHandle fib2Ui;
    private final MethodHandle facUi;
    private final MethodHandle binUiUi;
    private final MethodHandle mul;
    private final MethodHandle mulUi;
    private final MethodHandle mul2exp;
    private final MethodHandle add;
    private final MethodHandle sub;
    private final MethodHandle addUi;
    private final MethodHandle subUi;
    private final MethodHandle uiPowUi;
    private final MethodHandle tdivQr;
    private final MethodHandle sizeInBase;
    private final MethodHandle getStr;

    private Gmp(SymbolLookup lib) throws Throwable {
        MemorySegment versionPointer = lib.findOrThrow("__gmp_version").reinterpret(ADDRESS.byteSize());
        this.version = versionPointer.get(ADDRESS, 0).reinterpret(64).getString(0);
        installMemoryFunctions(lib);
        this.init = handle(lib, "__gmpz_init", FunctionDescriptor.ofVoid(ADDRESS));
        this.clear = handle(lib, "__gmpz_clear", FunctionDescriptor.ofVoid(ADDRESS));
        this.set = handle(lib, "__gmpz_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        this.fibUi = handle(lib, "__gmpz_fib_ui", MPZ_ULONG);
        this.fib2Ui = handle(lib, "__gmpz_fib2_ui", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG));
        this.facUi = handle(lib, "__gmpz_fac_ui", MPZ_ULONG);
        this.binUiUi = handle(lib, "__gmpz_bin_uiui", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG));
        this.mul = handle(lib, "__gmpz_mul", MPZ_MPZ_MPZ);
        this.mulUi = handle(lib, "__gmpz_mul_ui", MPZ_MPZ_ULONG);
        this.mul2exp = handle(lib, "__gmpz_mul_2exp", MPZ_MPZ_ULONG);
        this.add = handle(lib, "__gmpz_add", MPZ_MPZ_MPZ);
        this.sub = handle(lib, "__gmpz_sub", MPZ_MPZ_MPZ);
        this.addUi = handle(lib, "__gmpz_add_ui", MPZ_MPZ_ULONG);
        this.subUi = handle(lib, "__gmpz_sub_ui", MPZ_MPZ_ULONG);
        this.uiPowUi = handle(lib, "__gmpz_ui_pow_ui", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG));
        this.tdivQr = handle(lib, "__gmpz_tdiv_qr", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.sizeInBase = handle(lib, "__gmpz_sizeinbase", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        this.getStr = handle(lib, "__gmpz_get_str", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    }

    /** GMP, or empty when the library is not installed (or cannot be bound). */
    static Optional<Gmp> load() {
        Optional<Gmp> result = loaded;
        if (result == null) {
            synchronized (Gmp.class) {
                result = loaded;
                if (result == null) {
                    result = tryLoad();
                    loaded = result;
                }
            }
        }
        return result;
    }

    private static Optional<Gmp> tryLoad() {
        for (String name : LIBRARY_NAMES) {
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            try {
                return Optional.of(new Gmp(lib));
            } catch (Throwable unusable) {
                // A library by that name without the symbols we need: try the next name.
            }
        }
        return Optional.empty();
    }

    /** Bytes GMP holds on the C heap now (limbs and temporaries of running computations). */
    static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** A fresh {@code mpz_t} (value 0) in {@code arena}; {@link Mpz#close} it before the arena closes. */
    Mpz newMpz(Arena arena) {
        MemorySegment z = arena.allocate(MPZ_BYTES, MPZ_ALIGNMENT);
        invoke(init, z);
        return new Mpz(z);
    }

    /** An {@code mpz_t}: the header lives in an arena, the limbs on the C heap until {@link #clear}. */
    final class Mpz implements AutoCloseable {

        final MemorySegment z;

        private Mpz(MemorySegment z) {
            this.z = z;
        }

        /** Frees the limbs; the header goes with its arena. */
        @Override
        public void close() {
            invoke(clear, z);
        }
    }

    void set(Mpz target, Mpz source) {
        invoke(set, target.z, source.z);
    }

    void fib(Mpz target, long n) {
        invoke(fibUi, target.z, n);
    }

    /** F(n) into {@code fn} and F(n − 1) into {@code fnMinus1}. */
    void fib2(Mpz fn, Mpz fnMinus1, long n) {
        invoke(fib2Ui, fn.z, fnMinus1.z, n);
    }

    void factorial(Mpz target, long n) {
        invoke(facUi, target.z, n);
    }

    /** The binomial coefficient C(n, k). */
    void binomial(Mpz target, long n, long k) {
        invokeLongs(binUiUi, target.z, n, k);
    }

    void multiply(Mpz target, Mpz x, Mpz y) {
        invoke(mul, target.z, x.z, y.z);
    }

    void multiply(Mpz target, Mpz x, long y) {
        invoke(mulUi, target.z, x.z, y);
    }

    void shiftLeft(Mpz target, Mpz x, long bits) {
        invoke(mul2exp, target.z, x.z, bits);
    }

    void add(Mpz target, Mpz x, Mpz y) {
        invoke(add, target.z, x.z, y.z);
    }

    void subtract(Mpz target, Mpz x, Mpz y) {
        invoke(sub, target.z, x.z, y.z);
    }

    void add(Mpz target, Mpz x, long y) {
        invoke(addUi, target.z, x.z, y);
    }

    void subtract(Mpz target, Mpz x, long y) {
        invoke(subUi, target.z, x.z, y);
    }

    /** Decimal digits of {@code x}: exact, or one too many. */
    long decimalDigitsBound(Mpz x) {
        try {
            return (long) sizeInBase.invokeExact(x.z, 10);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** {@code x} = 10^exponent. */
    void powerOfTen(Mpz x, long exponent) {
        invokeLongs(uiPowUi, x.z, 10, exponent);
    }

    /** Truncating division: {@code quotient} = n / d and {@code remainder} = n mod d. */
    void divide(Mpz quotient, Mpz remainder, Mpz n, Mpz d) {
        try {
            tdivQr.invokeExact(quotient.z, remainder.z, n.z, d.z);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * Writes the decimal digits of a non-negative {@code x} into {@code out} so that they end just
     * before index {@code end}, by {@code mpz_get_str} (subquadratic divide and conquer) into a
     * native buffer of the calling thread, counted as live native memory while it exists. Returns
     * the number of digits written.
     */
    int writeDecimal(Mpz x, byte[] out, int end) {
        long capacity = decimalDigitsBound(x) + 1; // room for the NUL
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(capacity);
            LIVE_BYTES.addAndGet(capacity);
            try {
                MemorySegment written;
                try {
                    written = (MemorySegment) getStr.invokeExact(buffer, 10, x.z);
                } catch (Throwable e) {
                    throw rethrow(e);
                }
                if (written.address() != buffer.address()) {
                    throw new IllegalStateException("mpz_get_str wrote elsewhere than the buffer it was given");
                }
                // mpz_sizeinbase is exact or one too large: then the string ends one byte earlier.
                int length = (int) capacity - 1;
                if (buffer.get(JAVA_BYTE, length - 1) == 0) {
                    length--;
                }
                MemorySegment.copy(buffer, JAVA_BYTE, 0, out, end - length, length);
                return length;
            } finally {
                LIVE_BYTES.addAndGet(-capacity);
            }
        }
    }

    private static void invoke(MethodHandle handle, MemorySegment a) {
        try {
            handle.invokeExact(a);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static void invoke(MethodHandle handle, MemorySegment a, MemorySegment b) {
        try {
            handle.invokeExact(a, b);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static void invoke(MethodHandle handle, MemorySegment a, MemorySegment b, MemorySegment c) {
        try {
            handle.invokeExact(a, b, c);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static void invoke(MethodHandle handle, MemorySegment a, MemorySegment b, long c) {
        try {
            handle.invokeExact(a, b, c);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static void invoke(MethodHandle handle, MemorySegment a, long b) {
        try {
            handle.invokeExact(a, b);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static void invokeLongs(MethodHandle handle, MemorySegment a, long b, long c) {
        try {
            handle.invokeExact(a, b, c);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("GMP call failed", e);
    }

    private static MethodHandle handle(SymbolLookup lib, String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lib.findOrThrow(symbol), descriptor);
    }

    private static MethodHandle libc(String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(symbol), descriptor);
    }

    /**
     * Routes GMP's allocations through counting upcalls. Must run before GMP allocates anything: a
     * block must be freed by the functions that allocated it.
     */
    private static void installMemoryFunctions(SymbolLookup lib) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MemorySegment allocate = LINKER.upcallStub(
                lookup.findStatic(Gmp.class, "allocate", MethodType.methodType(MemorySegment.class, long.class)),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG),
                Arena.global());
        MemorySegment reallocate = LINKER.upcallStub(
                lookup.findStatic(
                        Gmp.class,
                        "reallocate",
                        MethodType.methodType(MemorySegment.class, MemorySegment.class, long.class, long.class)),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
                Arena.global());
        MemorySegment free = LINKER.upcallStub(
                lookup.findStatic(
                        Gmp.class, "free", MethodType.methodType(void.class, MemorySegment.class, long.class)),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG),
                Arena.global());
        MethodHandle setMemoryFunctions =
                handle(lib, "__gmp_set_memory_functions", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        try {
            setMemoryFunctions.invokeExact(allocate, reallocate, free);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    // The three upcalls below run inside GMP calls. They must never throw: an exception escaping an
    // upcall ends the JVM. On a failed malloc GMP itself aborts, as it would with its own functions.

    @SuppressWarnings("unused") // called from GMP
    private static MemorySegment allocate(long size) {
        try {
            MemorySegment block = (MemorySegment) MALLOC.invokeExact(size);
            LIVE_BYTES.addAndGet(size);
            return block;
        } catch (Throwable e) {
            return MemorySegment.NULL;
        }
    }

    @SuppressWarnings("unused") // called from GMP
    private static MemorySegment reallocate(MemorySegment block, long oldSize, long newSize) {
        try {
            MemorySegment moved = (MemorySegment) REALLOC.invokeExact(block, newSize);
            LIVE_BYTES.addAndGet(newSize - oldSize);
            return moved;
        } catch (Throwable e) {
            return MemorySegment.NULL;
        }
    }

    @SuppressWarnings("unused") // called from GMP
    private static void free(MemorySegment block, long size) {
        try {
            FREE.invokeExact(block);
            LIVE_BYTES.addAndGet(-size);
        } catch (Throwable e) {
            // free does not fail
        }
    }
}
