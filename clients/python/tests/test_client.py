"""Runs against a live serve: SWITCHBOARD_URL (the Java test suite starts one and runs these)."""

import concurrent.futures
import os
import unittest

from switchboard_distribute import Distribute, RemoteError

URL = os.environ.get("SWITCHBOARD_URL")


@unittest.skipUnless(URL, "SWITCHBOARD_URL names no running serve")
class ClientTest(unittest.TestCase):
    def setUp(self):
        self.sb = Distribute(URL, token=os.environ.get("DISTRIBUTE_TOKEN"))

    def tearDown(self):
        self.sb.close()

    def test_the_seeds_example(self):
        @self.sb.compute_this()
        def func(x):
            return x * x

        self.assertEqual(func(2).run(), 4)

    def test_closures_and_kwargs_travel(self):
        offset = 10

        @self.sb.compute_this()
        def add(x, y=0):
            return x + y + offset

        self.assertEqual(add(1, y=2).run(), 13)

    def test_a_hundred_concurrent_calls(self):
        @self.sb.compute_this()
        def double(x):
            return 2 * x

        futures = [double(i).run_async() for i in range(100)]
        results = [f.result(timeout=120) for f in concurrent.futures.as_completed(futures)]
        self.assertEqual(sorted(results), [2 * i for i in range(100)])

    def test_a_raising_function_raises_remote_error_with_the_remote_class(self):
        @self.sb.compute_this()
        def broken(x):
            raise ValueError("bad %d" % x)

        with self.assertRaises(RemoteError) as raised:
            broken(3).run()
        self.assertEqual(raised.exception.kind, "USER")
        self.assertEqual(raised.exception.remote_class, "builtins.ValueError")


if __name__ == "__main__":
    unittest.main()
