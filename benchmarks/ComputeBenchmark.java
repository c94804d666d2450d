import io.switchboard.compute.math.Cancellation;
import io.switchboard.compute.math.Factorial;
import io.switchboard.compute.math.Fibonacci;
import java.util.function.LongFunction;

/**
 * Times compute's algorithms on the benchmark inputs, including the decimal output, as
 * "name seconds digits" lines. Run by benchmarks/compute.sh beside the GMP reference.
 */
public class ComputeBenchmark {

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        // Warm-up so the JIT has compiled BigInteger's multiplication paths.
        for (int i = 0; i < 3; i++) {
            Fibonacci.of(200_000, Cancellation.NONE).toString();
            Factorial.of(20_000, Cancellation.NONE).toString();
        }
        time("fib(10^6)", 1_000_000, n -> Fibonacci.of(n, Cancellation.NONE), repeats);
        time("fib(10^7)", 10_000_000, n -> Fibonacci.of(n, Cancellation.NONE), repeats);
        time("fact(10^5)", 100_000, n -> Factorial.of(n, Cancellation.NONE), repeats);
        time("fact(10^6)", 1_000_000, n -> Factorial.of(n, Cancellation.NONE), repeats);
    }

    private static void time(String name, long n, LongFunction<java.math.BigInteger> f, int repeats) {
        double best = Double.MAX_VALUE;
        double bestValue = 0;
        int digits = 0;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            java.math.BigInteger value = f.apply(n);
            long computed = System.nanoTime();
            digits = value.toString().length();
            long end = System.nanoTime();
            if ((end - start) / 1e9 < best) {
                best = (end - start) / 1e9;
                bestValue = (computed - start) / 1e9;
            }
        }
        System.out.printf("%s %.4f %.4f %d%n", name, best, bestValue, digits);
    }
}
