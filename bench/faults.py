"""`make faults`: the app under production settings, hurt on purpose, then checked in SQL.

Everything runs on loopback and is bounded in time (a few minutes):

1. a throw-away PostgreSQL cluster: `initdb` into a temporary directory with the Debian binaries
   (/usr/lib/postgresql/*/bin), on a free port. It is the only cluster this script ever
   restarts or stops; the machine's own clusters are never touched;
2. the app (config.settings.production) under gunicorn (config/gunicorn.conf.py), and nginx in
   front with deploy/nginx.conf (rewritten for the loopback ports);
3. faults, each while shoppers check out through nginx (create a cart, add two items, choose
   shipping, pay, complete; a step answered 502/503 or cut off is retried, as a client would):
   a soak; SIGKILL of a gunicorn worker every 1.5 s; a restart of the throw-away PostgreSQL;
   an admin pulling a product out of the channel mid-soak;
4. slow clients (50 sockets sending their headers one line a second) and overload
   (concurrency 128), each against gunicorn alone and behind nginx;
5. the invariants, in SQL: stock never negative and fully accounted for, one order per
   completed cart and no order without one, no order without items, no order placed after its
   product left the channel;

and prints a table (docs/reliability.md, "Faults", keeps the figures). Exit status 1 when an
invariant fails or a 500 was seen.

Knobs (environment): FAULTS_SECONDS (length of each phase, default 15), FAULTS_KEEP=1 (keep the
temporary directory, with the gunicorn, nginx and PostgreSQL logs), FAULTS_WORKER_CLASS (another
gunicorn worker class, e.g. gevent, to compare with the sync workers).
"""

from __future__ import annotations

import collections
import contextlib
import glob
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (after the path set-up)
from bench.load import Client, Request  # noqa: E402

HOST = "127.0.0.1"
PHASE_SECONDS = float(os.environ.get("FAULTS_SECONDS", "15"))
SHOPPERS = 16
SLOW_SOCKETS = 50
OVERLOAD = 128
OVERLOAD_BACKOFF = 0.5  # seconds an overload client waits after a 503
STOCK = 400  # per variant; running out would be a clean 4xx (InsufficientInventory)
VARIANTS = 6
WORKERS = 5  # gunicorn workers (2 x cores + 1 on the 2-core machine the figures come from)
RETRYABLE = {502, 503, -1}  # a client retries these (after Retry-After; here after 0.2 s)
EMAIL = "faults@example.com"
# Another gunicorn worker class to measure instead of config/gunicorn.conf.py's (e.g. gevent,
# installed by hand: it is not a dependency).
WORKER_CLASS = os.environ.get("FAULTS_WORKER_CLASS")


