"""deploy/nginx.conf, the production layout's reverse proxy: valid, and it answers as documented.

nginx runs for real (Debian's nginx-light, installed by .ci/system-packages) on loopback ports,
in a temporary prefix, in front of a small stand-in upstream. `make faults` runs the same file
in front of the app for the slow-client and overload figures (docs/reliability.md, "Faults").
"""

import json
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.faults import free_port, nginx_main_conf, nginx_site

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Upstream(BaseHTTPRequestHandler):
    """Answers like the app: JSON, and its own 503 on /busy."""

    def do_GET(self):
        status = 503 if self.path == "/busy" else 200
        body = json.dumps(
            {"path": self.path, "proto": self.headers.get("X-Forwarded-Proto")}
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _nginx(tmp_path, upstream_port):
    """Start nginx with deploy/nginx.conf in front of `upstream_port`; yield its port."""
    port = free_port()
    site = tmp_path / "commerce.conf"
    site.write_text(nginx_site(upstream_port, port))
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_main_conf(tmp_path, site))
    checked = subprocess.run(  # noqa: S603  (nginx, our own files)
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while (tmp_path / "nginx.pid").exists() is False and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    return port, process


def _get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.fixture
def stop():
    processes = []
    yield processes.append
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_the_proxy_passes_requests_and_the_apps_own_errors_through(tmp_path, upstream, stop):
    port, process = _nginx(tmp_path, upstream)
    stop(process)

    assert _get(port, "/api/store/regions")[::2] == (
        200,
        {"path": "/api/store/regions", "proto": "http"},
    )
    status, headers, body = _get(port, "/busy")  # the app's own 503 is not rewritten
    assert (status, body) == (503, {"path": "/busy", "proto": "http"})
    assert "Retry-After" not in headers


def test_an_unreachable_app_is_a_503_with_retry_after(tmp_path, stop):
    port, process = _nginx(tmp_path, free_port())  # nobody listens upstream
    stop(process)

    status, headers, body = _get(port, "/api/store/carts")

    assert (status, headers["Retry-After"], headers["Content-Type"]) == (
        503,
        "2",
        "application/json",
    )
    assert body == {
        "type": "unavailable",
        "message": "The service is busy or restarting. Retry the request in a moment.",
    }
