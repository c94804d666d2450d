package io.switchboard.distribute.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Defines the classes of one shipped bundle, isolated from the worker's own classes: its parent
 * sees the JDK and the distribute client's API, nothing else. So a shipped class never binds to a
 * library that happens to be on the worker's class path (a different version, or a deserialization
 * gadget), and two bundles never see each other's classes.
 */
final class BundleClassLoader extends ClassLoader {

    /** The one package of the worker's own class path that shipped code may use: the client API. */
    static final String CLIENT_PACKAGE = "io.switchboard.distribute.client.";

    private final Map<String, byte[]> classes;

    private BundleClassLoader(String bundle, Map<String, byte[]> classes) {
        super("bundle-" + bundle.substring(0, 12), new ClientApiLoader());
        this.classes = classes;
    }

    static BundleClassLoader of(String bundle, byte[] jar) throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.endsWith(".class") && !entry.isDirectory()) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    zip.transferTo(bytes);
                    classes.put(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                            bytes.toByteArray());
                }
            }
        }
        return new BundleClassLoader(bundle, classes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is neither in the JDK, the client API nor the shipped bundle");
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public java.io.InputStream getResourceAsStream(String name) {
        if (name.endsWith(".class")) {
            byte[] bytes = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
            if (bytes != null) {
                return new ByteArrayInputStream(bytes);
            }
        }
        return super.getResourceAsStream(name);
    }

    /** The JDK (through the platform loader) plus the client API from the worker's class path. */
    private static final class ClientApiLoader extends ClassLoader {

        ClientApiLoader() {
            super("distribute-client-api", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith(CLIENT_PACKAGE)) {
                return Class.forName(name, false, BundleClassLoader.class.getClassLoader());
            }
            throw new ClassNotFoundException(name);
        }
    }
}
