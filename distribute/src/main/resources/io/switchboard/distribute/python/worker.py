"""A distribute worker for cloudpickled Python functions (the seed's POST /rpc).

Speaks the same link as the Java worker: frames of a 4-byte big-endian length and a UTF-8 JSON
object. Says hello, then runs one task at a time; a reader thread takes frames off the link and,
when the link closes, ends the process at once, so no worker outlives its dispatcher.

    python3 worker.py --connect HOST:PORT --id py-1     (token in DISTRIBUTE_WORKER_TOKEN)
"""

import base64
import contextlib
import io
import json
import os
import queue
import socket
import struct
import sys
import threading
import time
import traceback

import cloudpickle

# Bytes of stdout and stderr kept per task, as the Java worker does.
MAX_OUTPUT = 64 * 1024
MAX_FRAME = 64 << 20


def read_exactly(sock, n):
    chunks = []
    while n:
        chunk = sock.recv(n)
        if not chunk:
            raise EOFError("link closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(sock):
    (length,) = struct.unpack(">i", read_exactly(sock, 4))
    if length <= 0 or length > MAX_FRAME:
        raise EOFError("bad frame length %d" % length)
    return json.loads(read_exactly(sock, length).decode("utf-8"))


class Link:
    def __init__(self, sock):
        self.sock = sock
        self.lock = threading.Lock()

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        with self.lock:
            self.sock.sendall(struct.pack(">i", len(body)) + body)


class BoundedText(io.StringIO):
    """Keeps the first MAX_OUTPUT characters and counts the rest."""

    def __init__(self):
        super().__init__()
        self.dropped = 0

    def write(self, text):
        room = MAX_OUTPUT - self.tell()
        if room < len(text):
            self.dropped += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        return super().write(text)

    def text(self):
        value = self.getvalue()
        return value if not self.dropped else value + "\n[%d more characters dropped]" % self.dropped


def exception_json(error):
    stack = [
        {"class": frame.filename, "method": frame.name, "file": os.path.basename(frame.filename), "line": frame.lineno}
        for frame in traceback.extract_tb(error.__traceback__)[1:]  # drop this worker's own frame
    ]
    kind = type(error)
    json_error = {"class": kind.__module__ + "." + kind.__qualname__, "message": str(error), "stack": stack}
    if error.__cause__ is not None:
        json_error["cause"] = exception_json(error.__cause__)
    return json_error


def run(task):
    result = {"type": "result", "task": task["task"], "attempt": task["attempt"]}
    out, err = BoundedText(), BoundedText()
    start = time.perf_counter_ns()
    try:
        call = task.get("args") or {}
        wanted = call.get("python_version")
        mine = "%d.%d" % sys.version_info[:2]
        if wanted and wanted != mine:
            # A worker on another machine (the JetStream queue) may run another Python than the
            # client; cloudpickle needs the same version on both sides.
            result.update(ok=False, error={"kind": "INVALID",
                                           "message": "the client runs Python %s but this worker runs %s; cloudpickle "
                                                      "needs the same version on both" % (wanted, mine)})
            return result
        try:
            function = cloudpickle.loads(base64.b64decode(task["payload"]))
        except Exception as error:  # noqa: BLE001 - any unpickling failure is the task's
            result.update(ok=False, error={"kind": "INVALID", "message": "the function could not be unpickled: %r" % error,
                                           "exception": exception_json(error)})
            return result
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            value = function(*call.get("args", []), **call.get("kwargs", {}))
        try:
            json.dumps(value)
        except (TypeError, ValueError) as error:
            result.update(ok=False, error={"kind": "INVALID",
                                           "message": "the function returned a %s, which is not JSON-serialisable: %s"
                                                      % (type(value).__name__, error)})
            return result
        result.update(ok=True, result=value, encoding="json")
    except BaseException as error:  # noqa: BLE001 - what the user's function raised is its result
        if isinstance(error, MemoryError):
            os._exit(3)
        result.update(ok=False, error={"kind": "USER", "message": "the function raised %r" % error,
                                       "exception": exception_json(error)})
    finally:
        result["run_ns"] = time.perf_counter_ns() - start
        result["stdout"] = out.text()
        result["stderr"] = err.text()
    return result


def main(argv):
    options = dict(zip(argv[1::2], argv[2::2]))
    host, port = options["--connect"].rsplit(":", 1)
    worker_id = options.get("--id", "py-%d" % os.getpid())
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    link = Link(sock)
    link.send({"type": "hello", "worker": worker_id, "token": os.environ.get("DISTRIBUTE_WORKER_TOKEN"),
               "pid": os.getpid(), "language": "python",
               "python_version": "%d.%d" % sys.version_info[:2]})
    tasks = queue.Queue()

    def reader():
        try:
            while True:
                frame = read_frame(sock)
                if frame.get("type") == "task":
                    tasks.put(frame)
        except (EOFError, OSError, ValueError):
            os._exit(0)  # the dispatcher is gone: nothing may outlive it

    threading.Thread(target=reader, daemon=True).start()
    while True:
        link.send(run(tasks.get()))


if __name__ == "__main__":
    main(sys.argv)
