"""Store reads on read replicas (`DATABASE_REPLICA_URLS`), with read-your-writes everywhere else.

A request is sent to a replica only when ALL of these hold (`ReplicaReadsMiddleware`):

- replicas are configured (settings.DATABASE_REPLICAS, the aliases `replica_0`, `replica_1`, …);
- it is a safe request (GET, HEAD) under one of `REPLICA_READ_PATHS`: the store's public
  catalogue (products, variants, collections, categories, tags, types, regions). Carts, a
  customer's account and orders, and everything of the admin, are read on the primary, so a
  shopper always reads their own cart and account as they just wrote them (read-your-writes);
- nothing in the request writes (a write goes to the primary and every read after it in the
  same request follows it there: `DatabaseRouter.db_for_write` pins the request).

What a replica reader may see: the catalogue as it was up to the replication lag ago (docs/
deployment.md, "Replicas"). The render cache stays exact per row: a product's version is read
in the same snapshot as its rows, so a lagging replica serves an older version's fragment,
never a mix.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)

SAFE_METHODS = ("GET", "HEAD")


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


class DatabaseRouter:
    """Reads on a replica while the request allows it; writes, migrations: the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_reads.get():
            aliases = replica_aliases()
            if aliases:
                return random.choice(aliases)  # noqa: S311  (load spreading, not security)
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        _replica_reads.set(False)  # what follows a write reads what it wrote
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # a replica holds the primary's rows: objects from either relate

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


class ReplicaReadsMiddleware:
    """Let the router read this request on a replica when it is a safe store catalogue read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = (
            bool(replica_aliases())
            and request.method in SAFE_METHODS
            and request.path.startswith(tuple(settings.REPLICA_READ_PATHS))
        )
        token = _replica_reads.set(allowed)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
