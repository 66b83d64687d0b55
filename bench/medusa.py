"""The same cases against a running Medusa 1.20 (`MEDUSA_BASE_URL`), for side-by-side ratios.

`make bench` with `MEDUSA_BASE_URL=http://127.0.0.1:9100` (and `MEDUSA_ADMIN_TOKEN`, default the
peer's `perf-admin-token`) prepares what Medusa's cases need through Medusa's own API (a channel
of the same data shape, a publishable key on another, carts), then measures each case on Medusa
interleaved with ours (bench/run.py, `measure_cases`): the ratio of each case comes from one run
on one machine state. The peer and its loader of the same data shape:
`../shared/medusa-peer/peer.sh install | load | start` (see its header).

Cart completion is measured on carts made ready through Medusa's store API the way its
storefront does it (a line item of a variant no other cart uses, an email and a shipping
address, the region's first shipping option, payment sessions and the `manual` provider), as
ours are made ready by `bench.run.fixtures_prepare`; each is completed once.

Loopback only, like the load generator.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.load import Client, Request

KEY_TITLE = "Benchmark storefront (side by side)"
CHANNEL_NAME = "Perf Channel 01"  # the generated channel our bench's by-channel cases use, too
KEY_CHANNEL_NAME = "Perf Channel 02"


class Peer:
    def __init__(self, base_url: str, token: str) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.admin = {"x-medusa-access-token": token}

    def call(self, method: str, path: str, body: Any = None, admin: bool = False) -> Any:
        client = Client(self.host, self.port, timeout=120)
        try:
            status, payload = client.send(
                Request(method, path, body=body, headers=self.admin if admin else {})
            )
        finally:
            client.close()
        if status != 200:
            raise RuntimeError(f"Medusa {method} {path} -> {status}: {payload[:300]!r}")
        return json.loads(payload)


def peer_from_env() -> Peer | None:
    url = os.environ.get("MEDUSA_BASE_URL", "").strip()
    if not url:
        return None
    return Peer(url, os.environ.get("MEDUSA_ADMIN_TOKEN", "perf-admin-token"))


def _channel_id(peer: Peer, name: str) -> str:
    found = peer.call("GET", f"/admin/sales-channels?q={urllib.parse.quote(name)}", admin=True)
    for channel in found["sales_channels"]:
        if channel["name"] == name:
            return channel["id"]
    raise RuntimeError(f"Medusa has no sales channel named {name!r}: run peer.sh load")


# The cart-create case's body is the same on both servers: Medusa's store API takes no email at
# cart create (400 "property email should not exist"), so neither sends one (no guest customer
# to look up); this context marks the carts, which bench/run.py deletes after the run.
CART_CONTEXT = {"bench": True}

SHIPPING_ADDRESS = {
    "first_name": "Bench",
    "last_name": "Mark",
    "address_1": "1 Rue du Banc",
    "city": "Paris",
    "country_code": "fr",
    "postal_code": "75001",
}


def _ready_cart(peer: Peer, region: str, channel: str, variant: str) -> str:
    """Make a Medusa cart ready to complete, as its storefront's checkout does; return its id."""
    cart = peer.call("POST", "/store/carts", {"region_id": region, "sales_channel_id": channel})
    cart_id = cart["cart"]["id"]
    peer.call("POST", f"/store/carts/{cart_id}/line-items", {"variant_id": variant, "quantity": 1})
    peer.call(
        "POST",
        f"/store/carts/{cart_id}",
        {"email": "bench@example.com", "shipping_address": SHIPPING_ADDRESS},
    )
    option = peer.call("GET", f"/store/shipping-options/{cart_id}")["shipping_options"][0]["id"]
    peer.call("POST", f"/store/carts/{cart_id}/shipping-methods", {"option_id": option})
    peer.call("POST", f"/store/carts/{cart_id}/payment-sessions")
    peer.call("POST", f"/store/carts/{cart_id}/payment-session", {"provider_id": "manual"})
    return cart_id


