"""Request plumbing for the REST surfaces that has to run before URL resolution."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from commerce.api.views import route_not_found

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
