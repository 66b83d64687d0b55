"""Signed tokens of store customers: the sign-in JWT and the one-time password reset token.

Both are HS256 JWTs (PyJWT). The sign-in token carries the customer id and an expiry
(`STORE_JWT_EXPIRY`); its audience keeps it from being taken for anything else. The reset token
is signed with the secret *and* the customer's current password hash, so it stops working as
soon as the password changes (one use), and it expires after `STORE_PASSWORD_RESET_EXPIRY`.
"""

from __future__ import annotations

from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from customers.models import Customer

SIGN_IN_AUDIENCE = "store-customer"
RESET_AUDIENCE = "store-password-reset"
ALGORITHM = "HS256"


def _key(purpose: str, value: str = "") -> bytes:
    """Derive a 32-byte HMAC key per purpose (and password, for resets) from the secret."""
    secret = settings.STORE_JWT_SECRET or settings.SECRET_KEY
    return salted_hmac(
        f"customers.tokens.{purpose}", value, secret=secret, algorithm="sha256"
    ).digest()


def _signed(customer: Customer, *, audience: str, seconds: int, key: bytes) -> str:
    """Return a token naming the customer for `audience`, valid for `seconds`."""
    now = timezone.now()
    payload = {
        "customer_id": customer.pk,
        "aud": audience,
        "iat": now,
        "exp": now + timedelta(seconds=seconds),
    }
    return jwt.encode(payload, key, algorithm=ALGORITHM)


def customer_access_token(*, customer: Customer) -> str:
    """Return a signed token naming the customer, valid for `STORE_JWT_EXPIRY`."""
    return _signed(
        customer,
        audience=SIGN_IN_AUDIENCE,
        seconds=settings.STORE_JWT_EXPIRY,
        key=_key("sign-in"),
    )


def customer_id_from_access_token(raw: str) -> str | None:
    """Return the customer id a valid, unexpired token names, or None."""
    try:
        payload = jwt.decode(
            raw, _key("sign-in"), algorithms=[ALGORITHM], audience=SIGN_IN_AUDIENCE
        )
    except jwt.PyJWTError:
        return None
    customer_id = payload.get("customer_id")
    return customer_id if isinstance(customer_id, str) else None


def password_reset_token(*, customer: Customer) -> str:
    return _signed(
        customer,
        audience=RESET_AUDIENCE,
        seconds=settings.STORE_PASSWORD_RESET_EXPIRY,
        key=_key("reset", customer.password),
    )


def password_reset_token_valid(*, customer: Customer, raw: str) -> bool:
    try:
        payload = jwt.decode(
            raw, _key("reset", customer.password), algorithms=[ALGORITHM], audience=RESET_AUDIENCE
        )
    except jwt.PyJWTError:
        return False
    return payload.get("customer_id") == customer.pk
