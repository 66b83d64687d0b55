"""Run a real Celery worker (and beat) as subprocesses against the machine's Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def redis_unreachable_reason() -> str | None:
    """Return why Redis cannot be used (None when it answers PING)."""
    import redis

    url = settings.CELERY_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as error:  # noqa: BLE001  (any failure means: skip, saying why)
        return f"Redis unreachable at {url} ({error.__class__.__name__}: {error})"
    return None


def test_database_url() -> str:
    """The URL of the test database this process uses, for the worker to use too."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


class CeleryProcesses:
    """A worker (solo pool: the process that POSTs) and beat, on a queue of their own."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.queue = f"webhooks-test-{uuid.uuid4().hex[:12]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": test_database_url(),
            "WEBHOOKS_DELIVERY_MODE": "celery",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
        }
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self._workers_started = 0

    def _start(self, args: list[str], log: Path) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def start_worker(self) -> None:
        self._workers_started += 1
        log = self.tmp_path / f"worker-{self._workers_started}.log"
        self.worker = self._start(
            [
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{self._workers_started}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready." in log.read_text(errors="replace"):
                return
            if self.worker.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"the Celery worker did not start:\n{log.read_text()}")

    def start_beat(self) -> None:
        self.beat = self._start(
            ["beat", "-s", str(self.tmp_path / "beat-schedule"), "--loglevel=INFO"],
            self.tmp_path / "beat.log",
        )

    def kill_worker(self) -> None:
        """SIGKILL the worker: no clean shutdown, its message stays unacknowledged."""
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(10)
        self.worker = None

    def stop(self) -> None:
        for process in (self.worker, self.beat):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)
        import redis

        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        broker.delete(self.queue, *broker.keys(f"_kombu.binding*.{self.queue}"))
        # A killed worker's message waits in `unacked` (to come back after the visibility
        # timeout, into a queue nobody reads any more): drop ours. Values: [message, exchange, key].
        for tag, raw in broker.hscan_iter("unacked"):
            if json.loads(raw)[2] == self.queue:
                broker.hdel("unacked", tag)
                broker.zrem("unacked_index", tag)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )
