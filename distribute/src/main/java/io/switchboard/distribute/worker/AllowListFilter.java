package io.switchboard.distribute.worker;

import java.io.ObjectInputFilter;
import java.util.List;

/**
 * What a worker agrees to deserialize: the shipped bundle's own classes, the client API, lambdas'
 * serialized form and plain JDK value types. Everything else is rejected before it is instantiated,
 * so a crafted payload cannot reach gadget classes of the worker's class path or of the JDK.
 */
final class AllowListFilter implements ObjectInputFilter {

    /** JDK packages whose serializable classes are values (boxed numbers, strings, collections, dates). */
    private static final List<String> JDK_VALUE_PACKAGES =
            List.of("java.lang.", "java.util.", "java.math.", "java.time.", "java.net.URI");

    /** Bounds that keep a payload from exhausting the worker's memory or stack while it is read. */
    private static final long MAX_DEPTH = 200;

    private static final long MAX_REFERENCES = 5_000_000;
    private static final long MAX_ARRAY_LENGTH = 100_000_000;

    private final ClassLoader bundle;

    AllowListFilter(ClassLoader bundle) {
        this.bundle = bundle;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > MAX_ARRAY_LENGTH) {
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.ALLOWED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return allows(type) ? Status.ALLOWED : Status.REJECTED;
    }

    // Class loaders have identity only: the bundle's loader and the platform loader are one object each.
    @SuppressWarnings("ReferenceEquality")
    boolean allows(Class<?> type) {
        if (type.isPrimitive() || type.getClassLoader() == bundle) {
            return true;
        }
        String name = type.getName();
        if (name.startsWith(BundleClassLoader.CLIENT_PACKAGE) || name.equals("java.lang.invoke.SerializedLambda")) {
            return true;
        }
        ClassLoader loader = type.getClassLoader();
        boolean jdk = loader == null || loader == ClassLoader.getPlatformClassLoader();
        if (jdk && !name.startsWith("java.lang.invoke.") && !name.startsWith("java.lang.reflect.")) {
            for (String prefix : JDK_VALUE_PACKAGES) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