def fixtures_prepare(
    peer: Peer, *, line_item_carts: int, completion_carts: int = 0
) -> dict[str, Any]:
    """Prepare what Medusa's cases need through its API (reusing what an earlier run made)."""
    channel = _channel_id(peer, CHANNEL_NAME)
    key_channel = _channel_id(peer, KEY_CHANNEL_NAME)
    keys = peer.call("GET", "/admin/publishable-api-keys?limit=100", admin=True)
    key = next(
        (
            k["id"]
            for k in keys["publishable_api_keys"]
            if k["title"] == KEY_TITLE and not k.get("revoked_at")
        ),
        None,
    )
    if key is None:
        key = peer.call("POST", "/admin/publishable-api-keys", {"title": KEY_TITLE}, admin=True)[
            "publishable_api_key"
        ]["id"]
        peer.call(
            "POST",
            f"/admin/publishable-api-keys/{key}/sales-channels/batch",
            {"sales_channel_ids": [{"id": key_channel}]},
            admin=True,
        )
    regions = peer.call("GET", "/store/regions")["regions"]
    region = next(r["id"] for r in regions if r["currency_code"] == "eur")
    variants: list[str] = []
    offset = 0
    while len(variants) < 200 + completion_carts:
        page = peer.call(
            "GET", f"/store/products?sales_channel_id[]={channel}&limit=100&offset={offset}"
        )
        if not page["products"]:
            raise RuntimeError(
                f"Medusa's channel has too few variants for {completion_carts} carts"
            )
        variants += [v["id"] for p in page["products"] for v in p["variants"]]
        offset += 100
    carts = [
        peer.call("POST", "/store/carts", {"region_id": region, "sales_channel_id": channel})[
            "cart"
        ]["id"]
        for _ in range(line_item_carts)
    ]
    # Newest products first: the completion carts take variants the line-item carts do not.
    spare = variants[200 : 200 + completion_carts]
    # The first cart alone: its email makes Medusa's guest customer, which concurrent first
    # carts would race to create (Medusa answers the losers 422 duplicate_error).
    ready = [_ready_cart(peer, region, channel, variant) for variant in spare[:1]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        ready += pool.map(lambda variant: _ready_cart(peer, region, channel, variant), spare[1:])
    return {
        "channel_id": channel,
        "publishable_key": key,
        "region_id": region,
        "line_item_carts": carts,
        "line_item_variants": variants[:200],
        "completion_carts": ready,
    }


def cases(peer: Peer, fx: dict[str, Any], workers: int) -> dict[str, Callable[[int, int], Request]]:
    """Medusa's request factory for each of our case keys (completion: one prepared cart each)."""
    channel = fx["channel_id"]
    by_channel = f"/store/products?sales_channel_id[]={channel}&limit=20"

    def get(path: str, headers: dict[str, str] | None = None) -> Callable[[int, int], Request]:
        request = Request("GET", path, headers=headers or {})
        return lambda worker, sequence: request

    def cart_create(worker: int, sequence: int) -> Request:
        body = {"region_id": fx["region_id"], "sales_channel_id": channel}
        return Request("POST", "/store/carts", body={**body, "context": CART_CONTEXT})

    line_carts, line_variants = fx["line_item_carts"], fx["line_item_variants"]
    per_worker: dict[int, int] = {}
    carts_per_worker = max(1, len(line_carts) // workers)
    lock = threading.Lock()

    def line_item_add(worker: int, sequence: int) -> Request:
        with lock:
            n = per_worker.get(worker, 0)
            per_worker[worker] = n + 1
        cart = line_carts[
            (worker * carts_per_worker + (n // 10) % carts_per_worker) % len(line_carts)
        ]
        variant = line_variants[(worker * 10 + n % 10) % len(line_variants)]
        body = {"variant_id": variant, "quantity": 1}
        return Request("POST", f"/store/carts/{cart}/line-items", body=body)

    completion = iter(fx["completion_carts"])
    completion_lock = threading.Lock()

    def cart_complete(worker: int, sequence: int) -> Request:
        with completion_lock:
            cart = next(completion)  # the bench caps Medusa's requests at its carts (run.py)
        return Request("POST", f"/store/carts/{cart}/complete")

    return {
        "store_products_channel": get(by_channel),
        "store_products_channel_offset_5000": get(f"{by_channel}&offset=5000"),
        "store_products_default": get("/store/products"),
        "store_products_key": get(
            "/store/products", {"x-publishable-api-key": fx["publishable_key"]}
        ),
        "admin_products_channel": get(
            f"/admin/products?sales_channel_id[]={channel}&limit=20", peer.admin
        ),
        "admin_orders_channel": get(
            f"/admin/orders?sales_channel_id[]={channel}&limit=50", peer.admin
        ),
        "cart_create": cart_create,
        "line_item_add": line_item_add,
        "cart_complete": cart_complete,
    }
