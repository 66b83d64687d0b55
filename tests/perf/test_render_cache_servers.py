"""Two real gunicorn servers on one database and one Redis render cache (issue 23, item 4).

Server A warms the store product list into the shared Redis; server B changes a product through
the admin API; A's very next read shows the change, and only that product was rendered again.
What `tests/perf/test_render_cache.py` shows with two cache clients in one process, here with
two processes, as two app servers behind a load balancer run.

The servers run config/gunicorn.conf.py (one worker each) on the test settings, pointed at this
test's database (committed for real: `transaction=True`) and at the machine's Redis: the URL of
`TEST_RENDER_CACHE_URL` when that is Redis (CI's render-cache step), else `CELERY_BROKER_URL`'s
(the Redis the Celery worker tests use; db 15 unless set). Fragment keys hold the product ids
(ULIDs, new in every run), so the test counts and removes its own. It is skipped, saying why,
only when that Redis does not answer.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from commerce.services import api_token_create
from tests.catalog.api.test_store_products import LIST_URL, _shirt
from tests.commerce.factories import StaffUserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_TIMEOUT = 30


def _redis_url() -> str:
    import redis

    url = os.environ.get("TEST_RENDER_CACHE_URL", "")
    if not url.startswith("redis"):
        url = settings.CELERY_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {url} for the two servers to share ({exc})")
    return url


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _request(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    client = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        client.request(
            method,
            path,
            body=payload,
            # One host name for both, as behind a load balancer (absolute URLs in the JSON are
            # on the request's host, so the fragments' shape depends on it).
            headers={"Host": "localhost", "Content-Type": "application/json", **(headers or {})},
        )
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


class Server:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = _free_port()
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "--config",
                    str(ROOT / "config" / "gunicorn.conf.py"),
                    "--bind",
                    f"{HOST}:{self.port}",
                ],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server {self.name} exited:\n{self.log_tail()}"
            try:
                if _request(self.port, "GET", "/health/live")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server {self.name} did not start:\n{self.log_tail()}")

    def get(self, path: str) -> dict:
        status, payload = _request(self.port, "GET", path)
        assert status == 200, f"{self.name}: GET {path} -> {status} {payload[:300]!r}"
        return json.loads(payload)

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-30:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def test_a_write_through_one_server_is_read_on_the_other_at_once(default_channel, tmp_path):
    import redis

    url = _redis_url()
    products = [
        _shirt([default_channel], title=f"Shirt {n}", handle=f"shirt-{n}") for n in range(3)
    ]
    token = api_token_create(user=StaffUserFactory(), name="two servers").raw
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_RENDER_CACHE_URL": url,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_WORKER_CLASS": "sync",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    cache = redis.Redis.from_url(url)
    servers = [Server(name, env, tmp_path / f"{name}.log") for name in ("A", "B")]
    a, b = servers
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers:
            server.wait_ready(deadline)

        def fragments() -> list[bytes]:
            return [key for p in products for key in cache.scan_iter(f"*:{p.pk}:*")]

        warm = a.get(LIST_URL)
        assert sorted(p["title"] for p in warm["products"]) == ["Shirt 0", "Shirt 1", "Shirt 2"]
        assert len(fragments()) == 3  # A rendered the three products into the shared cache
        assert b.get(LIST_URL) == warm  # B reads them: nothing new rendered
        assert len(fragments()) == 3

        status, payload = _request(
            b.port,
            "POST",
            f"/api/admin/products/{products[1].pk}",
            {"title": "Renamed on B"},
            {"x-medusa-access-token": token},
        )
        assert status == 200, payload[:300]

        after = a.get(LIST_URL)
        titles = {p["id"]: p["title"] for p in after["products"]}
        assert titles[products[1].pk] == "Renamed on B"
        assert titles[products[0].pk] == "Shirt 0"
        # only the changed product was rendered again, under its new version
        assert len(fragments()) == 4
        assert b.get(LIST_URL) == after
    finally:
        for server in servers:
            server.stop()
        keys = fragments()
        if keys:
            cache.delete(*keys)
