"""A safety net for tests of inputs that once made the code hang (regex backtracking).

Not a speed test: the limit is far above any normal run, so a slow machine never fails
it; it turns a hang into a failure instead of a stuck CI job. Speed is measured by
`imr bench`, which prints figures.
"""
from __future__ import annotations

import signal
from contextlib import contextmanager

HANG_LIMIT_SECONDS = 120


@contextmanager
def fails_if_it_hangs(seconds: int = HANG_LIMIT_SECONDS):
    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: treated as a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
