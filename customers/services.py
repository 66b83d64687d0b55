"""Writes on customers: registration, guests, profile, addresses, sign-in and password reset.

Each public function is one transaction. Passwords go through Django's hashers and are never
returned, logged or put into an event.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.lookups import first_or_raise
from commerce.models import Address
from commerce.services import ADDRESS_FIELDS, address_save
from commerce.updates import UNSET as _UNSET
from commerce.updates import changes_apply
from customers import tokens
from customers.exceptions import (
    CustomerAccountExists,
    CustomerAddressNotFound,
    CustomerNotFound,
    PasswordResetTokenInvalid,
)
from customers.locks import customers_qs_for_update
from customers.models import Customer, CustomerAddress
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, scoped_or_raise

logger = logging.getLogger(__name__)
PROFILE_FIELDS = ("first_name", "last_name", "phone", "metadata")


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _customer_for_update(customer_id: str, scope: ChannelScope = EVERY_CHANNEL) -> Customer:
    """Lock a live customer the scope may see (404 otherwise: its existence is not revealed)."""
    return scoped_or_raise(
        customers_qs_for_update(), scope, customer_id, CustomerNotFound(customer_id)
    )


@transaction.atomic
def customer_create(
    *,
    email: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    phone: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Customer:
    """Register an account. A guest row with the same email stays as it is (Medusa v1)."""
    email = _normalise_email(email)
    if Customer.objects.filter(email=email, has_account=True).exists():
        raise CustomerAccountExists()
    try:
        with transaction.atomic():
            return Customer.objects.create(
                email=email,
                password=make_password(password),
                has_account=True,
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                metadata=metadata,
            )
    except IntegrityError:  # a concurrent registration of the same email won
        raise CustomerAccountExists() from None


def customer_guest_for_email(*, email: str) -> Customer:
    """Return the guest customer (no account) of an email, creating it the first time.

    Only the insert runs in a savepoint (a lost race rolls back to it and leaves the caller's
    transaction usable); the common case, an existing guest, is one SELECT and no savepoint.
    """
    email = _normalise_email(email)
    guest = Customer.objects.filter(email=email, has_account=False).first()
    if guest is not None:
        return guest
    try:
        with transaction.atomic():
            return Customer.objects.create(email=email, has_account=False)
    except IntegrityError:  # created concurrently: take that one
        return Customer.objects.get(email=email, has_account=False)


@transaction.atomic
def customer_update(
    *,
    customer_id: str,
    email: str = _UNSET,
    password: str = _UNSET,
    billing_address: dict[str, Any] | str | None = _UNSET,
    scope: ChannelScope = EVERY_CHANNEL,
    **profile: Any,
) -> Customer:
    """Change a customer's profile, email, password or billing address.

    `billing_address` is an address object (written in place), the id of one of the customer's
    saved shipping addresses (copied), or None (cleared). A staff user scoped to channels may
    change only the customers in their scope (`saleschannels.scope`).
    """
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:  # pragma: no cover - callers pass validated names
        raise TypeError(f"unknown customer fields: {sorted(unknown)}")
    customer = _customer_for_update(customer_id, scope)
    fields = changes_apply(customer, profile, save=False)
    if email is not _UNSET:
        email = _normalise_email(email)
        if (
            email != customer.email
            and Customer.objects.filter(email=email, has_account=customer.has_account)
            .exclude(pk=customer.pk)
            .exists()
        ):
            raise CustomerAccountExists()
        customer.email = email
        fields.append("email")
    if password is not _UNSET:
        customer.password = make_password(password)
        fields.append("password")
    if billing_address is not _UNSET:
        customer.billing_address = _billing_address(customer, billing_address)
        fields.append("billing_address")
    try:
        with transaction.atomic():
            customer.save(update_fields=fields)
    except IntegrityError:
        raise CustomerAccountExists() from None
    return customer


def _billing_address(customer: Customer, value: dict[str, Any] | str | None) -> Address | None:
    if value is None:
        return None
    if isinstance(value, str):
        saved = _saved_address(customer, value)
        copied = {name: getattr(saved, name) for name in ("metadata", *_ADDRESS_COLUMNS)}
        return address_save(data=copied, current=customer.billing_address)
    return address_save(data=value, current=customer.billing_address)


@transaction.atomic
def customer_delete(*, customer_id: str) -> None:
    """Soft-delete a customer: their orders keep them; they can no longer sign in."""
    customer = customers_qs_for_update().filter(pk=customer_id).first()
    if customer is None:
        return  # already gone: deleting is idempotent
    customer.deleted_at = timezone.now()
    customer.save(update_fields=["deleted_at", "updated_at"])


_ADDRESS_COLUMNS = tuple(name for name in ADDRESS_FIELDS if name != "metadata")


def _saved_address(customer: Customer, address_id: str) -> Address:
    link = first_or_raise(
        CustomerAddress.objects.select_related("address").filter(
            customer=customer, address_id=address_id
        ),
        CustomerAddressNotFound(),
    )
    return link.address


@transaction.atomic
def customer_address_add(*, customer_id: str, address: dict[str, Any]) -> Customer:
    """Save a shipping address for the customer."""
    customer = _customer_for_update(customer_id)
    saved = address_save(data=address, current=None)
    CustomerAddress.objects.create(customer=customer, address=saved)  # type: ignore[misc]  # data given: never None
    customer.save(update_fields=["updated_at"])
    return customer


@transaction.atomic
def customer_address_update(
    *, customer_id: str, address_id: str, address: dict[str, Any]
) -> Customer:
    """Change one of the customer's own saved addresses; another customer's is not found."""
    customer = _customer_for_update(customer_id)
    address_save(data=address, current=_saved_address(customer, address_id))
    customer.save(update_fields=["updated_at"])
    return customer


@transaction.atomic
def customer_address_delete(*, customer_id: str, address_id: str) -> Customer:
    """Remove one of the customer's saved addresses. Unknown ids change nothing (Medusa v1)."""
    customer = _customer_for_update(customer_id)
    link = CustomerAddress.objects.filter(customer=customer, address_id=address_id).first()
    if link is not None:
        Address.objects.filter(pk=link.address_id).delete()  # the link goes with it (cascade)
        customer.save(update_fields=["updated_at"])
    return customer


