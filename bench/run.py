"""`make bench`: the benchmark on PostgreSQL at realistic scale. See docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

1. Refuses anything but PostgreSQL; creates the database if it is missing and migrates it.
2. Builds the dataset with `generate_catalog` when the database has none (100,000 products x
   3 variants with prices, 20 channels, 3 channels per product, 200,000 orders), then VACUUM
   ANALYZE so the planner and the visibility map are settled.
3. Prepares what the cases need, through the services: a default channel with products, a
   publishable key, a staff API token, carts ready to complete, an empty channel for batches.
4. Collects static files and serves the app with gunicorn (config/gunicorn.conf.py) on loopback
   with production settings, DEBUG off, secrets generated for the run.
5. Warms up, then measures every case at concurrency 1 and 8, each for a bounded time and number
   of requests; samples the workers' RSS meanwhile; times the SQL floors with psycopg.
6. Writes bench-results/<timestamp>.json (raw, git-ignored), docs/benchmarks.json and the
   results section of docs/benchmarks.md; stops gunicorn and removes the carts and orders it made.

Knobs (environment): BENCH_SECONDS (per case and concurrency, default 5), BENCH_MAX_REQUESTS
(per case and concurrency, default 5000), WEB_CONCURRENCY (gunicorn workers), BENCH_PORT, and
BENCH_ONLY (comma list of case keys, `batch`, `floors`: run only those, for A/B comparisons while
working; such a partial run writes only bench-results/, never docs/).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import floor as floors  # noqa: E402
from bench import medusa as medusa_peer  # noqa: E402
from bench import report  # noqa: E402
from bench.load import CaseResult, Client, Request, run_case  # noqa: E402

HOST = "127.0.0.1"
DATASET = {"products": 100_000, "channels": 20, "orders": 200_000, "variants": 3, "links": 3}
SEED = 1
BATCH_SIZE = 10_000
BATCH_ROUNDS = 10
CONCURRENCIES = (1, 8)
BENCH_EMAIL = "bench@example.invalid"
BENCH_STAFF_EMAIL = "bench-admin@example.invalid"
BENCH_KEY_TITLE = "Benchmark storefront"
BENCH_BATCH_CHANNEL = "Benchmark batch target"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"


def say(message: str, tag: str = "bench") -> None:
    sys.stdout.write(f"[{tag} {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stdout.flush()


def fail(message: str, command: str = "make bench") -> NoReturn:
    sys.stderr.write(f"{command}: {message}\n")
    raise SystemExit(2)


def server_env(database_url: str) -> dict[str, str]:
    """Return the environment of a measured server: production settings on plain loopback HTTP.

    DEBUG off, a secret made for the run, warnings only in the log (make bench, bench-replica
    and the fault suite all serve the app this way).
    """
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
    }


# ---- 1. THE DATABASE ----


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        fail(
            "DATABASE_URL is not set, which means SQLite here; the benchmark needs PostgreSQL.\n"
            f"  Run: DATABASE_URL={DEFAULT_URL} make bench"
        )
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("postgres", "postgresql", "pgsql"):
        fail(
            f"DATABASE_URL uses {scheme!r}; the benchmark only runs on PostgreSQL "
            f"(SQLite numbers would say nothing about production).\n"
            f"  Run: DATABASE_URL={DEFAULT_URL} make bench"
        )
    return url


def libpq_url(url: str) -> str:
    """Return the URL in a form libpq accepts (`pgsql://` is django-environ's alias)."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.lower() == "pgsql" else url


def floor_conninfo(dsn: str) -> str:
    """Return the floors' connection string, with the app's session settings.

    The startup options config/settings/base.py gives every connection (`random_page_cost`
    among them), so a floor's statements get the plans the server's own get; this process
    runs with DATABASE_STATEMENT_TIMEOUT_MS=0, so the floors have no statement limit.
    """
    from django.conf import settings
    from psycopg.conninfo import make_conninfo

    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options")
    return make_conninfo(dsn, options=options) if options else dsn


def database_create_if_missing(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(libpq_url(url))
    name = str(params.get("dbname") or "")
    if not name:
        fail("DATABASE_URL names no database")
    maintenance = make_conninfo(libpq_url(url), dbname="postgres")
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                say(f"created database {name}")
    except psycopg.OperationalError as exc:
        fail(f"cannot reach PostgreSQL at {url}: {exc}")


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def dataset_ensure() -> tuple[dict[str, int], float | None]:
    """Generate the dataset if the database has none; refuse one of another size."""
    from django.core.management import call_command

    from catalog.models import Product, ProductSalesChannel
    from devdata.generation import generated_seeds
    from orders.models import Order

    seeds = generated_seeds()
    generated_in = None
    if not seeds:
        say(
            f"generating the dataset: {DATASET['products']:,} products, "
            f"{DATASET['channels']} channels, {DATASET['orders']:,} orders (a few minutes)"
        )
        started = time.monotonic()
        call_command(
            "generate_catalog",
            products=DATASET["products"],
            channels=DATASET["channels"],
            orders=DATASET["orders"],
            variants=DATASET["variants"],
            links_per_product=DATASET["links"],
            seed=SEED,
        )
        generated_in = time.monotonic() - started
    elif seeds != {SEED}:
        fail(f"the database holds generated data of seeds {sorted(seeds)}; use a fresh database")
    counts = {
        "products": Product.all_objects.count(),
        "product_channel_links": ProductSalesChannel.objects.count(),
        "orders": Order.objects.exclude(email=BENCH_EMAIL).count(),
    }
    if counts["products"] < DATASET["products"] or counts["orders"] < DATASET["orders"]:
        fail(f"the database holds a smaller dataset than the benchmark's ({counts}); drop it")
    return counts, generated_in


def vacuum_analyze() -> None:
    """Settle statistics and the visibility map (index-only scans) as autovacuum eventually would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


SETTLE_MAX_SECONDS = 20.0


def database_settle(dsn: str) -> float:
    """Let the database catch up with the previous case's writes before the next is measured.

    A CHECKPOINT writes out what the previous case dirtied (carts, orders), then this waits
    (at most SETTLE_MAX_SECONDS) until no autovacuum worker is running, so that no case pays
    for the one before it. CHECKPOINT needs a superuser (or pg_checkpoint); without one it is
    skipped. Returns the seconds it took.
    """
    import psycopg

    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=True) as connection:
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            connection.execute("CHECKPOINT")
        while time.monotonic() - started < SETTLE_MAX_SECONDS:
            busy = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            ).fetchone()[0]  # type: ignore[index]  # count(*) always returns a row
            if not busy:
                break
            time.sleep(0.25)
    return time.monotonic() - started


# ---- 3. WHAT THE CASES NEED ----


def fixtures_prepare(*, completion_carts: int, line_item_carts: int) -> dict[str, Any]:
    from django.db.models import Exists, OuterRef

    from carts import services as cart_services
    from carts.services import ItemInput
    from catalog import services as catalog_services
    from catalog.models import Product, ProductSalesChannel, ProductStatus, ProductVariant
    from commerce import services as commerce_services
    from commerce.models import ApiToken, Region, ShippingOption, User
    from saleschannels import services as channel_services
    from saleschannels.models import PublishableApiKey, SalesChannel

    # Whatever an interrupted earlier run left behind.
    bench_artefacts_delete()

    generated = list(
        SalesChannel.objects.filter(metadata__generated_seed=SEED).order_by("created_at", "id")
    )
    by_channel, default_channel, key_channel = generated[0], generated[1], generated[2]
    channel_services.store_default_sales_channel_set(channel_id=default_channel.pk)

    key = PublishableApiKey.objects.filter(title=BENCH_KEY_TITLE, revoked_at=None).first()
    if key is None:
        key = channel_services.publishable_api_key_create(
            title=BENCH_KEY_TITLE, sales_channel_ids=[key_channel.pk]
        )

    staff = User.objects.filter(email=BENCH_STAFF_EMAIL).first()
    if staff is None:
        staff = User.objects.create_superuser(BENCH_STAFF_EMAIL, secrets.token_urlsafe(24))
    for old in ApiToken.objects.filter(user=staff):
        commerce_services.api_token_revoke(token_id=old.pk)
    token = commerce_services.api_token_create(user=staff, name="bench").raw

    region = Region.objects.filter(currency_code="usd").order_by("created_at", "id").first()
    shipping = (
        ShippingOption.objects.filter(region=region, is_return=False).order_by("amount").first()
    )
    # Variants of published products of the channel, with stock to sell.
    in_channel = Exists(
        ProductSalesChannel.objects.filter(
            product_id=OuterRef("product_id"), sales_channel_id=by_channel.pk
        )
    )
    variants = list(
        ProductVariant.objects.filter(
            in_channel, product__status=ProductStatus.PUBLISHED, inventory_quantity__gte=100
        )
        .order_by("id")
        .values_list("id", flat=True)[: completion_carts + 200]
    )
    if len(variants) < completion_carts + 200:
        fail("not enough stocked variants in the benchmark channel; regenerate the dataset")
    line_item_variants, completion_variants = variants[:200], variants[200:]

    say(f"preparing {completion_carts} carts to complete and {line_item_carts} to add items to")
    ready = []
    for variant_id in completion_variants:
        cart = cart_services.cart_create(
            region_id=region.pk,
            sales_channel_id=by_channel.pk,
            email=BENCH_EMAIL,
            items=[ItemInput(variant_id, 1)],
        )
        cart_services.cart_shipping_method_add(cart_id=cart.pk, option_id=shipping.pk)
        cart_services.cart_payment_sessions_create(cart_id=cart.pk)
        ready.append(cart.pk)
    empty = [
        cart_services.cart_create(
            region_id=region.pk, sales_channel_id=by_channel.pk, email=BENCH_EMAIL
        ).pk
        for _ in range(line_item_carts)
    ]

    batch_channel = SalesChannel.objects.filter(name=BENCH_BATCH_CHANNEL).first()
    if batch_channel is None:
        batch_channel = channel_services.sales_channel_create(
            name=BENCH_BATCH_CHANNEL, description="Target of the benchmark's 10,000-id batches"
        )
    leftovers = list(
        ProductSalesChannel.objects.filter(sales_channel=batch_channel).values_list(
            "product_id", flat=True
        )
    )
    if leftovers:
        catalog_services.sales_channel_products_remove(
            channel_id=batch_channel.pk, product_ids=leftovers
        )
    batch_products = list(
        Product.objects.order_by("-created_at", "-id").values_list("id", flat=True)[:BATCH_SIZE]
    )
    return {
        "channel_id": by_channel.pk,
        "default_channel_id": default_channel.pk,
        "key_channel_id": key_channel.pk,
        "publishable_key": key.pk,
        "admin_token": token,
        "region_id": region.pk,
        "completion_carts": ready,
        "line_item_carts": empty,
        "line_item_variants": line_item_variants,
        "batch_channel_id": batch_channel.pk,
        "batch_product_ids": batch_products,
    }


def batch_statement_counts(channel_id: str, product_ids: list[str]) -> dict[str, int]:
    """Count the SQL statements of the batch add and remove services for 100 and 10,000 ids."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from catalog import services as catalog_services

    counts = {}
    for size in (100, len(product_ids)):
        for name, service in (
            ("add", catalog_services.sales_channel_products_add),
            ("remove", catalog_services.sales_channel_products_remove),
        ):
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    service(channel_id=channel_id, product_ids=product_ids[:size])
                transaction.set_rollback(True)  # leave the channel as it was
            counts[f"{name}_{size}"] = len(queries.captured_queries)
    return counts


def bench_artefacts_delete() -> None:
    from django.db.models import Q

    from carts.models import Cart
    from orders.models import Order

    Order.objects.filter(email=BENCH_EMAIL).delete()
    Cart.all_objects.filter(Q(email=BENCH_EMAIL) | Q(context__bench=True)).delete()


# ---- 4. GUNICORN ----


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.port = port
        self.log = log_path.open("w")
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{port}",
        ]
        self.process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
            command, cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=self.log
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                status, _ = Client(HOST, self.port, timeout=5).send(Request("GET", "/health"))
                if status == 200 and len(self.worker_pids()) >= self.expected_workers():
                    return
            except OSError:
                pass
            time.sleep(0.3)
        fail(f"gunicorn did not answer on {HOST}:{self.port}; see {self.log.name}")

    def expected_workers(self) -> int:
        return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class RssSampler:
    """Sample every worker's VmRSS a few times a second; keep each worker's peak."""

    def __init__(self, server: Server, interval: float = 0.25) -> None:
        self.server = server
        self.interval = interval
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def snapshot(self) -> dict[int, float]:
        return {pid: mb for pid in self.server.worker_pids() if (mb := rss_mb(pid)) is not None}

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, mb in self.snapshot().items():
                self.peaks[pid] = max(mb, self.peaks.get(pid, 0.0))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---- 5. THE CASES ----


def cases(fx: dict[str, Any]) -> list[dict[str, Any]]:
    """Every case: a name, a request factory, and limits for what it consumes."""
    admin = {"x-medusa-access-token": fx["admin_token"]}
    key = {"x-publishable-api-key": fx["publishable_key"]}
    channel = fx["channel_id"]
    by_channel = f"/api/store/products?sales_channel_id[]={channel}&limit=20"

    def get(path: str, headers: dict[str, str] | None = None) -> Callable[[int, int], Request]:
        request = Request("GET", path, headers=headers or {})
        return lambda worker, sequence: request

    def cart_create(worker: int, sequence: int) -> Request:
        body = {"region_id": fx["region_id"], "sales_channel_id": channel}
        return Request(
            "POST", "/api/store/carts", body={**body, "context": medusa_peer.CART_CONTEXT}
        )

    line_carts, line_variants = fx["line_item_carts"], fx["line_item_variants"]
    per_worker: dict[int, int] = {}
    carts_per_worker = len(line_carts) // max(CONCURRENCIES)

    def line_item_add(worker: int, sequence: int) -> Request:
        # Each worker has its own carts (no waiting on another worker's cart lock). A cart gets
        # 10 different variants, one request each, then the worker moves on to its next cart;
        # carts are reused (the lines' quantities grow) only after every one has had its 10.
        n = per_worker.get(worker, 0)
        per_worker[worker] = n + 1
        cart = line_carts[worker * carts_per_worker + (n // 10) % carts_per_worker]
        variant = line_variants[(worker * 10 + n % 10) % len(line_variants)]
        body = {"variant_id": variant, "quantity": 1}
        return Request("POST", f"/api/store/carts/{cart}/line-items", body=body)

    completion = iter(fx["completion_carts"])
    completion_lock = threading.Lock()

    def cart_complete(worker: int, sequence: int) -> Request:
        with completion_lock:
            cart = next(completion)
        return Request("POST", f"/api/store/carts/{cart}/complete")

    return [
        {
            "key": "store_products_channel",
            "title": "store products by channel, page 20",
            "factory": get(by_channel),
        },
        {
            "key": "store_products_channel_offset_5000",
            "title": "same, offset 5,000",
            "factory": get(f"{by_channel}&offset=5000"),
        },
        {
            "key": "store_products_default",
            "title": "store products, no parameter (default channel, 100 per page)",
            "factory": get("/api/store/products"),
        },
        {
            "key": "store_products_key",
            "title": "store products with a publishable key (100 per page)",
            "factory": get("/api/store/products", key),
        },
        {
            "key": "admin_products_channel",
            "title": "admin products by channel, page 20",
            "factory": get(f"/api/admin/products?sales_channel_id[]={channel}&limit=20", admin),
        },
        {
            "key": "admin_orders_channel",
            "title": "admin orders by channel, page 50",
            "factory": get(f"/api/admin/orders?sales_channel_id[]={channel}&limit=50", admin),
        },
        {
            "key": "cart_create",
            "title": "create cart in a channel",
            "factory": cart_create,
        },
        {
            "key": "line_item_add",
            "title": "add line item (channel check)",
            "factory": line_item_add,
        },
        {
            "key": "cart_complete",
            "title": "complete a cart (shipping and payment set)",
            "factory": cart_complete,
            "consumes": "completion_carts",
        },
    ]


def measure_cases(
    port: int,
    fx: dict[str, Any],
    seconds: float,
    max_requests: int,
    sampler: RssSampler,
    only: set[str] | None,
    floors_of: Callable[[str, Callable[[int, int], Request]], dict[str, Any]] | None,
    settle: Callable[[], float],
    peer: Any = None,
    peer_cases: dict[str, Callable[[int, int], Request]] | None = None,
    peer_fx: dict[str, Any] | None = None,
    deep_pair: bool = True,
) -> dict[str, Any]:
    """Run every case at each concurrency; `floors_of(case)` right after a case's c=1 run.

    Measured back to back, an endpoint and its floor see the machine in the same state (its
    speed drifts by a third over minutes here), which their ratio needs. Each case starts once
    the database has settled from the one before (`settle()`, see `database_settle`).

    With a Medusa peer (`peer`, `peer_cases`: bench/medusa.py), a case Medusa has is measured
    in SIDE_BY_SIDE_ROUNDS alternating slices, ours then Medusa's, each a share of the case's
    time and requests; each side's result is its slices together, so the ratio of the two
    comes from one stretch of one machine state.
    """
    results: dict[str, Any] = {"_floors": {}, "_settled_seconds": {}, "_pairs": {}}
    budget = {"completion_carts": len(fx["completion_carts"])}
    peer_budget = {"completion_carts": len((peer_fx or {}).get("completion_carts", ()))}
    all_cases = cases(fx)
    factories = {
        case["key"]: case["factory"] for case in all_cases if only is None or case["key"] in only
    }
    for case in all_cases:
        if only is not None and case["key"] not in only:
            continue
        consumes = case.get("consumes")
        results["_settled_seconds"][case["key"]] = round(settle(), 1)
        results[case["key"]] = {"title": case["title"]}
        for concurrency in CONCURRENCIES:
            warm = run_case(
                host=HOST,
                port=port,
                factory=case["factory"],
                concurrency=concurrency,
                seconds=1.0,
                max_requests=4 * concurrency if consumes else 200,
            )
            limit = max_requests
            if consumes:
                budget[consumes] -= warm.requests + warm.errors
                # Half of what is left for c=1, the rest for c=8.
                limit = budget[consumes] // 2 if concurrency == 1 else budget[consumes]
            medusa_factory = (peer_cases or {}).get(case["key"])
            if medusa_factory is not None:
                peer_limit = None
                if consumes:  # Medusa's own prepared carts: half for c=1, the rest for c=8
                    left = peer_budget[consumes]
                    peer_limit = left // 2 if concurrency == 1 else left
                result, medusa, medusa_warm = measure_side_by_side(
                    port,
                    case["factory"],
                    peer,
                    medusa_factory,
                    concurrency,
                    seconds,
                    limit,
                    peer_max_requests=peer_limit,
                    peer_warm_requests=4 * concurrency if consumes else 200,
                )
                if consumes:
                    peer_budget[consumes] -= sum(
                        r.requests + r.errors for r in (medusa, medusa_warm)
                    )
                results[case["key"]][f"medusa_c{concurrency}"] = medusa.summary()
                say(
                    f"{'  Medusa, interleaved':<36} c={concurrency}  p50 "
                    f"{medusa.summary()['p50_ms']} ms  {medusa.summary()['throughput_rps']} "
                    f"req/s ({medusa.requests} requests"
                    f"{', ' + str(medusa.errors) + ' ERRORS' if medusa.errors else ''})"
                )
                if medusa.errors:
                    say(f"  first Medusa error: {medusa.first_error}")
            else:
                result = run_case(
                    host=HOST,
                    port=port,
                    factory=case["factory"],
                    concurrency=concurrency,
                    seconds=seconds,
                    max_requests=limit,
                )
            if consumes:
                budget[consumes] -= result.requests + result.errors
            summary = result.summary()
            results[case["key"]][f"c{concurrency}"] = summary
            say(
                f"{case['key']:<36} c={concurrency}  p50 {summary['p50_ms']} ms  "
                f"p95 {summary['p95_ms']} ms  p99 {summary['p99_ms']} ms  "
                f"{summary['throughput_rps']} req/s  ({summary['requests']} requests"
                f"{', ' + str(summary['errors']) + ' ERRORS' if summary['errors'] else ''})"
            )
            if result.errors:
                say(f"  first error: {result.first_error}")
            if concurrency == 1 and floors_of is not None:
                results["_floors"].update(floors_of(case["key"], case["factory"]))
            deep = case["key"] == "store_products_channel_offset_5000"
            if deep_pair and concurrency == 1 and deep:
                first = factories.get("store_products_channel")
                if first is not None:
                    results["_pairs"]["deep_vs_first"] = measure_deep_vs_first(
                        port, first, case["factory"], seconds
                    )
    results["_rss_peaks"] = dict(sampler.peaks)
    return results


# The lists issue 23 asks ≥ 10x Medusa of both cold and warm. The main server serves them warm
# (the cases repeat their pages); `measure_cold` serves them again with the render cache off.
COLD_CASES = (
    "store_products_channel",
    "store_products_channel_offset_5000",
    "store_products_default",
    "store_products_key",
    "admin_products_channel",
)


def measure_cold(
    env: dict[str, str],
    fx: dict[str, Any],
    seconds: float,
    max_requests: int,
    only: set[str] | None,
    results_dir: Path,
    stamp: str,
    *,
    settle: Callable[[], float],
    peer: Any = None,
    peer_cases: dict[str, Callable[[int, int], Request]] | None = None,
    peer_fx: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Measure the cached lists cold: a second server whose render cache is Django's dummy cache.

    Every request then renders every product and counts the channel (the counts and deep pages
    live in the same cache), as after a cache flush or on a page no one has read since its last
    write. Run in a full run, or with `cold` in BENCH_ONLY (then the COLD_CASES also named
    there, or all of them); not when the whole run is already cold (`RENDER_CACHE_URL` given).
    """
    if env.get("RENDER_CACHE_URL") or os.environ.get("RENDER_CACHE_URL"):
        return None
    if only is not None and "cold" not in only:
        return None
    keys = {key for key in COLD_CASES if only is None or key in only} or set(COLD_CASES)
    port = free_port()
    server = Server(
        {**env, "RENDER_CACHE_URL": "dummycache://"}, port, results_dir / f"{stamp}-cold.log"
    )
    try:
        server.wait_ready()
        say(f"cold: a second gunicorn on {HOST}:{port}, render cache off")
        with RssSampler(server) as sampler:
            cold = measure_cases(
                port,
                fx,
                seconds,
                max_requests,
                sampler,
                keys,
                None,
                settle,
                peer=peer,
                peer_cases=peer_cases,
                peer_fx=peer_fx,
                deep_pair=False,
            )
    finally:
        server.stop()
    for key in ("_floors", "_settled_seconds", "_pairs", "_rss_peaks"):
        cold.pop(key)
    return cold


SIDE_BY_SIDE_ROUNDS = 3
# The settings a run's recorded command repeats when they were given (the results depend on them).
COMMAND_ENV = ("MEDUSA_BASE_URL", "RENDER_CACHE_URL", "BENCH_SECONDS", "WEB_CONCURRENCY")
# Medusa completes ~2 carts a second at c=1 and ~15 at c=8 here: 5 s a concurrency and the
# warm-ups use about 100; each takes seven API calls to make ready (~40 s for all, 8 at a time).
PEER_COMPLETION_CARTS = 160


def _merged(parts: list[CaseResult]) -> CaseResult:
    errors = [part.first_error for part in parts if part.first_error]
    return CaseResult(
        concurrency=parts[0].concurrency,
        requests=sum(part.requests for part in parts),
        errors=sum(part.errors for part in parts),
        seconds=sum(part.seconds for part in parts),
        latencies_ms=[ms for part in parts for ms in part.latencies_ms],
        first_error=errors[0] if errors else None,
    )


def measure_side_by_side(
    port: int,
    ours: Callable[[int, int], Request],
    peer: Any,
    theirs: Callable[[int, int], Request],
    concurrency: int,
    seconds: float,
    max_requests: int,
    peer_max_requests: int | None = None,
    peer_warm_requests: int = 200,
) -> tuple[CaseResult, CaseResult, CaseResult]:
    """Measure a case on our server and on Medusa in alternating slices.

    Return our result, Medusa's, and Medusa's warm-up. `peer_max_requests` caps Medusa's
    requests (default `max_requests`): a case that consumes fixtures has as many as its own.
    """
    warm = run_case(  # Medusa's warm-up (ours had its own just before)
        host=peer.host,
        port=peer.port,
        factory=theirs,
        concurrency=concurrency,
        seconds=1.0,
        max_requests=peer_warm_requests,
    )
    limits = {"ours": max_requests, "medusa": max_requests}
    if peer_max_requests is not None:
        limits["medusa"] = max(0, peer_max_requests - warm.requests - warm.errors)
    slices: dict[str, list[CaseResult]] = {"ours": [], "medusa": []}
    for _ in range(SIDE_BY_SIDE_ROUNDS):
        for side, host, side_port, factory in (
            ("ours", HOST, port, ours),
            ("medusa", peer.host, peer.port, theirs),
        ):
            slices[side].append(
                run_case(
                    host=host,
                    port=side_port,
                    factory=factory,
                    concurrency=concurrency,
                    seconds=seconds / SIDE_BY_SIDE_ROUNDS,
                    max_requests=max(1, limits[side] // SIDE_BY_SIDE_ROUNDS),
                )
            )
    return _merged(slices["ours"]), _merged(slices["medusa"]), warm


def measure_batches(port: int, fx: dict[str, Any], workers: int) -> dict[str, Any]:
    """Add 10,000 products to an empty channel in one request, then remove them; several rounds.

    The first batch a gunicorn worker serves is slower than the next ones (~1.5x here: its
    process and database session have not run one yet), and the kernel, not us, picks the
    worker of each request. So two warm-up rounds per worker come first, and the cold rounds
    are reported apart from the measured ones.
    """
    admin = {"x-medusa-access-token": fx["admin_token"]}
    path = f"/api/admin/sales-channels/{fx['batch_channel_id']}/products/batch"
    body = {"product_ids": [{"id": pid} for pid in fx["batch_product_ids"]]}
    client = Client(HOST, port)
    warmup = 2 * workers
    timings: dict[str, list[float]] = {"add": [], "remove": []}
    errors = []
    for _ in range(warmup + BATCH_ROUNDS):
        for name, method in (("add", "POST"), ("remove", "DELETE")):
            started = time.perf_counter()
            status, payload = client.send(Request(method, path, body=body, headers=admin))
            timings[name].append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append(f"{method} {path} -> {status}: {payload[:300]!r}")
    client.close()
    out: dict[str, Any] = {
        "ids": len(fx["batch_product_ids"]),
        "rounds": BATCH_ROUNDS,
        "warmup_rounds": warmup,
    }
    for name, values in timings.items():
        cold, warm = values[:warmup], values[warmup:]
        measured = CaseResult(1, len(warm), 0, sum(warm) / 1000, warm)
        out[name] = {
            "p50_ms": round(measured.percentile(50) or 0, 1),
            "max_ms": round(max(warm), 1),
            "first_ms": round(cold[0], 1),
            "warmup_max_ms": round(max(cold), 1),
        }
    if errors:
        out["errors"] = errors
        say(f"batch errors: {errors[0]}")
    say(
        f"batch of {out['ids']:,}: add p50 {out['add']['p50_ms']} ms, "
        f"remove p50 {out['remove']['p50_ms']} ms"
    )
    return out


# The floors of each list case (bench/floor.py), measured right after that case's c=1 run.
FLOOR_RUNS: dict[str, list[tuple[str, Any, dict[str, int]]]] = {
    "store_products_channel": [
        ("store_products_channel", floors.store_products_floor, {"limit": 20, "offset": 0}),
    ],
    "store_products_channel_offset_5000": [
        (
            "store_products_channel_offset_5000",
            floors.store_products_floor,
            {"limit": 20, "offset": 5000},
        ),
    ],
    "admin_orders_channel": [
        ("admin_orders_channel", floors.admin_orders_floor, {"limit": 50, "offset": 0}),
        # Not a target: the narrower floor of earlier runs, reported for comparison.
        (
            "admin_orders_channel_narrow",
            floors.admin_orders_floor_narrow,
            {"limit": 50, "offset": 0},
        ),
    ],
}


def _timed_request(client: Client, factory: Callable[[int, int], Request], n: int) -> float:
    started = time.perf_counter()
    status, payload = client.send(factory(0, n))
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"paired request failed: {status} {payload[:300]!r}")
    return elapsed


def _p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def measure_floors(
    dsn: str,
    fx: dict[str, Any],
    seconds: float,
    case_key: str,
    port: int,
    factory: Callable[[int, int], Request],
) -> dict[str, Any]:
    """Time the floors of one case (none for most cases), each paired with its endpoint.

    The endpoint's requests and the floor's runs alternate (`floors.measure_paired`), so the
    ratio compares the two under the same machine state; the endpoint's paired p50 is kept next
    to the floor's.
    """
    out = {}
    client = Client(HOST, port)
    counter = iter(range(10**9))
    try:
        for name, function, kwargs in FLOOR_RUNS.get(case_key, []):
            result, requests = floors.measure_paired(
                dsn,
                name,
                function,
                endpoint=lambda: _timed_request(client, factory, next(counter)),
                seconds=seconds,
                channel_ids=[fx["channel_id"]],
                **kwargs,
            )
            out[name] = {**result.summary(), "endpoint_p50_ms": round(_p50(requests), 2)}
            if name != case_key:
                out[name]["case"] = case_key
                out[name]["note"] = " (narrow floor: count, orders, items; no target)"
            say(
                f"floor {name:<30} p50 {result.p50_ms:.2f} ms  p95 {result.p95_ms:.2f} ms; "
                f"endpoint alongside p50 {out[name]['endpoint_p50_ms']} ms"
            )
    finally:
        client.close()
    return out


def measure_deep_vs_first(
    port: int,
    first: Callable[[int, int], Request],
    deep: Callable[[int, int], Request],
    seconds: float,
) -> dict[str, Any]:
    """Alternate first-page and deep-page requests, so their ratio sees one machine state."""
    client = Client(HOST, port)
    times: dict[str, list[float]] = {"first": [], "deep": []}
    try:
        for n in range(10):  # warm-up
            _timed_request(client, first, n)
            _timed_request(client, deep, n)
        deadline = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < deadline and n < 2_000:
            times["first"].append(_timed_request(client, first, n))
            times["deep"].append(_timed_request(client, deep, n))
            n += 1
    finally:
        client.close()
    out = {
        "pairs": n,
        "first_p50_ms": round(_p50(times["first"]), 2),
        "deep_p50_ms": round(_p50(times["deep"]), 2),
    }
    say(
        f"deep vs first page, alternating: first p50 {out['first_p50_ms']} ms, "
        f"deep p50 {out['deep_p50_ms']} ms ({n} pairs)"
    )
    return out


# ---- 6. THE MACHINE ----


def machine() -> dict[str, Any]:
    import django
    from django.db import connection

    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_connections"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    import gunicorn

    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": pg_version,
        "postgresql_settings": settings,
    }


def _git(*args: str) -> str:
    return subprocess.run(  # noqa: S603  (git, fixed arguments)
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def git_revision() -> str:
    try:
        revision = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{revision}{' (with uncommitted changes)' if dirty else ''}"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---- MAIN ----


def main() -> None:
    started = time.monotonic()
    url = database_url()
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    max_requests = int(os.environ.get("BENCH_MAX_REQUESTS", "5000"))
    only_raw = os.environ.get("BENCH_ONLY", "").strip()
    only = {name.strip() for name in only_raw.split(",") if name.strip()} if only_raw else None
    port = int(os.environ.get("BENCH_PORT") or free_port())
    env = server_env(url)
    database_create_if_missing(url)
    # Generating the dataset runs statements far longer than a request's limit; the server
    # measured below keeps the production default (config/settings/base.py).
    own_timeout = os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS")
    django_setup({**env, "DATABASE_STATEMENT_TIMEOUT_MS": "0"})
    from django.core.management import call_command

    say("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    dataset, generated_in = dataset_ensure()
    say("VACUUM ANALYZE")
    vacuum_analyze()
    completing = only is None or "cart_complete" in only
    completion_budget = 2 * min(max_requests, int(60 * seconds)) + 32 if completing else 0
    fx = fixtures_prepare(completion_carts=completion_budget, line_item_carts=400)
    peer = medusa_peer.peer_from_env()
    peer_cases = peer_fx = None
    if peer is not None:
        say(f"Medusa peer on {peer.host}:{peer.port}: preparing its cases through its API")
        peer_fx = medusa_peer.fixtures_prepare(
            peer, line_item_carts=80, completion_carts=PEER_COMPLETION_CARTS if completing else 0
        )
        peer_cases = medusa_peer.cases(peer, peer_fx, max(CONCURRENCIES))
    statements = batch_statement_counts(fx["batch_channel_id"], fx["batch_product_ids"])
    say(f"batch statements: {statements}")
    say("collecting static files")
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # the bench process keeps no connection open while measuring
    if own_timeout is None:
        os.environ.pop("DATABASE_STATEMENT_TIMEOUT_MS")
    else:
        os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = own_timeout

    results_dir = ROOT / "bench-results"
    results_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    server = Server(env, port, results_dir / f"{stamp}-gunicorn.log")
    load_before = load_average()
    try:
        server.wait_ready()
        workers = server.worker_pids()
        say(f"gunicorn on {HOST}:{port} with {len(workers)} workers")
        sampler = RssSampler(server)
        idle = sampler.snapshot()
        with sampler:
            dsn = libpq_url(url)
            floors_of = None
            if only is None or "floors" in only:
                floor_dsn = floor_conninfo(dsn)

                def floors_of(
                    case_key: str, factory: Callable[[int, int], Request]
                ) -> dict[str, Any]:
                    return measure_floors(floor_dsn, fx, seconds, case_key, port, factory)

            def settle() -> float:
                return database_settle(dsn)

            http = measure_cases(
                port,
                fx,
                seconds,
                max_requests,
                sampler,
                only,
                floors_of,
                settle,
                peer=peer,
                peer_cases=peer_cases,
                peer_fx=peer_fx,
            )
            batches = None
            if only is None or "batch" in only:
                http["_settled_seconds"]["batch"] = round(settle(), 1)
                batches = measure_batches(port, fx, len(workers))
        after = sampler.snapshot()
    finally:
        server.stop()
    cold = measure_cold(
        env,
        fx,
        seconds,
        max_requests,
        only,
        results_dir,
        stamp,
        settle=lambda: database_settle(libpq_url(url)),
        peer=peer,
        peer_cases=peer_cases,
        peer_fx=peer_fx,
    )
    load_after = load_average()
    bench_artefacts_delete()

    floor_results = http.pop("_floors")
    settled = http.pop("_settled_seconds")
    pairs = http.pop("_pairs")
    peaks = http.pop("_rss_peaks")
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "command": " ".join(
            [
                f"DATABASE_URL={DEFAULT_URL}",
                *(f"{name}={os.environ[name]}" for name in COMMAND_ENV if os.environ.get(name)),
                "make bench",
            ]
        ),
        "settings": {
            "seconds_per_case": seconds,
            "max_requests_per_case": max_requests,
            "concurrencies": list(CONCURRENCIES),
            "gunicorn_workers": len(workers),
            "worker_class": os.environ.get("GUNICORN_WORKER_CLASS", "sync"),
            "medusa_base_url": os.environ.get("MEDUSA_BASE_URL") or None,
            "side_by_side_rounds": SIDE_BY_SIDE_ROUNDS if peer is not None else None,
        },
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "dataset": {
            **dataset,
            "spec": DATASET,
            "generated_in_seconds": None if generated_in is None else round(generated_in, 1),
        },
        "cases": http,
        "cold_cases": cold,
        "batch": {**(batches or {}), "statements": statements},
        "floors": floor_results,
        "settled_seconds": settled,
        "pairs": pairs,
        "memory_mb": {
            "idle_per_worker": [round(v, 1) for v in idle.values()],
            "peak_per_worker": [round(v, 1) for v in peaks.values()],
            "after_per_worker": [round(v, 1) for v in after.values()],
        },
        "total_seconds": round(time.monotonic() - started, 1),
    }
    if only is not None:
        (results_dir / f"{stamp}-partial.json").write_text(json.dumps(results, indent=2) + "\n")
        say(
            f"partial run done in {results['total_seconds']:.0f}s; bench-results/{stamp}-partial.json"
        )
        return
    results["targets"] = report.targets(results)
    (results_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    report.write(results, ROOT / "docs")
    say(f"done in {results['total_seconds']:.0f}s; docs/benchmarks.md and docs/benchmarks.json")
    for target in results["targets"]:
        verdict = ("MET" if target["holds"] else "NOT MET") if target.get("aim") else None
        verdict = verdict or ("HOLDS" if target["holds"] else "MISSED")
        say(f"  {verdict}  {target['name']}: {target['measured']}")


if __name__ == "__main__":
    main()
