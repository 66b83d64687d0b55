"""`make bench-jobs`: batch jobs at 100,000 products, timed, with each job's peak RSS.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench-jobs

Refuses anything but PostgreSQL. Generates the dataset when the database has no products
(`generate_catalog --products 100000 --channels 20 --variants 1`: 100,000 products, one variant
each with its prices, each product in 3 channels). Each case runs in a fresh process, on the
production settings with DEBUG off, through the same service a worker calls
(`batchjobs.services.batch_job_step`, here in-line: `BATCH_JOBS_RUN_MODE=sync`); the time is the
job's wall time and the peak RSS is the process's maximum resident set (`ru_maxrss`), Django
and the app included (the baseline case shows what an idle process weighs).

Cases: an export of every product (with channels); an import of that sheet unchanged (a dry run
then the all-or-nothing run: every product compared, none written); an import moving 10,000
products of that sheet to another channel (edited sheet); `sales-channel-products` adding then
removing every product to/from an empty channel, by filter. Prints a Markdown table;
`BENCH_JOBS_WRITE=1` also writes it into docs/benchmarks.md's batch jobs section.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PRODUCTS = int(os.environ.get("BENCH_JOBS_PRODUCTS", "100000"))
MOVED = 10_000
MARK_BEGIN, MARK_END = "<!-- bench-jobs:begin -->", "<!-- bench-jobs:end -->"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        BATCH_JOBS_RUN_MODE="sync",
        DATABASE_STATEMENT_TIMEOUT_MS="0",
        BATCH_JOBS_UPLOAD_MAX_BYTES=str(1 << 30),
        MEDIA_ROOT=str(ROOT / "bench-results" / "media"),
    )
    return env


def _case(name: str, *args: str) -> dict:
    out = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, __file__, "--case", name, *args],
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- in the child process ----


def _setup() -> None:
    import django

    django.setup()


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_job(job_type: str, context: dict) -> dict:
    from django.db import transaction

    from batchjobs import services
    from batchjobs.models import BatchJob
    from saleschannels.scope import EVERY_CHANNEL

    started = time.perf_counter()
    with transaction.atomic():  # sync mode: the job runs when this commits
        job = services.batch_job_create(type=job_type, context=context, scope=EVERY_CHANNEL)
    services.batch_job_step(job_id=job.pk)  # nothing left to do, unless the hand-over failed
    seconds = time.perf_counter() - started
    job = BatchJob.objects.get(pk=job.pk)
    result = job.result or {}
    return {
        "status": job.status,
        "seconds": round(seconds, 1),
        "rss_mb": round(_rss_mb()),
        "count": result.get("count"),
        "file_key": result.get("file_key"),
        "file_size": result.get("file_size"),
        "message": (result.get("stat_descriptors") or [{}])[0].get("message"),
        "errors": len(result.get("errors") or []),
    }


def child(name: str, args: list[str]) -> dict:
    _setup()
    if name == "baseline":
        import catalog.models  # noqa: F401

        return {"rss_mb": round(_rss_mb())}
    if name == "export":
        return _run_job("product-export", {})
    if name == "import":
        return _run_job("product-import", {"fileKey": args[0]})
    if name == "edit":
        return {"file_key": _edited(args[0])}
    if name in ("add", "remove"):
        from saleschannels.models import SalesChannel
        from saleschannels.services import sales_channel_create

        target = "Benchmark jobs moves"  # not the edited import's target: no lock between them
        channel = SalesChannel.objects.filter(name=target).first() or sales_channel_create(
            name=target
        )
        return _run_job(
            "sales-channel-products",
            {"sales_channel_id": channel.pk, "action": name, "filterable_fields": {}},
        )
    raise SystemExit(f"unknown case {name}")


TARGETS = ("Benchmark jobs target", "Benchmark jobs target B")


def _edited(key: str) -> str:
    """Copy the export, moving the first MOVED products from their first channel to a target.

    To the first of the two targets the product is not in yet, so that every run moves them
    (a run after one that moved them to the first target moves them on to the second).
    """
    import io
    import tempfile

    from django.core.files.storage import default_storage

    from batchjobs import files
    from saleschannels.models import SalesChannel

    targets = [SalesChannel.objects.get(name=name) for name in TARGETS]
    with default_storage.open(key, "rb") as raw, tempfile.TemporaryFile("w+b") as out:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""), delimiter=";")
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, delimiter=";")
        header = next(reader)
        writer.writerow(header)
        name_at, id_at = header.index("Sales Channel 1 Name"), header.index("Sales Channel 1 Id")
        ids_at = [
            i for i, column in enumerate(header) if re.fullmatch(r"Sales Channel \d+ Id", column)
        ]
        for n, row in enumerate(reader):
            if n < MOVED:
                present = {row[i] for i in ids_at}
                target = next((t for t in targets if t.pk not in present), targets[-1])
                row[name_at], row[id_at] = target.name, target.pk
            writer.writerow(row)
        out.seek(0)
        stored = files.upload_store(out, name="edited.csv")
        text.detach()
    return stored


def _prepare() -> None:
    env = _env()
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("make bench-jobs needs DATABASE_URL=postgres://… (never SQLite)")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)  # noqa: S603  (our own interpreter, fixed arguments)
    code = (
        "from catalog.models import Product; from saleschannels.models import SalesChannel;"
        "print(Product.objects.count());"
        "from saleschannels.services import sales_channel_create;"
        f"[SalesChannel.objects.filter(name=n).exists() or sales_channel_create(name=n)"
        f" for n in {TARGETS!r}]"
    )
    count = int(
        subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
            [*manage, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
    )
    if count == 0:
        print(f"Generating {PRODUCTS:,} products …", flush=True)  # noqa: T201  (the report)
        subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
            [
                *manage,
                "generate_catalog",
                "--products",
                str(PRODUCTS),
                "--channels",
                "20",
                "--variants",
                "1",
                "--links-per-product",
                "3",
            ],
            env=env,
            check=True,
        )
        subprocess.run([*manage, "shell", "-c", code], env=env, check=True, capture_output=True)  # noqa: S603  (our own interpreter, fixed arguments)


def main() -> None:
    from bench.run import git_revision, load_average

    started, load_before, revision = time.time(), load_average(), git_revision()
    _prepare()
    rows = []
    baseline = _case("baseline")
    rows.append(("process baseline (Django + apps loaded)", "", "", baseline["rss_mb"], ""))
    export = _case("export")
    rows.append(
        (
            "product-export, every product",
            export["seconds"],
            export["count"],
            export["rss_mb"],
            f"{export['file_size'] / 1e6:.1f} MB sheet",
        )
    )
    imported = _case("import", export["file_key"])
    rows.append(
        (
            "product-import, the export unchanged (dry run + run)",
            imported["seconds"],
            imported["count"],
            imported["rss_mb"],
            imported["message"],
        )
    )
    edited = _case("edit", export["file_key"])
    moved = _case("import", edited["file_key"])
    rows.append(
        (
            f"product-import, {MOVED:,} products moved to another channel",
            moved["seconds"],
            moved["count"],
            moved["rss_mb"],
            moved["message"],
        )
    )
    added = _case("add")
    rows.append(
        (
            "sales-channel-products add, every product",
            added["seconds"],
            added["count"],
            added["rss_mb"],
            added["message"],
        )
    )
    removed = _case("remove")
    rows.append(
        (
            "sales-channel-products remove, every product",
            removed["seconds"],
            removed["count"],
            removed["rss_mb"],
            removed["message"],
        )
    )
    table = ["| case | seconds | rows / products | peak RSS (MB) | note |", "|---|---|---|---|---|"]
    table += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(started))
    header = (
        f"Run of {when} UTC at revision {revision}, {time.time() - started:,.0f} s end to end "
        f"(dataset generation included when it ran); load average {load_before} before, "
        f"{load_average()} after. Command: `DATABASE_URL={os.environ.get('DATABASE_URL', '')} "
        "BENCH_JOBS_WRITE=1 make bench-jobs`."
    )
    text = header + "\n\n" + "\n".join(table)
    print(text)  # noqa: T201  (the report)
    if os.environ.get("BENCH_JOBS_WRITE"):
        path = ROOT / "docs" / "benchmarks.md"
        doc = path.read_text()
        block = f"{MARK_BEGIN}\n{text}\n{MARK_END}"
        doc = re.sub(re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), block, doc, flags=re.S)
        path.write_text(doc)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(json.dumps(child(sys.argv[2], sys.argv[3:])))  # noqa: T201  (the report)
    else:
        main()
