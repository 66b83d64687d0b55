"""`make bench-replica`: the store on a real PostgreSQL streaming replica, and the lag a reader sees.

    make bench-replica          (no DATABASE_URL: it makes its own clusters)

Everything runs on loopback and is thrown away at the end, even on failure or Ctrl-C:

1. a primary cluster (`initdb`, bench/faults.py's `Cluster`, port 5498) and a streaming replica
   of it (`pg_basebackup -R`, port 5499), both in one temporary directory under /tmp, with the
   Debian server binaries (/usr/lib/postgresql/*/bin). `fsync` is off on both (nothing is kept),
   `synchronous_commit` is on (the default): a commit is streamed as soon as it is flushed;
2. a smaller dataset than `make bench`'s, generated into the primary with `generate_catalog`
   (BENCH_REPLICA_PRODUCTS, default 10,000 products x 3 variants in 20 channels) and streamed to
   the replica, then what the store cases need (bench/run.py's `fixtures_prepare`);
3. bench/run.py's store cases (products by channel, default channel, publishable key) at
   concurrency 1 and 8, on gunicorn with production settings (bench/run.py's `Server`), first on
   the primary alone, then with `DATABASE_REPLICA_URLS` pointing at the replica (store catalogue
   reads then run on the replica: commerce/db/replicas.py);
4. with the replica configured, three probes, idle and again while load runs (store reads at
   concurrency 8 through the replica, line-item adds at 2 on the primary; the lag probe then
   runs beside the other two, in a thread of its own):
   - lag: a product title changed through the service (`catalog.services.product_update`), then
     the replica polled in SQL until it shows the new title; the time from the commit to the
     first read that sees it, over BENCH_REPLICA_WRITES writes (p50, p99, max);
   - a reader: another product's title changed the same way, then that product's store page
     read through the server at once; counts how often it still showed the old title;
   - read-your-writes: a line item added to a cart through the server, the cart read through the
     server at once; it must hold the new line every time (carts are read on the primary);
   and, under load, `pg_stat_replication.replay_lag` sampled every 50 ms (the primary's view,
   from the replica's reports, which can trail the replay itself);
5. the same probes once more, 20 rounds, with the replica held BENCH_REPLICA_DELAY_MS behind
   (`recovery_min_apply_delay`, default 500 ms): the catalogue reader then sees old titles, the
   cart must still be read fresh, and the lag probe must measure about the delay (a check of
   the probe itself).

Prints a table; `BENCH_REPLICA_WRITE=1` also writes it into docs/benchmarks.md (replicas section).
Raw results go to bench-results/<timestamp>-replica.json. Exit status 1 if a cart was read stale.

Knobs (environment): BENCH_REPLICA_PRODUCTS, BENCH_REPLICA_WRITES (default 200),
BENCH_REPLICA_LOAD_SECONDS (the loaded probe's time limit, default 20), BENCH_REPLICA_DELAY_MS,
BENCH_REPLICA_PORTS (primary,replica; default 5498,5499), BENCH_REPLICA_KEEP=1 (keep the
temporary directory, clusters stopped, with their logs), and bench/run.py's BENCH_SECONDS,
BENCH_MAX_REQUESTS, WEB_CONCURRENCY; GUNICORN_WORKER_CLASS reaches gunicorn as in `make bench`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402  (after the path set-up)
from bench.faults import Cluster  # noqa: E402
from bench.load import CaseResult, Client, Request, run_case  # noqa: E402

HOST = run.HOST
DATABASE = "bench_replica"
STORE_CASES = ("store_products_channel", "store_products_default", "store_products_key")
PRIMARY_SETTINGS = {
    "fsync": "off",
    "max_connections": "100",
    "wal_level": "replica",
    "max_wal_senders": "4",
}
REPLICA_SETTINGS = {"fsync": "off", "max_connections": "100", "hot_standby": "on"}
VISIBLE_TIMEOUT = 30.0  # seconds a write may take to reach the replica before the run fails
MARK_BEGIN, MARK_END = "<!-- bench-replica:begin -->", "<!-- bench-replica:end -->"


def say(message: str) -> None:
    run.say(message, tag="bench-replica")


def fail(message: str) -> NoReturn:
    run.fail(message, command="make bench-replica")


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that tears everything down


# ---- 1. THE CLUSTERS ----


class Replica(Cluster):
    """A hot standby of `primary`, made by `pg_basebackup -R` (streaming, no archive)."""

    def __init__(self, primary: Cluster, port: int) -> None:
        super().__init__(primary.root, name="replica", port=port, settings=REPLICA_SETTINGS)
        self.primary = primary

    def create(self) -> None:
        subprocess.run(  # noqa: S603  (fixed binaries, our own directory)
            [
                *self.prefix,
                str(self.bin / "pg_basebackup"),
                "-h",
                HOST,
                "-p",
                str(self.primary.port),
                "-U",
                "postgres",
                "-D",
                str(self.data),
                "-R",  # standby.signal, and primary_conninfo in postgresql.auto.conf
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        self.start()


def ports() -> tuple[int, int]:
    raw = os.environ.get("BENCH_REPLICA_PORTS", "5498,5499")
    try:
        primary, replica = (int(part) for part in raw.split(","))
    except ValueError:
        fail(f"BENCH_REPLICA_PORTS={raw!r}: two ports, e.g. 5498,5499")
    for port in (primary, replica):
        with socket.socket() as probe:
            # As PostgreSQL binds: a previous run's connections in TIME_WAIT do not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, port))
            except OSError:
                fail(f"port {port} is in use; choose others with BENCH_REPLICA_PORTS=p,r")
    return primary, replica


def url_of(cluster: Cluster) -> str:
    return f"postgres://postgres@{HOST}:{cluster.port}/{DATABASE}"


def replica_catch_up(primary_dsn: str, replica_dsn: str, timeout: float = 300) -> float:
    """Wait until the replica has replayed everything the primary wrote; return the seconds."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(primary_dsn, autocommit=True) as primary:
        row = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        target = row[0] if row else None
    with psycopg.connect(replica_dsn, autocommit=True) as replica:
        while time.monotonic() - started < timeout:
            row = replica.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [target]
            ).fetchone()
            if row and row[0]:
                return time.monotonic() - started
            time.sleep(0.2)
    fail(f"the replica did not catch up with the primary within {timeout:.0f} s")
    return timeout  # (fail raised)


