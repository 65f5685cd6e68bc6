"""Fixtures: real rl-from-scratch servers on port 0 (loopback), started once per test session."""
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))  # the package under test, as `npm test` runs it without installing anything

#: Seconds a server may take to print its `listening on ws://...` line (tsx compiles on first start).
SERVER_START_TIMEOUT = 90
LISTENING = re.compile(r"listening on (ws://\S+)")


class Server:
    """`npm run server -- --port 0 ARGS` (run as `tsx packages/env-server/bin/server.ts`), killed at teardown."""

    def __init__(self, *args, env=None):
        tsx = ROOT / "node_modules" / ".bin" / "tsx"
        command = [str(tsx), "packages/env-server/bin/server.ts", "--port", "0", *args]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, **(env or {})}, start_new_session=True,
        )
        self.output = []
        found = threading.Event()
        self.url = None

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                match = LISTENING.search(line)
                if match and not found.is_set():
                    self.url = match.group(1)
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(SERVER_START_TIMEOUT) or self.url is None:
            self.stop()
            raise RuntimeError(f"the server did not start: {''.join(self.output)}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="session")
def server():
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def url(server):
    return server.url


@pytest.fixture(scope="session")
def token_server():
    server = Server("--token", "sesame")
    yield server
    server.stop()


@pytest.fixture
def private_server():
    """A server of the test's own, for tests that stop it."""
    server = Server()
    yield server
    server.stop()


# ---- counts for `npm test`'s closing line (tools/scripts/test-summary.ts reads Jest's JSON shape) ----

_counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if report.outcome == "passed":
            _counts["passed"] += 1
        elif report.outcome == "skipped":
            _counts["skipped"] += 1
        else:
            _counts["failed"] += 1
    elif report.when == "teardown" and report.outcome == "failed":
        _counts["failed"] += 1


def pytest_collectreport(report):
    if report.failed:
        _counts["errors"] += 1


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("RLFS_PYTEST_RESULTS")
    if not target:
        return
    import json

    results = {
        "numPassedTests": _counts["passed"],
        "numFailedTests": _counts["failed"],
        "numPendingTests": _counts["skipped"],
        "numFailedTestSuites": _counts["errors"] + (1 if _counts["failed"] else 0),
        "numRuntimeErrorTestSuites": _counts["errors"],
        "success": exitstatus == 0,
    }
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    with open(temporary, "w") as file:
        json.dump(results, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
