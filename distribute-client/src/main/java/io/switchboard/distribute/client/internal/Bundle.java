package io.switchboard.distribute.client.internal;

import java.util.SortedSet;

/**
 * A bundle: a jar of class files, named by the SHA-256 of its bytes. Compare bundles by {@link
 * #id()}; the array is not copied, so nobody may change it.
 *
 * @param id lowercase hex SHA-256 of {@code jar}
 * @param jar the jar's bytes, as uploaded
 * @param classes the internal names of the classes it holds ({@code com/example/App})
 */
public record Bundle(String id, byte[] jar, SortedSet<String> classes) {

    /** Whether the bundle holds every one of {@code internalNames}. */
    public boolean holdsAll(Iterable<String> internalNames) {
        for (String name : internalNames) {
            if (!classes.contains(name)) {
                return false;
            }
        }
        return true;
    }
}
