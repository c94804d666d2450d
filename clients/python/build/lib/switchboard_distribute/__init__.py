"""Run Python functions on Switchboard's distribute workers.

    from switchboard_distribute import Distribute

    sb = Distribute("http://127.0.0.1:8080", token=None)

    @sb.compute_this()
    def square(x):
        return x * x

    assert square(2).run() == 4
    future = square(3).run_async()        # concurrent.futures.Future
    assert future.result() == 9

The function is pickled with cloudpickle and sent with the seed's protocol (POST /rpc); it runs on a
Python worker process of the same Python version (cloudpickle's requirement, checked by the server).
"""

import concurrent.futures
import json
import sys
import urllib.error
import urllib.request

import cloudpickle

__all__ = ["Distribute", "RemoteError", "compute_this"]


class RemoteError(Exception):
    """The server could not run the call, or the function raised: `kind`, `remote_class`, `data`."""

    def __init__(self, message, code, data=None):
        super().__init__(message)
        self.code = code
        self.data = data
        details = data if isinstance(data, dict) else {}
        self.kind = details.get("kind")
        self.remote_class = (details.get("exception") or {}).get("class")


class Call:
    """One pending call of a decorated function; nothing is sent before run() or run_async()."""

    def __init__(self, client, function, args, kwargs):
        self._client = client
        self._function = function
        self._args = args
        self._kwargs = kwargs

    def run(self):
        """Runs the function remotely and returns its result; raises RemoteError when it failed."""
        return self._client._rpc(self._function, self._args, self._kwargs)["result"]

    def run_async(self):
        """Like run(), in the client's thread pool: returns a concurrent.futures.Future."""
        return self._client._pool.submit(self.run)


class Distribute:
    """A connection to one Switchboard server. `timeout` bounds each call, in seconds."""

    def __init__(self, url="http://127.0.0.1:8080", token=None, timeout=600, max_workers=100):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)

    def compute_this(self):
        """Decorator: `f(2)` then returns a Call whose run() executes f remotely."""

        def decorate(function):
            def prepare(*args, **kwargs):
                return Call(self, function, args, kwargs)

            prepare.__name__ = getattr(function, "__name__", "function")
            prepare.__doc__ = function.__doc__
            return prepare

        return decorate

    def close(self):
        self._pool.shutdown(wait=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _rpc(self, function, args, kwargs):
        pickled = cloudpickle.dumps(function)
        body = {
            "method": "rpc",
            "params": {
                "name": getattr(function, "__name__", "function"),
                "args": list(args),
                "kwargs": kwargs,
                # The seed's encoding: the pickled bytes as latin-1 text, JSON-encoded once more.
                "function": json.dumps(pickled.decode("latin-1")),
                "python_version": "%d.%d" % sys.version_info[:2],
            },
        }
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.url + "/rpc", json.dumps(body).encode("utf-8"), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                answer = json.loads(payload)
            except ValueError:
                raise RemoteError("HTTP %d: %s" % (error.code, payload[:200]), error.code) from None
            message = answer.get("message") or answer.get("title") or "HTTP %d" % error.code
            data = answer.get("data", answer.get("detail"))
            detail = data.get("message") if isinstance(data, dict) else data
            raise RemoteError("%s: %s" % (message, detail), answer.get("code", error.code), data) from None


_default = None


def compute_this(url=None, token=None):
    """The seed's module-level decorator, on a default client (SWITCHBOARD_URL, DISTRIBUTE_TOKEN)."""
    import os

    global _default
    if _default is None or url is not None:
        _default = Distribute(url or os.environ.get("SWITCHBOARD_URL", "http://127.0.0.1:8080"),
                              token or os.environ.get("DISTRIBUTE_TOKEN"))
    return _default.compute_this()
