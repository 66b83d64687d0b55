"""A database nobody answers (connection refused): 503 + Retry-After in every setting.

Each case runs a fresh interpreter whose DATABASE_URL points at a loopback port nobody listens
on, with DEBUG on (local settings) and off (production settings). Runs on either test database:
it never reaches one.
"""

import json
import os
import secrets
import socket
import subprocess
import sys

import pytest
from django.conf import settings

REFUSED_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_HOST="localhost")
out = {}
for method, path in [("get", "/api/store/products"), ("post", "/api/store/carts"),
                     ("get", "/health"), ("get", "/health/live")]:
    response = getattr(client, method)(path, content_type="application/json")
    out[f"{method} {path}"] = [response.status_code, response.get("Retry-After"),
                               json.loads(response.content)]
print(json.dumps(out))
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"DJANGO_SETTINGS_MODULE": "config.settings.local"}, id="debug-on"),
        pytest.param(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "localhost",
                "DJANGO_SECURE_SSL_REDIRECT": "false",
            },
            id="debug-off",
        ),
    ],
)
def test_a_refused_database_connection_is_a_503_in_every_setting(env):
    result = subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-c", REFUSED_SCRIPT],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/shop",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    unavailable = {
        "type": "unavailable",
        "message": "The database is unavailable. Retry the request in a moment.",
    }
    retry_after = str(settings.API_RETRY_AFTER_SECONDS)
    assert json.loads(result.stdout) == {
        "get /api/store/products": [503, retry_after, unavailable],
        "post /api/store/carts": [503, retry_after, unavailable],
        "get /health": [
            503,
            retry_after,
            {"status": "unavailable", "database": "unavailable", "cache": "ok"},
        ],
        "get /health/live": [200, None, {"status": "ok"}],
    }
    # logged once per request with its cause, never a traceback
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if " commerce." in line]
    assert len(lines) == 3, result.stderr
    assert "GET /api/store/products: 503, transient database error (connection)" in lines[0]
    assert "POST /api/store/carts: 503, transient database error (connection)" in lines[1]
    assert "health: database unreachable" in lines[2]
