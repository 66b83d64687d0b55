"""Request plumbing for the REST surfaces that has to run before URL resolution."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from commerce.api.exceptions import log_unavailable, unavailable_response
from commerce.api.views import route_not_found
from commerce.db.transient import RETRYABLE, first_line, transient_cause

logger = logging.getLogger("commerce.api")

API_PREFIXES = ("/api/admin/", "/api/store/")


class ApiTrailingSlashMiddleware:
    """Serve `/api/admin/x/` and `/api/store/x/` as `/api/admin/x` and `/api/store/x`.

    Our routes have no trailing slash (Medusa's paths), but Medusa's Express router is not strict
    about one, and clients rely on that: `@medusajs/medusa-js` 6.x calls `GET /admin/store/` for
    `admin.store.retrieve()` and `POST /admin/products/` for `admin.products.create()`. One
    trailing slash is dropped in place (no redirect: a redirected POST loses its body).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.endswith("/") and path not in API_PREFIXES and path.startswith(API_PREFIXES):
            request.path_info = path[:-1]
        return self.get_response(request)


class ApiNotFoundJsonMiddleware:
    """Answer a path under /api/ that is no route with the JSON 404, whatever `DEBUG` says.

    With `DEBUG` off, Django answers an unresolved path through `handler404`, which is JSON under
    /api/. With `DEBUG` on, it answers its HTML debug page instead (medusa-js then shows HTML as
    the error). A 404 that is not JSON, under /api/, is that page: it is replaced. It sits outside
    `CommonMiddleware`, so `APPEND_SLASH` still redirects `/api/docs` to `/api/docs/` first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return route_not_found(request)
        return response


def _never_connected() -> bool:
    """Return whether a connection failed to open (rather than broke while in use)."""
    # The primary and the configured replicas only: a test's unused mirror alias never opens.
    aliases = {"default", *getattr(settings, "DATABASE_REPLICAS", ())}
    return any(
        conn.connection is None
        for conn in connections.all(initialized_only=True)
        if conn.alias in aliases
    )


class TransientDatabaseErrorMiddleware:
    """Answer a transient database error under /api with 503 + Retry-After, logged once.

    Deadlocks, serialization failures, lock and statement timeouts and a refused or lost
    connection (commerce.db.transient) are "retry later", not bugs: 503
    `{"type": "unavailable", "message": …}`, whatever DEBUG says, never a traceback. DRF views
    get the 503 from the exception handler; plain Django views under /api get it here.

    A safe request (GET, HEAD) that met a deadlock, a serialization failure or a lost connection
    runs once more: it wrote nothing, the failed transaction was rolled back, and a broken
    connection is replaced first, so the client gets its answer instead of a retry. A connection
    that could not be opened at all (refused, timed out) is not retried: the database is down,
    and a second attempt would only double the wait. Timeouts are not re-run either (a second
    wait as long as the first). Writes are never re-run here: a view may run more than one
    transaction, and re-running it could repeat the committed part; their clients retry after
    `Retry-After` (cart completion is idempotent, and accepts an `Idempotency-Key`).

    Must come last in MIDDLEWARE: it calls the view itself.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/api/"):
            return None
        retries = 1 if request.method in self.SAFE_METHODS else 0
        while True:
            try:
                response = view_func(request, *view_args, **view_kwargs)
            except Exception as exc:
                cause = transient_cause(exc)
                if cause is None:
                    raise
                response = unavailable_response(cause, exc)
            cause = getattr(response, "transient_cause", None)
            if cause is None:
                return response
            error = response.transient_error
            if retries and cause in RETRYABLE and not _never_connected():
                retries -= 1
                logger.info(
                    "%s %s: retrying once after a transient database error (%s): %s",
                    request.method,
                    request.path,
                    cause,
                    first_line(error),
                )
                for conn in connections.all(initialized_only=True):
                    conn.close_if_unusable_or_obsolete()
                continue
            log_unavailable(request, cause, error)
            return response