def say(message: str) -> None:
    sys.stderr.write(f"[faults {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def out(text: str = "") -> None:
    sys.stdout.write(f"{text}\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"[faults] {what} did not come up within {timeout:.0f} s")


# ---- the throw-away PostgreSQL cluster ----


# The throw-away cluster's server settings: durability traded for speed (nothing here is kept).
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "max_connections": "100"}


class Cluster:
    """A PostgreSQL cluster in `root/name`, created here, on a loopback port.

    The port is a free one unless `port` is given; the server starts with `settings` (each a
    `-c name=value`). bench/replica.py makes a primary with this class and, from it, a streaming
    replica (`create` overridden: pg_basebackup instead of initdb).
    """

    def __init__(
        self,
        root: Path,
        *,
        name: str = "pg",
        port: int | None = None,
        settings: dict[str, str] = FAST_SETTINGS,
    ) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise SystemExit("[faults] no PostgreSQL server binaries (apt-get install postgresql)")
        self.bin = Path(bins[-1]).parent
        self.root = root
        self.data = root / name
        self.port = port or free_port()
        self.log = root / f"{name}.log"
        self.settings = settings
        # initdb and postgres refuse to run as root: run them as the postgres user then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg_ctl(self, *args: str) -> None:
        # Only ever our own data directory, which this script created (never the main cluster).
        if not self.data.resolve().is_relative_to(self.root.resolve()):
            raise SystemExit(f"[faults] refusing to touch {self.data}")
        subprocess.run(  # noqa: S603  (fixed binaries, our own directory)
            [*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args],
            check=True,
            capture_output=True,
            timeout=90,
        )

    def create(self) -> None:
        if self.prefix:
            shutil.chown(self.root, "postgres")
        subprocess.run(  # noqa: S603
            [
                *self.prefix,
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.root} " + " ".join(
            f"-c {name}={value}" for name, value in self.settings.items()
        )
        self._pg_ctl("-l", str(self.log), "-o", options, "start")

    def restart(self) -> None:
        # Reuses the start options (postmaster.opts); the log file must be named again, or the
        # server would inherit our pipes.
        self._pg_ctl("-l", str(self.log), "-m", "fast", "restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg_ctl("-m", "immediate", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/faults"


# ---- the app: gunicorn, and nginx in front ----


def nginx_site(upstream_port: int, listen_port: int) -> str:
    """Return deploy/nginx.conf with its upstream and listen address moved to loopback ports."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site, upstreams = re.subn(r"server 127\.0\.0\.1:8000\b", f"server {HOST}:{upstream_port}", site)
    site, listens = re.subn(r"listen 80;", f"listen {HOST}:{listen_port};", site)
    if (upstreams, listens) != (1, 1):
        raise SystemExit("[faults] deploy/nginx.conf changed shape: one upstream, one listen")
    return site


def nginx_main_conf(directory: Path, site: Path) -> str:
    """Return a minimal nginx.conf around the site file, with every path inside `directory`."""
    return f"""worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    include {site};
}}
"""


class Nginx:
    def __init__(self, root: Path, upstream_port: int) -> None:
        self.dir = root / "nginx"
        self.dir.mkdir()
        self.port = free_port()
        site = self.dir / "commerce.conf"
        site.write_text(nginx_site(upstream_port, self.port))
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(nginx_main_conf(self.dir, site))
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("nginx") or "nginx",
                "-p",
                str(self.dir),
                "-c",
                str(self.conf),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.dir / "stderr.log").open("w"),
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Gunicorn:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log = (root / "gunicorn.log").open("w")
        config = ROOT / "config" / "gunicorn.conf.py"
        if WORKER_CLASS:
            # An async worker patches threading when it starts: the app must not be imported
            # before that (Django's connections are thread-local), so no preloading.
            config = root / "gunicorn.conf.py"
            config.write_text(
                f"exec(open({str(ROOT / 'config' / 'gunicorn.conf.py')!r}).read())\n"
                f"worker_class = {WORKER_CLASS!r}\npreload_app = False\n"
                "def when_ready(server):\n    pass\n"
            )
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(config),
                "--bind",
                f"{HOST}:{self.port}",
            ],
            cwd=ROOT,
            env={**os.environ, **env, "WEB_CONCURRENCY": str(WORKERS)},
            stdout=self.log,
            stderr=self.log,
        )

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()


def status_of(port: int, path: str, timeout: float = 5) -> int:
    try:
        return Client(HOST, port, timeout=timeout).send(Request("GET", path))[0]
    except (OSError, http.client.HTTPException):
        return -1


# ---- the shop ----


def shop_create() -> dict:
    """Create a region, a shipping option, a channel, VARIANTS stocked variants, a doomed one."""
    from catalog.services import PriceInput, VariantInput, product_create
    from commerce.services import region_create, shipping_option_create
    from saleschannels.services import sales_channel_create

    region = region_create(
        name="Faults", currency_code="usd", countries=["us"], payment_providers=["manual"]
    )
    shipping = shipping_option_create(region=region, name="Standard", amount=500)
    channel = sales_channel_create(name="Faults")

    def product(title: str) -> tuple[str, str]:
        created = product_create(
            title=title,
            status="published",
            sales_channel_ids=[channel.pk],
            variants=[
                VariantInput(
                    title="One size",
                    inventory_quantity=STOCK,
                    prices=[PriceInput(currency_code="usd", amount=1000)],
                )
            ],
        )
        return created.pk, created.variants.get().pk

    shared = [product(f"Shared {n}") for n in range(VARIANTS)]
    doomed = product("Doomed")
    return {
        "region": region.pk,
        "shipping": shipping.pk,
        "channel": channel.pk,
        "variants": [variant for _, variant in shared],
        "doomed_product": doomed[0],
        "doomed_variant": doomed[1],
    }


@dataclass
class Tally:
    """What the shoppers saw: statuses per step, orders placed, retries."""

    statuses: collections.Counter = field(default_factory=collections.Counter)
    orders: int = 0
    refused: int = 0
    retries: int = 0
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


def shoppers(port: int, shop: dict, seconds: float, tally: Tally) -> list[threading.Thread]:
    """Start SHOPPERS threads checking out through `port` until `seconds` pass."""
    deadline = time.monotonic() + seconds

    def step(client: Client, method: str, path: str, body=None) -> tuple[int, bytes]:
        for _ in range(20):
            try:
                status, payload = client.send(Request(method, path, body=body))
            except (OSError, http.client.HTTPException) as exc:
                status, payload = -1, str(exc).encode()
                client.close()
            tally.add(status)
            if status not in RETRYABLE:
                return status, payload
            with tally.lock:
                tally.retries += 1
            time.sleep(0.2)
        return status, payload

    def shop_once(client: Client, rng: random.Random) -> None:
        import json

        status, payload = step(
            client,
            "POST",
            "/api/store/carts",
            {"region_id": shop["region"], "sales_channel_id": shop["channel"], "email": EMAIL},
        )
        if status != 200:
            return
        cart = json.loads(payload)["cart"]["id"]
        wanted = rng.sample(shop["variants"], 2)
        if rng.random() < 0.2:
            wanted[1] = shop["doomed_variant"]
        for variant in wanted:
            status, _ = step(
                client,
                "POST",
                f"/api/store/carts/{cart}/line-items",
                {"variant_id": variant, "quantity": rng.randint(1, 3)},
            )
            if status != 200:
                with tally.lock:
                    tally.refused += status < 500
                return
        for path, body in [
            (f"/api/store/carts/{cart}/shipping-methods", {"option_id": shop["shipping"]}),
            (f"/api/store/carts/{cart}/payment-sessions", None),
            (f"/api/store/carts/{cart}/complete", None),
        ]:
            status, _ = step(client, "POST", path, body)
            if status != 200:
                with tally.lock:
                    tally.refused += status < 500
                    tally.gave_up += status in RETRYABLE
                return
        with tally.lock:
            tally.orders += 1

    def run(index: int) -> None:
        rng = random.Random(index)  # noqa: S311  (load, not secrets)
        client = Client(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            shop_once(client, rng)
        client.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    return threads


def join(threads: list[threading.Thread], seconds: float) -> None:
    for thread in threads:
        thread.join(seconds + 60)


# ---- slow clients and overload ----


def slow_clients(port: int, seconds: float) -> dict:
    """SLOW_SOCKETS sockets send one header line a second; meanwhile a prober sends normal GETs."""
    stop = time.monotonic() + seconds
    sockets: list[socket.socket | None] = [None] * SLOW_SOCKETS

    def connect() -> socket.socket | None:
        try:
            sock = socket.create_connection((HOST, port), timeout=2)
            sock.sendall(b"GET /api/store/regions HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return sock
        except OSError:
            return None

    def trickle() -> None:
        while time.monotonic() < stop:
            for i in range(SLOW_SOCKETS):
                sock = sockets[i]
                try:
                    if sock is None:
                        sockets[i] = connect()
                    else:
                        sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    if sock is not None:  # (a failed first connect left no socket to close)
                        sock.close()
                    sockets[i] = connect()  # an attacker reconnects at once
            time.sleep(1)
        for sock in sockets:
            if sock is not None:
                sock.close()

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    time.sleep(2)  # let the slow sockets settle in
    ok = failed = 0
    latencies = []
    while time.monotonic() < stop - 1:
        started = time.perf_counter()
        status = status_of(port, "/api/store/regions", timeout=5)
        elapsed = (time.perf_counter() - started) * 1000
        if status == 200:
            ok += 1
            latencies.append(elapsed)
        else:
            failed += 1
            time.sleep(0.2)
    trickler.join(seconds + 10)
    return {"ok": ok, "failed": failed, **percentiles(latencies)}


def overload(port: int, seconds: float, path: str) -> dict:
    """OVERLOAD threads send GETs back to back (pausing after a 503); count statuses, latencies."""
    deadline = time.monotonic() + seconds
    statuses: collections.Counter = collections.Counter()
    latencies: dict[int, list[float]] = collections.defaultdict(list)
    lock = threading.Lock()

    def run() -> None:
        client = Client(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = client.send(Request("GET", path))
            except (OSError, http.client.HTTPException):
                status = -1
                client.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                statuses[status] += 1
                latencies[status].append(elapsed)
            if status == 503:
                time.sleep(OVERLOAD_BACKOFF)  # a client that backs off (Retry-After says 2 s)
        client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(OVERLOAD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return {
        "statuses": dict(statuses),
        "ok": percentiles(latencies.get(200, [])),
        "refused": percentiles(latencies.get(503, [])),
    }


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50_ms": None, "p99_ms": None}
    ordered = sorted(values)
    pick = lambda p: round(ordered[min(len(ordered) - 1, int(p * len(ordered)))])  # noqa: E731
    return {"p50_ms": pick(0.5), "p99_ms": pick(0.99)}


# ---- invariants ----


def invariants(shop: dict, removed_at) -> list[tuple[str, int]]:
    """Each invariant as (what, number of violating rows); all must be 0."""
    from django.db import connection

    from carts.models import Cart
    from catalog.models import ProductSalesChannel, ProductVariant
    from orders.models import Order, OrderItem

    variant, cart, order, item, link = (
        ProductVariant._meta.db_table,
        Cart._meta.db_table,
        Order._meta.db_table,
        OrderItem._meta.db_table,
        ProductSalesChannel._meta.db_table,
    )
    variants = [*shop["variants"], shop["doomed_variant"]]
    checks = [
        (
            "stock never negative",
            f"SELECT count(*) FROM {variant} WHERE inventory_quantity < 0",  # noqa: S608
            [],
        ),
        (
            "stock accounted for (left + sold = initial)",
            f"SELECT count(*) FROM {variant} v WHERE v.id = ANY(%s) AND v.inventory_quantity + "  # noqa: S608
            f"COALESCE((SELECT sum(quantity) FROM {item} i WHERE i.variant_id = v.id), 0) <> %s",
            [variants, STOCK],
        ),
        (
            "one order per completed cart",
            f"SELECT count(*) FROM {cart} c WHERE c.completed_at IS NOT NULL AND "  # noqa: S608
            f"(SELECT count(*) FROM {order} o WHERE o.cart_id = c.id) <> 1",
            [],
        ),
        (
            "no order without a completed cart",
            f"SELECT count(*) FROM {order} o LEFT JOIN {cart} c ON c.id = o.cart_id "  # noqa: S608
            "WHERE c.completed_at IS NULL",
            [],
        ),
        (
            "no order without items",
            f"SELECT count(*) FROM {order} o WHERE NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {item} i WHERE i.order_id = o.id)",
            [],
        ),
        (
            "no order after its product left the channel",
            f"SELECT count(*) FROM {item} i JOIN {order} o ON o.id = i.order_id "  # noqa: S608
            f"WHERE i.product_id = %s AND o.created_at > %s",
            [shop["doomed_product"], removed_at],
        ),
        (
            "every other item's product still in the order's channel",
            f"SELECT count(*) FROM {item} i JOIN {order} o ON o.id = i.order_id "  # noqa: S608
            f"WHERE i.product_id <> %s AND NOT EXISTS (SELECT 1 FROM {link} l "
            "WHERE l.product_id = i.product_id AND l.sales_channel_id = o.sales_channel_id)",
            [shop["doomed_product"]],
        ),
    ]
    results = []
    with connection.cursor() as cursor:
        for what, sql, params in checks:
            cursor.execute(sql, params)
            results.append((what, cursor.fetchone()[0]))
    return results


# ---- the run ----


def table(rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        )
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def statuses_text(counter: collections.Counter | dict) -> str:
    return ", ".join(f"{'cut' if s == -1 else s}: {n}" for s, n in sorted(counter.items()))


def main() -> int:
    if shutil.which("nginx") is None:
        raise SystemExit("[faults] nginx is missing (apt-get install nginx-light)")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="faults-"))
    cluster = Cluster(root)
    gunicorn = nginx = None
    rows = [["phase", "through", "what the clients saw", "orders", "5xx other than 503"]]
    failures = 0
    try:
        say(f"creating a throw-away PostgreSQL cluster in {root} on port {cluster.port}")
        cluster.create()
        subprocess.run(  # noqa: S603
            [
                *cluster.prefix,
                str(cluster.bin / "createdb"),
                "-h",
                HOST,
                "-p",
                str(cluster.port),
                "-U",
                "postgres",
                "faults",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        env = run.server_env(cluster.url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        say("migrating")
        call_command("migrate", interactive=False, verbosity=0)
        shop = shop_create()
        connection.close()

        gunicorn = Gunicorn(root, env)
        wait_for(lambda: status_of(gunicorn.port, "/health") == 200, "gunicorn")
        wait_for(lambda: len(gunicorn.workers()) >= WORKERS, "gunicorn's workers")
        nginx = Nginx(root, gunicorn.port)
        wait_for(lambda: status_of(nginx.port, "/health") == 200, "nginx")
        say(
            f"gunicorn on {HOST}:{gunicorn.port} ({WORKERS} {WORKER_CLASS or 'sync'} workers), "
            f"nginx on {HOST}:{nginx.port}"
        )

        def checkout_phase(name: str, fault=None) -> None:
            nonlocal failures
            tally = Tally()
            threads = shoppers(nginx.port, shop, PHASE_SECONDS, tally)
            note = fault() if fault else ""
            join(threads, PHASE_SECONDS)
            other_5xx = sum(n for s, n in tally.statuses.items() if s >= 500 and s != 503)
            failures += other_5xx
            seen = statuses_text(tally.statuses) + f"; {tally.retries} retried"
            if tally.gave_up:
                seen += f", {tally.gave_up} gave up"
            rows.append([f"{name}{note}", "nginx", seen, str(tally.orders), str(other_5xx)])
            say(f"{name}: {seen}; {tally.orders} orders")

        removed: dict = {}

        def remove_doomed() -> str:
            time.sleep(PHASE_SECONDS / 2)
            from catalog.services import sales_channel_products_remove

            sales_channel_products_remove(
                channel_id=shop["channel"], product_ids=[shop["doomed_product"]]
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT clock_timestamp()")
                removed["at"] = cursor.fetchone()[0]
            connection.close()
            return " (+ a product leaves the channel)"

        def kill_workers() -> str:
            kills = 0
            deadline = time.monotonic() + PHASE_SECONDS - 1
            while time.monotonic() < deadline:
                time.sleep(1.5)
                pids = gunicorn.workers()
                if pids:
                    os.kill(random.choice(pids), signal.SIGKILL)  # noqa: S311
                    kills += 1
            return f" ({kills} workers SIGKILLed)"

        def restart_database() -> str:
            time.sleep(PHASE_SECONDS / 3)
            before = time.monotonic()
            cluster.restart()
            return f" (PostgreSQL restarted: {time.monotonic() - before:.1f} s)"

        say("soak")
        checkout_phase("checkout soak", remove_doomed)
        say("killing workers")
        checkout_phase("worker kills", kill_workers)
        wait_for(lambda: len(gunicorn.workers()) >= WORKERS, "gunicorn's workers")
        say("restarting PostgreSQL")
        checkout_phase("database restart", restart_database)

        for name, port in [("gunicorn alone", gunicorn.port), ("nginx", nginx.port)]:
            say(f"{SLOW_SOCKETS} slow clients, {name}")
            slow = slow_clients(port, PHASE_SECONDS)
            rows.append(
                [
                    f"{SLOW_SOCKETS} slow sockets",
                    name,
                    f"normal GETs: {slow['ok']} answered (p50 {slow['p50_ms']} ms, p99 "
                    f"{slow['p99_ms']} ms), {slow['failed']} failed or timed out (5 s)",
                    "",
                    "",
                ]
            )
        for name, port in [("gunicorn alone", gunicorn.port), ("nginx", nginx.port)]:
            say(f"overload (concurrency {OVERLOAD}), {name}")
            result = overload(port, PHASE_SECONDS, "/api/store/regions")
            other_5xx = sum(n for s, n in result["statuses"].items() if s >= 500 and s != 503)
            failures += other_5xx
            rows.append(
                [
                    f"overload c={OVERLOAD}",
                    name,
                    f"{statuses_text(result['statuses'])}; 200 p50 {result['ok']['p50_ms']} ms, "
                    f"p99 {result['ok']['p99_ms']} ms; 503 p50 {result['refused']['p50_ms']} ms",
                    "",
                    str(other_5xx),
                ]
            )

        say("checking the invariants")
        nginx.stop()  # their connections go back before we take one
        gunicorn.stop()
        checks = invariants(shop, removed["at"])
        connection.close()
        failures += sum(1 for _, bad in checks if bad)
    finally:
        if nginx is not None:
            nginx.stop()
        if gunicorn is not None:
            gunicorn.stop()
        cluster.stop()
        if os.environ.get("FAULTS_KEEP"):
            say(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    out()
    out(table(rows))
    out()
    out(table([["invariant (SQL)", "violations"], *[[what, str(bad)] for what, bad in checks]]))
    out()
    out(f"{'FAILED' if failures else 'OK'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
