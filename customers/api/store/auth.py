"""Who the store request is: a signed-in customer (bearer token or store session cookie) or nobody.

Two ways in, both Medusa v1's:
- `Authorization: Bearer <jwt>` from `POST /store/auth/token` (what the Next.js starter sends);
- the store session cookie from `POST /store/auth` (`STORE_SESSION_COOKIE_NAME`). It is a Django
  session of its own, never the staff session cookie, so a shopper and a merchant signed in in one
  browser never share a session. Store writes need no CSRF token (medusa-js sends none); the
  cookie is `SameSite=Lax` and cookie-authenticated writes must come from the server's own
  origin or a `STORE_TRUSTED_ORIGINS` one when the browser names an origin (docs/customers.md).

An empty `Authorization` header, an unknown scheme or an invalid or expired token leave the
request anonymous: routes that need a customer answer 401, the others work as for a guest.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework.request import Request
from rest_framework.response import Response

from commerce.exceptions import NotAllowed
from customers.exceptions import CustomerNotSignedIn
from customers.models import Customer
from customers.tokens import customer_id_from_access_token

SESSION_CUSTOMER_KEY = "_store_customer_id"
SESSION_HASH_KEY = "_store_customer_hash"
_UNRESOLVED = object()
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class OriginNotAllowed(NotAllowed):
    def __init__(self, origin: str) -> None:
        super().__init__(
            f"Origin {origin} may not use the store session cookie; send a bearer token instead"
        )


def _session_store(key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(key)


def _password_fingerprint(customer: Customer) -> str:
    """Tie a session to the password it was opened with: a new password ends it (as Django does)."""
    return salted_hmac("customers.store-session", customer.password).hexdigest()


def _bearer(request: Request) -> str | None:
    header = (request.headers.get("authorization") or "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def origin_allowed(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin:
        return True  # not a browser page (server-side storefronts, curl, medusa-js on Node)
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.STORE_TRUSTED_ORIGINS


def session_origin_check(request: Request) -> None:
    """Open a store session only for a page of an origin we trust (no login CSRF)."""
    if not origin_allowed(request):
        raise OriginNotAllowed(request.headers["origin"])


def _customer_from_session(request: Request) -> Customer | None:
    key = request.COOKIES.get(settings.STORE_SESSION_COOKIE_NAME)
    if not key:
        return None
    session = _session_store(key)
    customer_id = session.get(SESSION_CUSTOMER_KEY)
    if not isinstance(customer_id, str):
        return None
    if request.method not in SAFE_METHODS and not origin_allowed(request):
        raise OriginNotAllowed(request.headers["origin"])
    customer = Customer.objects.filter(pk=customer_id, has_account=True).first()
    if customer is None or not constant_time_compare(
        session.get(SESSION_HASH_KEY, ""), _password_fingerprint(customer)
    ):
        return None
    return customer


def request_customer(request: Request) -> Customer | None:
    """Return the signed-in customer of a store request, or None (resolved once per request)."""
    cached: Any = getattr(request, "_store_customer", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cached
    customer = None
    raw = _bearer(request)
    if raw is not None:
        customer_id = customer_id_from_access_token(raw)
        if customer_id is not None:
            customer = Customer.objects.filter(pk=customer_id, has_account=True).first()
    else:
        customer = _customer_from_session(request)
    request._store_customer = customer  # type: ignore[attr-defined]  # cached on the request
    return customer


def request_customer_required(request: Request) -> Customer:
    customer = request_customer(request)
    if customer is None:
        raise CustomerNotSignedIn()
    return customer


def store_session_open(request: Request, response: Response, customer: Customer) -> None:
    """Start a store session for the customer and set its cookie on the response."""
    store_session_close(request, response)
    session = _session_store()
    session[SESSION_CUSTOMER_KEY] = customer.pk
    session[SESSION_HASH_KEY] = _password_fingerprint(customer)
    session.set_expiry(settings.STORE_SESSION_COOKIE_AGE)
    session.create()
    response.set_cookie(
        settings.STORE_SESSION_COOKIE_NAME,
        session.session_key,  # type: ignore[arg-type]  # set by session.create()
        max_age=settings.STORE_SESSION_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.STORE_SESSION_COOKIE_SECURE,
        path="/",
    )
    request._store_customer = customer  # type: ignore[attr-defined]  # cached on the request


def store_session_close(request: Request, response: Response) -> None:
    """End the request's store session (if any) and clear its cookie."""
    key = request.COOKIES.get(settings.STORE_SESSION_COOKIE_NAME)
    if key:
        _session_store(key).delete()
        response.delete_cookie(settings.STORE_SESSION_COOKIE_NAME, path="/", samesite="Lax")
