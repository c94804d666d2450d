package io.switchboard.distribute.client;

import io.switchboard.distribute.client.internal.Bundle;
import io.switchboard.distribute.client.internal.ClassReferences;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Builds the bundle of a function: the class files of its roots (the capturing class, the classes
 * of captured values and arguments) and, transitively, of every class they refer to, except the
 * JDK's (every worker has them) and this client's (every worker carries its jar).
 *
 * <p>Class bytes are read with the class loader that loaded the referring class, as resources, so
 * the bundle holds exactly what runs here. A referenced class whose bytes cannot be found (a hidden
 * class, a class generated at run time) is skipped: the worker cannot have it either, and fails
 * only if the function really uses it.
 *
 * <p>The jar is deterministic so that the same classes give the same id, and a bundle is uploaded
 * once however often it is built: entries sorted by name, each with the zip epoch as its time, no
 * manifest, no comments, no extra fields. The time is the contract's {@code 315532800000L}
 * (1980-01-01T00:00 UTC) as the zip format stores it: a local date-time without zone. {@link
 * ZipEntry#setTime} converts through the default time zone, so it is given the instant at which
 * the default zone reads 1980-01-01T00:00 (in UTC, exactly {@code 315532800000L}); that is the
 * zip epoch, which the JDK then stores as a plain DOS time. Both {@code setTime(315532800000L)}
 * and {@code setTimeLocal} would instead add an extended-timestamp field in some zones, making the
 * bytes, and the id, depend on the machine.
 *
 * <p>Bounds: a function that reaches more than {@link #MAX_CLASSES} classes or {@link #MAX_BYTES}
 * bytes of them almost certainly drags in a framework through a class it happens to be declared
 * in; that fails here with the packages to blame rather than on the server with a 413.
 */
final class BundleBuilder {

    /** Most classes a bundle may hold. */
    public static final int MAX_CLASSES = 2_000;

    /** Most uncompressed class bytes a bundle may hold. */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    /** Time of every entry: the zip format's epoch, so that the bytes do not depend on when they were built. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** Classes under this prefix are the client's own: every worker has them on its class path. */
    static final String CLIENT_PACKAGE = "io/switchboard/distribute/client/";

    /** How many packages the message of a too-large bundle names. */
    private static final int PACKAGES_TO_BLAME = 3;

    private final int maxClasses;
    private final long maxBytes;

    /** A builder with the default bounds. */
    public BundleBuilder() {
        this(MAX_CLASSES, MAX_BYTES);
    }

    /** A builder with other bounds (tests use small ones). */
    public BundleBuilder(int maxClasses, long maxBytes) {
        this.maxClasses = maxClasses;
        this.maxBytes = maxBytes;
    }

    /**
     * The bundle of {@code roots} and what they reach.
     *
     * @throws UnshippableFunctionException when it exceeds the bounds
     */
    public Bundle build(Collection<Class<?>> roots) {
        Map<String, byte[]> classes = collect(roots);
        byte[] jar = jar(classes);
        return new Bundle(sha256(jar), jar, Collections.unmodifiableSortedSet(new TreeSet<>(classes.keySet())));
    }

    /** Whether {@code type} must travel in a bundle: it is neither the JDK's nor the client's, and has bytes. */
    // Class loaders have identity only: the platform loader is one object.
    @SuppressWarnings("ReferenceEquality")
    public static boolean needsShipping(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || type.isHidden()) {
            return false;
        }
        ClassLoader loader = type.getClassLoader();
        return loader != null
                && loader != ClassLoader.getPlatformClassLoader()
                && !internalName(type).startsWith(CLIENT_PACKAGE);
    }

    /** {@code com/example/App$Inner} for {@code com.example.App.Inner}. */
    public static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private record Pending(String name, ClassLoader loader) {}

    private Map<String, byte[]> collect(Collection<Class<?>> roots) {
        Map<String, byte[]> classes = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<Pending> queue = new ArrayDeque<>();
        for (Class<?> root : roots) {
            if (needsShipping(root) && seen.add(internalName(root))) {
                queue.add(new Pending(internalName(root), root.getClassLoader()));
            }
        }
        Set<String> rootNames = new HashSet<>(seen);
        long bytes = 0;
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            byte[] classFile = read(next.loader(), next.name());
            if (classFile == null && rootNames.contains(next.name())) {
                // A referenced class may be missing harmlessly; a root is deserialized for sure.
                throw new UnshippableFunctionException(
                        "the class file of " + next.name().replace('/', '.')
                                + " cannot be read from its class loader (was it generated at run time?), so no worker could load it");
            }
            if (classFile == null) {
                continue;
            }
            classes.put(next.name(), classFile);
            bytes += classFile.length;
            if (classes.size() > maxClasses || bytes > maxBytes) {
                throw tooLarge(classes, bytes);
            }
            for (String referenced : ClassReferences.of(classFile)) {
                if (seen.add(referenced) && !isJdkOrClient(referenced)) {
                    queue.add(new Pending(referenced, next.loader()));
                }
            }
        }
        return classes;
    }

    private static boolean isJdkOrClient(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith(CLIENT_PACKAGE)
                || ClassLoader.getPlatformClassLoader().getResource(internalName + ".class") != null;
    }

    private static byte @Nullable [] read(@Nullable ClassLoader loader, String internalName) {
        ClassLoader from = loader != null ? loader : ClassLoader.getSystemClassLoader();
        try (InputStream in = from.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + internalName, e);
        }
    }

    private UnshippableFunctionException tooLarge(Map<String, byte[]> classes, long bytes) {
        Map<String, Integer> perPackage = new HashMap<>();
        for (String name : classes.keySet()) {
            perPackage.merge(packageOf(name), 1, Integer::sum);
        }
        String blame = perPackage.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(PACKAGES_TO_BLAME)
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return new UnshippableFunctionException("the classes it reaches exceed the bundle's bounds of " + maxClasses
                + " classes and " + maxBytes + " bytes (" + classes.size() + " classes and " + bytes
                + " bytes so far, most in " + blame + "); declare the function in a small class of its own");
    }

    /** The first two segments of the package, e.g. {@code org.assertj} for {@code org/assertj/core/api/Assertions}. */
    private static String packageOf(String internalName) {
        String[] parts = internalName.split("/");
        if (parts.length <= 1) {
            return "(default package)";
        }
        return parts.length == 2 ? parts[0] : parts[0] + "." + parts[1];
    }

    static byte[] jar(Map<String, byte[]> sortedClasses) {
        long entryTimeMillis =
                ENTRY_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : sortedClasses.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".class");
                zipEntry.setTime(entryTimeMillis);
                zip.putNextEntry(zipEntry);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a jar in memory failed", e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
