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
            Fibonacci.decimal(500_000, Cancellation.NONE);
            Factorial.decimal(50_000, Cancellation.NONE);
        }
        time("fib(10^6)", n -> Fibonacci.decimal(n, Cancellation.NONE), 1_000_000, repeats);
        time("fib(10^7)", n -> Fibonacci.decimal(n, Cancellation.NONE), 10_000_000, repeats);
        time("fact(10^5)", n -> Factorial.decimal(n, Cancellation.NONE), 100_000, repeats);
        time("fact(10^6)", n -> Factorial.decimal(n, Cancellation.NONE), 1_000_000, repeats);
    }

    /** Prints the best of {@code repeats} wall times of computing the decimal string. */
    private static void time(String name, LongFunction<String> decimal, long n, int repeats) {
        double best = Double.MAX_VALUE;
        int digits = 0;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            digits = decimal.apply(n).length();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("%s %.4f %d%n", name, best, digits);
    }
}
