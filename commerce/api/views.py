"""Plain-Django error views: JSON under /api/, Django's HTML pages elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


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
        return JsonResponse(
            {"type": "unknown_error", "message": "An unknown error occurred."}, status=500
        )
    return defaults.server_error(request)
