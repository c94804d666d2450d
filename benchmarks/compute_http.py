"""Compute over HTTP beside GMP (gmpy2) in the same process and run, alternating.

For each input, repeats (five times as often for the two small inputs, whose times are a few
milliseconds and most exposed to other processes on a shared machine): reference (gmpy2: compute + decimal digits), Switchboard (GET with
Accept: text/plain on a kept-alive connection, body read to the end), reference again, so drift
shows. Prints one JSON object per input on stdout:
  {"row", "n", "digits", "reference_s": [...], "switchboard_s": {"<engine>": [...]}}
Usage: compute_http.py REPEATS ENGINE=URL [ENGINE=URL ...]
Needs Debian's python3-gmpy2 (the system python3).
"""
import http.client
import json
import sys
import time
import urllib.parse

import gmpy2

# row, path, reference function, n, repeats multiplier
INPUTS = [
    ("compute F(10^6)", "fibonacci", gmpy2.fib, 10**6, 5),
    ("compute F(10^7)", "fibonacci", gmpy2.fib, 10**7, 1),
    ("compute 10^5!", "factorial", gmpy2.fac, 10**5, 5),
    ("compute 10^6!", "factorial", gmpy2.fac, 10**6, 1),
]


def reference(f, n):
    start = time.perf_counter()
    digits = len(f(n).digits(10))
    return time.perf_counter() - start, digits


class Server:
    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=300)

    def get(self, path):
        start = time.perf_counter()
        self.connection.request("GET", path, headers={"Accept": "text/plain"})
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status} {body[:300]!r}")
        return elapsed, len(body)


def main():
    repeats = int(sys.argv[1])
    servers = {}
    for arg in sys.argv[2:]:
        engine, url = arg.split("=", 1)
        servers[engine] = Server(url)
    # Warm-up, not reported: the JIT compiles the request path and the engines' Java side.
    for server in servers.values():
        for _ in range(30):
            server.get("/fibonacci/20000")
            server.get("/factorial/5000")
        server.get("/fibonacci/1000000")
        server.get("/factorial/100000")
    for row, function, f, n, weight in INPUTS:
        refs, times = [], {engine: [] for engine in servers}
        digits = None
        for _ in range(repeats * weight):
            elapsed, digits = reference(f, n)
            refs.append(elapsed)
            for engine, server in servers.items():
                elapsed, length = server.get(f"/{function}/{n}")
                if length != digits:
                    raise SystemExit(f"{row}: {engine} sent {length} digits, GMP has {digits}")
                times[engine].append(elapsed)
        elapsed, _ = reference(f, n)
        refs.append(elapsed)
        print(json.dumps({"row": row, "n": n, "digits": digits, "reference_s": refs, "switchboard_s": times}),
              flush=True)


if __name__ == "__main__":
    main()