def customer_authenticate(*, email: str, password: str) -> Customer | None:
    """Return the account these credentials open, or None.

    Unknown emails still cost one password hash, so timing does not tell them apart.
    """
    customer = Customer.objects.filter(email=_normalise_email(email), has_account=True).first()
    if customer is None:
        make_password(password)
        return None
    return customer if customer.check_password(password) else None


def _send_password_reset(*, email: str, token: str) -> None:
    send_mail(
        subject="Reset your password",
        message=(
            "Someone asked to reset the password of your account. If it was you, use this "
            f"token within {settings.STORE_PASSWORD_RESET_EXPIRY // 60} minutes:\n\n{token}\n\n"
            "If it was not you, ignore this message: nothing changes."
        ),
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def customer_password_token_send(*, email: str) -> None:
    """Email a one-time password reset token to the account of `email`; silently nothing otherwise."""
    customer = Customer.objects.filter(email=_normalise_email(email), has_account=True).first()
    if customer is None:
        return
    token = tokens.password_reset_token(customer=customer)
    transaction.on_commit(partial(_send_password_reset, email=customer.email, token=token))


@transaction.atomic
def customer_password_reset(*, email: str, token: str, password: str) -> Customer:
    """Set a new password with a reset token; the token is spent by the change."""
    customer = (
        customers_qs_for_update().filter(email=_normalise_email(email), has_account=True).first()
    )
    if customer is None or not tokens.password_reset_token_valid(customer=customer, raw=token):
        raise PasswordResetTokenInvalid()
    customer.password = make_password(password)
    customer.save(update_fields=["password", "updated_at"])
    return customer
