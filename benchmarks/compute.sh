#!/usr/bin/env bash
# Compute benchmark: F(10^6), F(10^7), 10^5!, 10^6! with decimal output, Switchboard's algorithms
# (Java BigInteger) beside GMP (python3-gmpy2) measured in the same run. Best of N repeats.
#   benchmarks/compute.sh [repeats]      (needs: apt-get install python3-gmpy2)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REPEATS="${1:-3}"
"$ROOT/switchboard" --version >/dev/null # builds the classes when sources changed
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p' "$ROOT/switchboard"); MIN_JAVA=25; find_jdk

# Debian's python3-gmpy2 lives in the system Python, which may not be the first python3 on PATH.
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import gmpy2' 2>/dev/null; then PYTHON="$candidate"; break; fi
done
[ -n "$PYTHON" ] || { echo "python3-gmpy2 is missing: apt-get install python3-gmpy2" >&2; exit 1; }

java_out="$("$JAVA_HOME/bin/java" -cp "$ROOT/app/target/switchboard.jar" "$ROOT/benchmarks/ComputeBenchmark.java" "$REPEATS")"
gmp_out="$("$PYTHON" "$ROOT/benchmarks/compute_gmp.py" "$REPEATS")"

printf '%-11s %14s %12s %10s %9s\n' input "switchboard s" "GMP s" ratio digits
join <(echo "$java_out" | sort) <(echo "$gmp_out" | sort) | sort -t'(' -k1,1 | while read -r name js jd gs gd; do
  [ "$jd" = "$gd" ] || { echo "digit counts differ for $name: $jd vs $gd" >&2; exit 1; }
  printf '%-11s %14s %12s %9.1fx %9s\n' "$name" "$js" "$gs" "$(echo "$js / $gs" | bc -l)" "$jd"
done
