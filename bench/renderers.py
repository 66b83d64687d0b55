"""Generated (`exec`) against plain per-shape render functions, in one process (issue 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/renderers.py [pairs]

On the benchmark's database (after `make bench` made it): loads a store page of 20 and one of
100 products of the first generated channel with the store's default relations, then renders
each page with ProductSerializer alternately through the generated functions
(`commerce.api.rendering._compile_renderer`) and the plain loop (`_plain_renderer`), `pairs`
times (default 300), and prints both medians. Rendering only: no HTTP, no SQL in the timing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    import django

    django.setup()
    from django.test import RequestFactory

    from catalog import selectors
    from catalog.api.store.serializers import ProductSerializer
    from commerce.api import rendering
    from saleschannels.models import SalesChannel

    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    channel = (
        SalesChannel.objects.filter(metadata__generated_seed=1).order_by("created_at", "id").first()
    )
    if channel is None:
        raise SystemExit("no generated channel: run `make bench` on this database first")
    relations = {"variants", "options", "collection", "images", "tags", "type"}
    products = selectors.product_qs_for_store(
        channel_ids=[channel.pk], relations=relations, prices=None
    ).prefetch_related(None)
    context = {
        "request": RequestFactory().get("/api/store/products"),
        "relations": relations,
        "fields": None,
        "price_selection": None,
    }
    shapes: dict[str, dict[Any, Any]] = {"exec": {}, "plain": {}}

    def render(mode: str, page: list) -> float:
        rendering.FAST_RENDERER = mode
        rendering._RENDERERS_BY_SHAPE = shapes[mode]
        started = time.perf_counter()
        ProductSerializer(page, many=True, context=context).data  # noqa: B018
        return (time.perf_counter() - started) * 1000

    for size in (20, 100):
        page = list(products[:size])
        selectors.product_page_load(page, relations=relations, prices=None)
        times: dict[str, list[float]] = {"exec": [], "plain": []}
        for mode in ("exec", "plain") * 5:  # warm-up, and each mode's shapes built
            render(mode, page)
        for i in range(pairs):
            for mode in ("exec", "plain") if i % 2 else ("plain", "exec"):
                times[mode].append(render(mode, page))
        generated, plain = statistics.median(times["exec"]), statistics.median(times["plain"])
        sys.stdout.write(
            f"store page of {size}: generated p50 {generated:.2f} ms, plain p50 {plain:.2f} ms, "
            f"plain / generated {plain / generated:.3f} ({pairs} alternating pairs)\n"
        )


if __name__ == "__main__":
    main()
