#!/usr/bin/env python3
"""Hostile HTTP clients against a running `switchboard serve` (see hostile.sh).

Long URLs, many and huge headers, huge and slow bodies, slow-header clients, 1,000 idle
connections, pipelining and clients that leave mid-answer, while an eye client sends events.
Then, with the idle and slow connections still open: /health/ready must answer within 100 ms,
RSS must stay under the limit, and eye must return every event it acknowledged (202).
Prints one line per check and exits 1 if any failed.

Usage: hostile.py HOST PORT SERVER_PID EYE_KEY [RSS_LIMIT_MB]
"""
import json
import resource
import socket
import sys
import threading
import time
import urllib.request
import uuid

HOST, PORT, PID, KEY = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
RSS_LIMIT_MB = int(sys.argv[5]) if len(sys.argv) > 5 else 1024
IDLE_CONNECTIONS = 1000
SLOW_HEADER_CLIENTS = 100
SLOW_BODY_CLIENTS = 20
HOLD_SECONDS = 8
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + (": " + detail if detail else ""), flush=True)


def connect(timeout=10):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def exchange(raw, timeout=15, limit=1 << 20):
    """Sends raw bytes, returns what came back until the server closed, the limit or the timeout."""
    s = connect(timeout)
    try:
        try:
            s.sendall(raw)
        except OSError:
            pass  # the server may close while a huge request is still being sent
        data = b""
        while len(data) < limit:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, OSError):
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data and b"connection: close" not in data.lower() and data.count(b"HTTP/1.1") >= 1:
                head, _, body = data.partition(b"\r\n\r\n")
                length = [l for l in head.lower().split(b"\r\n") if l.startswith(b"content-length:")]
                if length and len(body) >= int(length[0].split(b":")[1]):
                    break
        return data
    finally:
        s.close()


def status_of(response):
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def rss_mb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def ready_latency_ms():
    start = time.monotonic()
    with urllib.request.urlopen(f"http://{HOST}:{PORT}/health/ready", timeout=5) as r:
        r.read()
    return (time.monotonic() - start) * 1000


# ---- the eye client: sends events throughout, remembers what was acknowledged ----
acknowledged = set()
session = "hostile-" + uuid.uuid4().hex[:8]
eye_errors = []


def eye_client(stop):
    n = 0
    while not stop.is_set():
        batch = [{"id": f"{session}-{n + i}", "session_id": session, "category": "hostile", "name": "probe",
                  "data": {"n": n + i}, "timestamp": "2021-01-01 09:15:27.243860"} for i in range(10)]
        n += 10
        req = urllib.request.Request(f"http://{HOST}:{PORT}/events", data=json.dumps(batch).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                if r.status == 202:
                    acknowledged.update(json.loads(r.read())["ids"])
        except Exception as e:  # a refused batch (503) was never acknowledged: fine
            eye_errors.append(str(e))
        time.sleep(0.05)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    rss_before = rss_mb()
    print(f"server pid {PID}, RSS before {rss_before} MB", flush=True)
    stop = threading.Event()
    eye = threading.Thread(target=eye_client, args=(stop,), daemon=True)
    eye.start()

    # Long URL: 100 kB target.
    r = exchange(b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check("100 kB URL is refused with 414", status_of(r) == 414, r[:40].decode(errors="replace"))

    # Many headers, and one huge header.
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 50) for i in range(2000))
    r = exchange(b"GET /health/live HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    check("2,000 headers are refused with 431", status_of(r) == 431, r[:40].decode(errors="replace"))
    r = exchange(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 200_000 + b"\r\n\r\n")
    check("a 200 kB header is refused with 431", status_of(r) == 431, r[:40].decode(errors="replace"))

    # Huge body: announce 1 GB, send 8 MB; the server must refuse without reading it all.
    start = time.monotonic()
    r = exchange(b"POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                 + KEY.encode() + b"\r\nContent-Length: 1000000000\r\n\r\n" + b"[" * (8 << 20), timeout=20)
    check("a 1 GB body is refused with 413", status_of(r) == 413,
          f"{r[:40].decode(errors='replace')!r} after {time.monotonic() - start:.1f} s")

    # Pipelining: 100 requests in one write, answered in order on one connection.
    pipelined = b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n" * 99 + \
        b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    r = exchange(pipelined, limit=10 << 20)
    check("100 pipelined requests get 100 answers", r.count(b"HTTP/1.1 200") == 100, f"{r.count(b'HTTP/1.1 200')}")

    # Clients that leave mid-answer: a large compute result, closed after the first bytes.
    left = 0
    for _ in range(30):
        s = connect()
        s.sendall(b"GET /factorial/100000 HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            s.recv(1024)
        except OSError:
            pass
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
        s.close()
        left += 1
    check("30 clients left mid-answer", left == 30)

    # Held open while the checks below run: idle connections, slow headers, slow bodies.
    held = []
    for _ in range(IDLE_CONNECTIONS):
        held.append(connect())
    slow = []
    for _ in range(SLOW_HEADER_CLIENTS):
        s = connect()
        s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    slow_bodies = []
    for _ in range(SLOW_BODY_CLIENTS):
        s = connect()
        s.sendall(b"POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                  + KEY.encode() + b"\r\nContent-Length: 100000\r\n\r\n[")
        slow_bodies.append(s)
    check(f"{IDLE_CONNECTIONS} idle, {SLOW_HEADER_CLIENTS} slow-header and {SLOW_BODY_CLIENTS} slow-body "
          "connections open", True)
    deadline = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < deadline:
        for s in slow:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        for s in slow_bodies:
            try:
                s.sendall(b" ")
            except OSError:
                pass
        time.sleep(0.5)

    latencies = sorted(ready_latency_ms() for _ in range(20))
    check("/health/ready within 100 ms with those connections open", latencies[-1] < 100,
          f"max {latencies[-1]:.1f} ms, median {latencies[10]:.1f} ms")

    for s in held + slow + slow_bodies:
        s.close()
    stop.set()
    eye.join()
    time.sleep(1)  # "afterwards": once the server has seen the 1,120 connections close

    latencies = sorted(ready_latency_ms() for _ in range(20))
    check("/health/ready within 100 ms afterwards", latencies[-1] < 100, f"max {latencies[-1]:.1f} ms")
    rss_after = rss_mb()
    check(f"RSS below {RSS_LIMIT_MB} MB", 0 < rss_after < RSS_LIMIT_MB, f"{rss_before} MB before, {rss_after} MB after")

    # Every acknowledged event comes back (valid or kept as invalid), once processing caught up.
    found = set()
    for _ in range(60):
        found = set()
        for path in ("events", "events/errors"):
            cursor = ""
            while True:
                url = f"http://{HOST}:{PORT}/{path}?session_id={session}&limit=1000" + (f"&cursor={cursor}" if cursor else "")
                req = urllib.request.Request(url, headers={"Authorization": "Bearer " + KEY})
                with urllib.request.urlopen(req, timeout=10) as r:
                    page = json.loads(r.read())
                found.update(e["id"] for e in page["events" if path == "events" else "errors"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
        if acknowledged <= found:
            break
        time.sleep(0.5)
    missing = acknowledged - found
    check("eye returns every event it acknowledged", len(acknowledged) > 0 and not missing,
          f"{len(acknowledged)} acknowledged, {len(missing)} missing, {len(eye_errors)} batches refused")
    sys.exit(0 if all(results) else 1)


main()
