"""For the whole test run: a cache folder of its own (the user's ~/.cache/momentum-lectures is never touched,
so an interrupt test cannot damage a teacher's cache), and SIGINT at its default disposition for the renders
the tests start (a test command run from a background job inherits SIGINT ignored)."""

import os
import shutil
import signal
import tempfile

CACHE = tempfile.mkdtemp(prefix="momentum-tests-cache-")
os.environ["XDG_CACHE_HOME"] = CACHE
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(
        signal.SIGINT, signal.default_int_handler
    )  # a handled signal is reset to default in a child


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(CACHE, ignore_errors=True)
