#!/usr/bin/env python3
"""Crash-test helpers for the eye (standard library only).

  eye_crash.py ingest URL KEY OUT_FILE STOP_FILE   send batches of 10 events with unique ids from
                                                   8 threads until STOP_FILE exists; append every
                                                   acknowledged id (202) to OUT_FILE
  eye_crash.py verify URL KEY ACKED_FILE            wait for processing, read every stored event
                                                   through GET /events and /events/errors, and check
                                                   that each acknowledged id is present exactly once
"""
import json, os, sys, threading, time, urllib.error, urllib.request, uuid

BATCH = 10
THREADS = 8


def post(url, key, body):
    req = urllib.request.Request(url + "/events", data=body, method="POST", headers={
        "Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read())


def ingest(url, key, out_file, stop_file):
    lock = threading.Lock()
    counts = {"acked": 0, "errors": 0}
    out = open(out_file, "a", buffering=1)

    def worker():
        while not os.path.exists(stop_file):
            events = [{"id": str(uuid.uuid4()), "session_id": str(uuid.uuid4()), "category": "page interaction",
                       "name": "pageview", "data": {"host": "h", "path": "/"},
                       "timestamp": "2021-01-01 09:15:27.243860"} for _ in range(BATCH)]
            try:
                status, body = post(url, key, json.dumps(events).encode())
                if status == 202:
                    with lock:
                        out.write("\n".join(body["ids"]) + "\n")
                        counts["acked"] += len(body["ids"])
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                with lock:
                    counts["errors"] += 1
                time.sleep(0.05)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    print("ingest: %d events acknowledged, %d failed requests" % (counts["acked"], counts["errors"]))


def get(url, key, path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read().decode()


def backlog(url, key):
    for line in get(url, key, "/metrics").splitlines():
        if line.startswith("switchboard_eye_processing_backlog{"):
            return float(line.split()[-1])
    return -1


def walk(url, key, path, field):
    ids, cursor = [], None
    while True:
        page = json.loads(get(url, key, path + "?limit=1000" + ("&cursor=" + cursor if cursor else "")))
        ids.extend(e["id"] for e in page[field])
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def verify(url, key, acked_file):
    acked = [line.strip() for line in open(acked_file) if line.strip()]
    deadline = time.time() + 120
    while backlog(url, key) != 0 and time.time() < deadline:
        time.sleep(0.5)
    stored = walk(url, key, "/events", "events") + walk(url, key, "/events/errors", "errors")
    seen = {}
    for i in stored:
        seen[i] = seen.get(i, 0) + 1
    missing = [i for i in set(acked) if seen.get(i, 0) == 0]
    twice = [i for i, n in seen.items() if n > 1]
    print("verify: %d acknowledged ids, %d stored events, %d acknowledged but missing, %d stored twice"
          % (len(set(acked)), len(stored), len(missing), len(twice)))
    return 0 if not missing and not twice else 1


if __name__ == "__main__":
    if sys.argv[1] == "ingest":
        ingest(*sys.argv[2:6])
    else:
        sys.exit(verify(*sys.argv[2:5]))
