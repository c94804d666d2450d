package io.switchboard.compute.math;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apfloat.ApfloatContext;

/**
 * The pure-Java engine: {@link java.math.BigInteger} while numbers are small, then apfloat's
 * radix-10 number-theoretic-transform arithmetic, whose decimal output is a copy (see {@link
 * DecimalNumber}). Used when GMP is not installed.
 */
final class ApfloatEngine implements BigNumberEngine {

    /** From the library's Maven metadata, which survives shading (its manifest does not). */
    private static final String VERSION = readVersion();

    @Override
    public String name() {
        return "apfloat";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String fibonacci(long n, Cancellation cancellation) {
        return Fibonacci.decimal(n, cancellation);
    }

    @Override
    public String factorial(long n, Cancellation cancellation) {
        return Factorial.decimal(n, cancellation);
    }

    @Override
    public long nativeBytes() {
        return 0;
    }

    private static String readVersion() {
        try (InputStream in =
                ApfloatContext.class.getResourceAsStream("/META-INF/maven/org.apfloat/apfloat/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
