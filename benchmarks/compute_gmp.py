"""GMP reference for benchmarks/compute.sh: same inputs, same output format (best of N)."""
import sys
import time

import gmpy2

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
for name, f, n in [
    ("fib(10^6)", gmpy2.fib, 10**6),
    ("fib(10^7)", gmpy2.fib, 10**7),
    ("fact(10^5)", gmpy2.fac, 10**5),
    ("fact(10^6)", gmpy2.fac, 10**6),
]:
    best, digits = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        digits = len(f(n).digits(10))
        best = min(best, time.perf_counter() - start)
    print(f"{name} {best:.4f} {digits}")