def apply_delay_set(replica_dsn: str, milliseconds: int) -> None:
    """Hold the replica `milliseconds` behind the primary (0: replay at once)."""
    import psycopg

    with psycopg.connect(replica_dsn, autocommit=True) as replica:
        replica.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{int(milliseconds)}ms'")
        replica.execute("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            row = replica.execute("SHOW recovery_min_apply_delay").fetchone()
            if row and row[0] == (f"{int(milliseconds)}ms" if milliseconds else "0"):
                return
            time.sleep(0.05)
    fail(f"the replica did not take recovery_min_apply_delay = {milliseconds} ms")


# ---- 2. THE PROBES ----


def percentiles(values: list[float]) -> dict[str, Any]:
    """p50, p99 and max of `values` (milliseconds), nearest rank as bench/load.py's."""
    measured = CaseResult(1, len(values), 0, 0.0, values)
    return {
        "samples": len(values),
        **{
            name: None if value is None else round(value, 2)
            for name, value in (
                ("p50_ms", measured.percentile(50)),
                ("p99_ms", measured.percentile(99)),
                ("max_ms", max(values) if values else None),
            )
        },
    }


class Probes:
    """The probes of one phase: the lag of writes, and reads right after writes.

    Two products of the default channel: one whose title the lag probe rewrites, one whose title
    the reader probe rewrites (so that neither overwrites a title the other waits for).
    """

    def __init__(self, port: int, replica_dsn: str, targets: dict[str, Any]) -> None:
        self.port = port
        self.replica_dsn = replica_dsn
        self.lag_product, self.read_product = targets["products"]
        self.carts: list[str] = targets["carts"]
        self.variants: list[str] = targets["variants"]
        self.quantities: dict[tuple[str, str], int] = {}
        self.adds = 0

    @staticmethod
    def _title_write(product_id: str) -> str:
        from catalog import services as catalog_services

        title = f"Replica probe {secrets.token_hex(6)}"
        catalog_services.product_update(product_id=product_id, title=title)
        return title

    def lags(self, writes: int, keep_going: Callable[[], bool]) -> list[float]:
        """Change a title on the primary, poll the replica until it shows it; `writes` times.

        Each value is the time from the service's return (the commit) to the first replica read
        that sees the new title, in milliseconds.
        """
        import psycopg

        out: list[float] = []
        with psycopg.connect(self.replica_dsn, autocommit=True) as replica:
            while len(out) < writes and keep_going():
                title = self._title_write(self.lag_product)
                committed = time.perf_counter()
                while True:
                    row = replica.execute(
                        "SELECT title FROM catalog_product WHERE id = %s", [self.lag_product]
                    ).fetchone()
                    elapsed = time.perf_counter() - committed
                    if row and row[0] == title:
                        break
                    if elapsed > VISIBLE_TIMEOUT:
                        fail(
                            f"a write was not visible on the replica after {VISIBLE_TIMEOUT:.0f} s"
                        )
                out.append(elapsed * 1000)
                time.sleep(0.01)
        return out

    def reads(self, rounds: int, keep_going: Callable[[], bool]) -> dict[str, Any]:
        """Read through the server right after writing, `rounds` times each.

        The store's product page right after its title changed (counts the old titles seen),
        and a cart right after a line item was added to it (counts the reads that hold it).
        """
        client = Client(HOST, self.port, timeout=30)
        done = stale = fresh = 0
        stale_carts: list[str] = []

        def send(method: str, path: str, body: Any = None) -> Any:
            status, payload = client.send(Request(method, path, body=body))
            if status != 200:
                fail(f"{method} {path} -> {status}: {payload[:300]!r}")
            return json.loads(payload)

        try:
            while done < rounds and keep_going():
                title = self._title_write(self.read_product)
                page = send("GET", f"/api/store/products/{self.read_product}")
                stale += page["product"]["title"] != title

                cart = self.carts[self.adds % len(self.carts)]
                variant = self.variants[(self.adds // len(self.carts)) % len(self.variants)]
                self.adds += 1
                key = (cart, variant)
                self.quantities[key] = expected = self.quantities.get(key, 0) + 1
                path = f"/api/store/carts/{cart}"
                send("POST", f"{path}/line-items", {"variant_id": variant, "quantity": 1})
                items = send("GET", path)["cart"]["items"]
                seen = sum(item["quantity"] for item in items if item["variant_id"] == variant)
                if seen == expected:
                    fresh += 1
                else:
                    stale_carts.append(f"cart {cart}: variant {variant} x{seen}, not x{expected}")
                done += 1
        finally:
            client.close()
        return {
            "reads": done,
            "catalogue_reads_stale": stale,
            "cart_reads_fresh": fresh,
            **({"stale_carts": stale_carts[:5]} if stale_carts else {}),
        }

    def run(
        self, rounds: int, keep_going: Callable[[], bool] = lambda: True, *, together: bool = False
    ) -> dict[str, Any]:
        """Run `rounds` writes of the lag probe and `rounds` of the read probes.

        One after the other, or `together`: the lag probe in a thread of its own, so that while
        load runs its writes are not paced by the server's answers to the read probes.
        """
        if not together:
            return {
                "lag": percentiles(self.lags(rounds, keep_going)),
                **self.reads(rounds, keep_going),
            }
        lags: list[float] = []
        failed: list[BaseException] = []

        def lag_thread() -> None:
            from django.db import connections

            try:
                lags.extend(self.lags(rounds, keep_going))
            except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
                failed.append(exc)
            finally:
                connections.close_all()  # this thread's connections

        thread = threading.Thread(target=lag_thread, daemon=True)
        thread.start()
        try:
            read = self.reads(rounds, keep_going)
        finally:
            thread.join()
        if failed:
            raise failed[0]
        return {"lag": percentiles(lags), **read}


class ReplicationSampler:
    """Sample `pg_stat_replication` on the primary every 50 ms: replay lag and bytes behind."""

    def __init__(self, primary_dsn: str) -> None:
        self.dsn = primary_dsn
        self.lag_ms: list[float] = []
        self.bytes_behind: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as primary:
            while not self._stop.is_set():
                for lag, behind in primary.execute(
                    "SELECT extract(epoch FROM replay_lag) * 1000, "
                    "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
                ):
                    if lag is not None:
                        self.lag_ms.append(float(lag))
                    if behind is not None:
                        self.bytes_behind.append(int(behind))
                self._stop.wait(0.05)

    def __enter__(self) -> ReplicationSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, Any]:
        return {
            "replay_lag": percentiles(self.lag_ms),
            "max_bytes_behind": max(self.bytes_behind, default=0),
        }


def probe_targets(fx: dict[str, Any], carts: int) -> dict[str, Any]:
    """Pick two published products of the default channel (titles rewritten); make carts."""
    from carts import services as cart_services
    from catalog.models import ProductSalesChannel, ProductStatus

    products = list(
        ProductSalesChannel.objects.filter(
            sales_channel_id=fx["default_channel_id"], product__status=ProductStatus.PUBLISHED
        )
        .order_by("product_id")
        .values_list("product_id", flat=True)[:2]
    )
    if len(products) < 2:
        fail("fewer than two published products in the default channel: too small a dataset")
    return {
        "products": products,
        "carts": [
            cart_services.cart_create(
                region_id=fx["region_id"], sales_channel_id=fx["channel_id"], email=run.BENCH_EMAIL
            ).pk
            for _ in range(carts)
        ],
        "variants": fx["line_item_variants"][-20:],
    }


# ---- 3. THE RUN ----


def store_cases(
    label: str,
    env: dict[str, str],
    fx: dict[str, Any],
    settle: Callable[[], float],
    stamp: str,
    then: Callable[[int], dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None, int]:
    """Serve the app with `env`, run the store cases, then `then(port)`; stop the server."""
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    max_requests = int(os.environ.get("BENCH_MAX_REQUESTS", "5000"))
    port = run.free_port()
    server = run.Server(env, port, ROOT / "bench-results" / f"{stamp}-replica-{label}-gunicorn.log")
    try:
        server.wait_ready()
        workers = len(server.worker_pids())
        say(f"{label}: gunicorn on {HOST}:{port} with {workers} workers")
        cases = run.measure_cases(
            port,
            fx,
            seconds,
            max_requests,
            run.RssSampler(server),
            set(STORE_CASES),
            None,
            settle,
        )
        extra = then(port) if then is not None else None
    finally:
        server.stop()
    return {key: cases[key] for key in STORE_CASES}, extra, workers


def replica_probes(
    port: int, primary_dsn: str, replica_dsn: str, fx: dict[str, Any], targets: dict[str, Any]
) -> dict[str, Any]:
    rounds = int(os.environ.get("BENCH_REPLICA_WRITES", "200"))
    load_seconds = float(os.environ.get("BENCH_REPLICA_LOAD_SECONDS", "20"))
    delay_ms = int(os.environ.get("BENCH_REPLICA_DELAY_MS", "500"))
    factories = {case["key"]: case["factory"] for case in run.cases(fx)}
    probes = Probes(port, replica_dsn, targets)
    out: dict[str, Any] = {}
    say(f"probes, idle: {rounds} writes, then {rounds} reads after writes")
    out["idle"] = probes.run(rounds)

    say(f"probes under load (at most {load_seconds:.0f} s): store reads c=8, line items c=2")
    load: dict[str, Any] = {}

    def loaded(key: str, concurrency: int) -> threading.Thread:
        def go() -> None:
            load[key] = run_case(
                host=HOST,
                port=port,
                factory=factories[key],
                concurrency=concurrency,
                seconds=load_seconds,
                max_requests=10**7,
            ).summary()

        return threading.Thread(target=go, daemon=True)

    threads = [loaded("store_products_channel", 8), loaded("line_item_add", 2)]
    with ReplicationSampler(primary_dsn) as sampler:
        for thread in threads:
            thread.start()
        time.sleep(1)  # let the load reach its pace
        out["load"] = probes.run(rounds, lambda: all(t.is_alive() for t in threads), together=True)
        for thread in threads:
            thread.join()
    out["load"]["replication"] = sampler.summary()
    out["load"]["traffic"] = load

    delayed_rounds = max(1, min(rounds, 20))
    say(f"probes with the replica held {delay_ms} ms behind: {delayed_rounds} rounds")
    apply_delay_set(replica_dsn, delay_ms)
    try:
        out["delayed"] = {"delay_ms": delay_ms, **probes.run(delayed_rounds)}
    finally:
        apply_delay_set(replica_dsn, 0)
    return out


def _cell(summary: dict[str, Any], field: str) -> str:
    value = summary.get(field)
    return "-" if value is None else f"{value:g}"


def report(results: dict[str, Any]) -> str:
    """Return the Markdown block: store cases, then what the lag does to a reader."""
    cases, probes = results["cases"], results["probes"]
    lines = [
        f"Run of {results['date'][:10]} ({results['revision']}): {results['dataset']['products']:,} "
        f"products, {results['workers']} gunicorn {results['worker_class']} workers, "
        f"{results['machine']['cores']} cores shared by both clusters, gunicorn and the load "
        f"generator; load average {results['load_average']['before']} before, "
        f"{results['load_average']['after']} after.",
        "",
        "| store case | primary only: c=1 p50 ms | c=8 p50 ms | c=8 req/s "
        "| primary + replica: c=1 p50 ms | c=8 p50 ms | c=8 req/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in STORE_CASES:
        row = [cases["primary"][key]["title"]]
        for side in ("primary", "replica"):
            one, eight = cases[side][key]["c1"], cases[side][key]["c8"]
            errors = one["errors"] + eight["errors"]
            rps = _cell(eight, "throughput_rps") + (f" ({errors} errors)" if errors else "")
            row += [_cell(one, "p50_ms"), _cell(eight, "p50_ms"), rps]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "| with the replica configured | writes | write → visible on the replica: p50 / p99 / "
        "max ms | store product page read right after a write showed the old title "
        "| cart read right after a line-item add held it (read-your-writes) |",
        "|---|---|---|---|---|",
    ]
    load = probes["load"]["traffic"].get("store_products_channel", {})
    phases = {
        "idle": "idle",
        "load": f"under load (store reads c=8 through the replica, {load.get('throughput_rps')} "
        "req/s; line-item adds c=2)",
        "delayed": f"replica held {probes['delayed']['delay_ms']} ms behind "
        "(`recovery_min_apply_delay`)",
    }
    for phase, title in phases.items():
        p = probes[phase]
        lag = p["lag"]
        lines.append(
            f"| {title} | {lag['samples']} | {_cell(lag, 'p50_ms')} / {_cell(lag, 'p99_ms')} / "
            f"{_cell(lag, 'max_ms')} | {p['catalogue_reads_stale']}/{p['reads']} | "
            f"**{p['cart_reads_fresh']}/{p['reads']}** |"
        )
    replication = probes["load"]["replication"]
    lag = replication["replay_lag"]
    lines += [
        "",
        f"`pg_stat_replication.replay_lag` under load, sampled every 50 ms: {lag['samples']} "
        f"samples, p50 {_cell(lag, 'p50_ms')} ms, p99 {_cell(lag, 'p99_ms')} ms, max "
        f"{_cell(lag, 'max_ms')} ms; at most {replication['max_bytes_behind']:,} bytes of WAL "
        "not yet replayed.",
    ]
    return "\n".join(lines)


def docs_write(text: str) -> None:
    """Replace the section between the markers of docs/benchmarks.md with `text`."""
    path = ROOT / "docs" / "benchmarks.md"
    doc = path.read_text()
    if MARK_BEGIN not in doc or MARK_END not in doc:
        fail(f"docs/benchmarks.md has no {MARK_BEGIN} ... {MARK_END} section")
    block = f"{MARK_BEGIN}\n{text}\n{MARK_END}"
    pattern = re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END)
    path.write_text(re.sub(pattern, lambda _: block, doc, flags=re.S))


def main() -> int:
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGHUP, _terminated)
    started = time.monotonic()
    products = int(os.environ.get("BENCH_REPLICA_PRODUCTS", "10000"))
    primary_port, replica_port = ports()
    root = Path(tempfile.mkdtemp(prefix="bench-replica-"))
    primary = Cluster(root, name="primary", port=primary_port, settings=PRIMARY_SETTINGS)
    replica = Replica(primary, replica_port)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (ROOT / "bench-results").mkdir(exist_ok=True)
    try:
        say(f"primary cluster on port {primary.port} in {root}")
        primary.create()
        primary_url, replica_url = url_of(primary), url_of(replica)
        run.database_create_if_missing(primary_url)
        say(f"streaming replica on port {replica.port} (pg_basebackup -R)")
        replica.create()
        primary_dsn, replica_dsn = run.libpq_url(primary_url), run.libpq_url(replica_url)
        env = run.server_env(primary_url)
        # As in `make bench`: generating runs statements longer than a request's limit; the
        # servers keep the production default.
        run.django_setup({**env, "DATABASE_STATEMENT_TIMEOUT_MS": "0"})
        os.environ.pop("DATABASE_STATEMENT_TIMEOUT_MS")
        from django.core.management import call_command
        from django.db import connections

        say("migrating")
        call_command("migrate", interactive=False, verbosity=0)
        say(f"generating {products:,} products x 3 variants in 20 channels")
        generating = time.monotonic()
        call_command(
            "generate_catalog",
            products=products,
            channels=20,
            variants=3,
            links_per_product=3,
            seed=run.SEED,
        )
        generated_in = time.monotonic() - generating
        run.vacuum_analyze()
        fx = run.fixtures_prepare(completion_carts=0, line_item_carts=400)
        targets = probe_targets(fx, carts=20)
        call_command("collectstatic", interactive=False, verbosity=0)
        dataset = {"products": products, "generated_in_seconds": round(generated_in, 1)}
        connections.close_all()
        say(f"replica caught up in {replica_catch_up(primary_dsn, replica_dsn):.1f} s")

        def settle() -> float:
            return run.database_settle(primary_dsn) + replica_catch_up(primary_dsn, replica_dsn)

        load_before = run.load_average()
        alone, _, workers = store_cases("primary", env, fx, settle, stamp)
        with_replica, probes, _ = store_cases(
            "replica",
            {**env, "DATABASE_REPLICA_URLS": replica_url},
            fx,
            settle,
            stamp,
            then=lambda port: replica_probes(port, primary_dsn, replica_dsn, fx, targets),
        )
        load_after = run.load_average()
        assert probes is not None  # noqa: S101  (`then` was given)
        results = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "revision": run.git_revision(),
            "command": "make bench-replica",
            "machine": run.machine(),
            "worker_class": os.environ.get("GUNICORN_WORKER_CLASS", "sync"),
            "workers": workers,
            "dataset": dataset,
            "load_average": {"before": load_before, "after": load_after},
            "cases": {"primary": alone, "replica": with_replica},
            "probes": probes,
            "total_seconds": round(time.monotonic() - started, 1),
        }
        run.bench_artefacts_delete()
        connections.close_all()
    finally:
        replica.stop()
        primary.stop()
        if os.environ.get("BENCH_REPLICA_KEEP"):
            say(f"kept {root} (clusters stopped)")
        else:
            shutil.rmtree(root, ignore_errors=True)

    (ROOT / "bench-results" / f"{stamp}-replica.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )
    text = report(results)
    sys.stdout.write(f"\n{text}\n\n")
    if os.environ.get("BENCH_REPLICA_WRITE"):
        docs_write(text)
        say("wrote docs/benchmarks.md")
    stale = sum(probes[p]["reads"] - probes[p]["cart_reads_fresh"] for p in probes)
    say(
        f"done in {time.monotonic() - started:.0f} s; read-your-writes: "
        + ", ".join(f"{probes[p]['cart_reads_fresh']}/{probes[p]['reads']} {p}" for p in probes)
    )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
