"""CORS as Medusa v1 configures it: store origins for the store API, admin origins for the admin API.

django-cors-headers sends the headers; it knows one list of origins for every URL, so its own
list stays empty and this receiver of its `check_request_enabled` signal allows an origin when
it is listed for the surface the request is for: `STORE_CORS` for /api/store/, `ADMIN_CORS`
for /api/admin/ (comma-separated in the environment, as Medusa's `store_cors`/`admin_cors`).
An origin listed for neither gets no CORS header at all. Credentials are allowed (the admin
signs in with a session cookie; Medusa allows them on both surfaces).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

SURFACE_SETTINGS = (("/api/store/", "STORE_CORS"), ("/api/admin/", "ADMIN_CORS"))


def normalise_origin(origin: str) -> str:
    """Return an origin as browsers send it: no trailing slash, scheme and host in lower case."""
    return origin.strip().rstrip("/").lower()


def allowed_origins(path: str) -> frozenset[str]:
    """Return the origins allowed for the surface `path` belongs to (none outside both)."""
    for prefix, setting in SURFACE_SETTINGS:
        if path.startswith(prefix):
            return frozenset(normalise_origin(o) for o in getattr(settings, setting, ()) if o)
    return frozenset()


def origin_allowed_for_surface(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """Answer django-cors-headers' `check_request_enabled`: is this origin listed for this surface."""
    origin = request.headers.get("origin")
    if not origin:
        return False
    return normalise_origin(origin) in allowed_origins(request.path_info)
