"""The integration suite: real PostgreSQL, a real Redis broker and real Celery worker processes.

Run it with `make test-services` (which sets the environment below); the default `make test`
does not collect it. Here a service that cannot be reached is a failure, never a skip.

- PostgreSQL: the machine's server (DATABASE_URL); pytest-django makes the test database.
- Redis: a redis-server of the suite's own on BROKER_PORT (the machine's redis-server binary),
  so that the broker-down test can stop and start it without touching the machine's Redis.
- Workers: `celery -A workup worker` processes started and killed by the fixtures.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

if os.environ.get("WORKUP_TEST_SERVICES") != "1":
    collect_ignore_glob = ["test_*.py"]  # only `make test-services` runs this suite

ROOT = Path(__file__).resolve().parents[2]
BROKER_PORT = int(os.environ.get("WORKUP_TEST_BROKER_PORT", "6390"))


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Broker:
    """A redis-server process the suite owns."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _port_open(self.port), 10, f"redis-server on port {self.port}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for(lambda: not _port_open(self.port), 10, "redis-server to stop")


class Worker:
    """A Celery worker process on the pdf queue, in its own process group."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self, *extra_args):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workup",
                "worker",
                "--queues",
                "pdf",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
                "--loglevel",
                "INFO",
                *extra_args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        from workup.celery import app

        wait_for(lambda: bool(app.control.ping(timeout=0.5)), 60, "a Celery worker to answer")

    def kill(self):
        """SIGKILL the whole worker (main process and pool): no chance to acknowledge."""
        if self.process:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self):
        if self.process:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@pytest.fixture(scope="session", autouse=True)
def postgresql_is_there():
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("make test-services runs against PostgreSQL: set DATABASE_URL")
    if not _port_open(int(db.get("PORT") or 5432), db.get("HOST") or "127.0.0.1"):
        pytest.fail(f"PostgreSQL is not reachable at {db.get('HOST')}:{db.get('PORT')}")


@pytest.fixture(scope="session")
def broker():
    from django.conf import settings

    if f":{BROKER_PORT}/" not in settings.CELERY_BROKER_URL:
        pytest.fail(f"CELERY_BROKER_URL must point at the suite's Redis on port {BROKER_PORT}")
    if _port_open(BROKER_PORT):  # left over from an interrupted run: the port is the suite's
        subprocess.run(
            ["redis-cli", "-p", str(BROKER_PORT), "shutdown", "nosave"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
        )
        time.sleep(1)
    if _port_open(BROKER_PORT):
        pytest.fail(f"port {BROKER_PORT} is taken: the suite runs a Redis of its own there")
    b = Broker(BROKER_PORT)
    b.start()
    yield b
    b.stop()


@pytest.fixture
def worker(broker, live_db_env, tmp_path):
    w = Worker(live_db_env, tmp_path / "worker.log")
    yield w
    w.stop()


@pytest.fixture
def live_db_env(transactional_db, settings):
    """The environment a worker process needs to see this test's committed data."""
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "DOCUMENT_ROOT": str(settings.DOCUMENT_ROOT),
    }


@pytest.fixture(autouse=True)
def clean_queue(broker):
    """Each test starts with an empty broker (no task left over from a killed worker)."""
    subprocess.run(
        ["redis-cli", "-p", str(broker.port), "FLUSHALL"], check=True, stdout=subprocess.DEVNULL
    )
