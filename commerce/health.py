"""Health checks: `/health` (readiness: can this process serve?) and `/health/live` (liveness).

`/health` reaches the database and the cache and answers 503 with `Retry-After` when either is
unreachable, so a load balancer takes the server out of rotation while PostgreSQL restarts.
`/health/live` touches nothing but the process: a supervisor restarting workers on it would only
make a database outage worse. (No broker is configured yet; add its check here when there is.)
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from commerce.db.transient import first_line

logger = logging.getLogger("commerce.health")


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:  # OperationalError, InterfaceError, a timeout, ...
        logger.warning("health: database unreachable: %s", first_line(exc))
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _cache() -> str:
    try:
        cache.set("health-check", "ok", 10)
        ok = cache.get("health-check") == "ok"
    except Exception as exc:  # noqa: BLE001  (any backend's error means "unreachable")
        logger.warning("health: cache unreachable: %s", first_line(exc))
        return "unavailable"
    return "ok" if ok else "unavailable"


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database and the cache answer, else 503 naming what is down."""
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(state == "ok" for state in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
    if not healthy:
        response["Retry-After"] = str(settings.API_RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's flag: the check logged the cause once
    return response


def live(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process can serve a request; touches no database, cache or file."""
    return JsonResponse({"status": "ok"})
