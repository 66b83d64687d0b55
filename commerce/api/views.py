"""Plain-Django error views: JSON under /api/, Django's HTML pages elsewhere."""

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from commerce.api.exceptions import log_unavailable, unavailable_response
from commerce.db.transient import transient_cause


def route_not_found(request: HttpRequest) -> JsonResponse:
    """Return the JSON 404 of a path under /api/ that is no route."""
    return JsonResponse(
        {"type": "not_found", "message": f"Route {request.method} {request.path} was not found"},
        status=404,
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return route_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An error raised outside a view (a middleware saving the session, say) while the
        # database is down is still "retry later": 503, logged once, no traceback.
        error = sys.exc_info()[1]
        cause = transient_cause(error) if error is not None else None
        if cause is not None and error is not None:
            log_unavailable(request, cause, error)
            return unavailable_response(cause, error)
        return JsonResponse(
            {"type": "unknown_error", "message": "An unknown error occurred."}, status=500
        )
    return defaults.server_error(request)
