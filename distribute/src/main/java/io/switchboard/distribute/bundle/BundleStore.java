package io.switchboard.distribute.bundle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Bundles of class bytes, addressed by the SHA-256 of their jar. A client uploads a bundle once;
 * each worker fetches it once; every task names it by hash.
 *
 * <p>Held in memory up to a total size, least recently used evicted first. An evicted bundle is
 * not an error a task can hit silently: a submission naming an unknown bundle is refused (422) and
 * the client uploads it again.
 */
public final class BundleStore {

    /** What a bundle id looks like: lowercase hex SHA-256. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Cache<String, byte[]> bundles;
    private final BundleMirror mirror;

    /** @param maxBytes total size of the bundles held before the least recently used are dropped */
    public BundleStore(long maxBytes) {
        this(maxBytes, BundleMirror.NONE);
    }

    /**
     * @param mirror where bundles are shared with other machines; a bundle missing here is fetched
     *     from it, and every upload is copied to it
     */
    public BundleStore(long maxBytes, BundleMirror mirror) {
        this.mirror = mirror;
        this.bundles = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String id, byte[] jar) -> jar.length)
                .build();
    }

    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Whether bundles are shared with other machines: then {@link #get} and {@link #put} may block. */
    public boolean shared() {
        return mirror.shared();
    }

    public boolean contains(String id) {
        return bundles.getIfPresent(id) != null;
    }

    /** The jar; with a shared mirror a miss here reads it from there, blocking. */
    public Optional<byte[]> get(String id) {
        byte[] jar = bundles.getIfPresent(id);
        if (jar == null && mirror.shared()) {
            Optional<byte[]> shared =
                    mirror.get(id).filter(bytes -> sha256(bytes).equals(id));
            shared.ifPresent(bytes -> bundles.put(id, bytes));
            return shared;
        }
        return Optional.ofNullable(jar);
    }

    /**
     * Stores a jar under its hash.
     *
     * @return true if it was new
     * @throws IllegalArgumentException naming the rule the upload breaks
     */
    public boolean put(String id, byte[] jar) {
        if (!isId(id)) {
            throw new IllegalArgumentException("a bundle id is the lowercase hex SHA-256 of its jar (64 characters)");
        }
        String actual = sha256(jar);
        if (!actual.equals(id)) {
            throw new IllegalArgumentException("the body's SHA-256 is " + actual + ", not the id in the path");
        }
        requireJar(jar);
        boolean added = bundles.asMap().putIfAbsent(id, jar) == null;
        if (added) {
            mirror.put(id, jar);
        }
        return added;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void requireJar(byte[] jar) {
        int classes = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().endsWith(".class")) {
                    classes++;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not a jar: " + e.getMessage());
        }
        if (classes == 0) {
            throw new IllegalArgumentException("the body is not a jar of classes (no .class entry)");
        }
    }
}
