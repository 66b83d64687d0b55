"""Writes on the store singleton, regions and shipping options."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from commerce.countries import country_codes_check
from commerce.exceptions import InvalidData, NotFound, PropertyShouldNotExist
from commerce.models import (
    Address,
    ApiToken,
    Currency,
    PaymentProvider,
    Region,
    ShippingOption,
    Store,
    User,
    hash_api_token,
)

MANUAL_PROVIDER_ID = "manual"


def store_get_or_create() -> Store:
    """Return the store, creating it (with USD) if this database has none yet."""
    store = Store.objects.filter(singleton=True).first()
    if store is not None:
        return store
    try:
        with transaction.atomic():
            store = Store.objects.create(singleton=True)
            usd = Currency.objects.filter(code="usd").first()
            if usd is not None:
                store.currencies.add(usd)
            return store
    except IntegrityError:  # created concurrently
        return Store.objects.get(singleton=True)


def store_qs_for_update() -> QuerySet[Store]:
    """Return the store row locked for update (lock it before any channel row)."""
    return Store.objects.select_for_update(no_key=True).filter(singleton=True)


def _currencies(codes: Iterable[str]) -> list[Currency]:
    wanted = [code.lower() for code in codes]
    found = Currency.objects.in_bulk(wanted)
    missing = [code for code in wanted if code not in found]
    if missing:
        raise InvalidData(f"Currencies {', '.join(missing)} do not exist")
    return [found[code] for code in wanted]


@transaction.atomic
def store_update(
    *,
    name: str | None = None,
    currencies: list[str] | None = None,
    default_currency_code: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Store:
    """Update the store's name, currencies and default currency (which must be one of its currencies)."""
    store_get_or_create()
    store = store_qs_for_update().get()
    fields = ["updated_at"]
    if name is not None:
        store.name = name
        fields.append("name")
    if metadata is not None:
        store.metadata = metadata
        fields.append("metadata")
    if currencies is not None:
        store.currencies.set(_currencies(currencies))
    current_codes = set(store.currencies.values_list("code", flat=True))
    if default_currency_code is not None:
        code = default_currency_code.lower()
        if code not in current_codes:
            raise InvalidData(f"Store does not have currency: {code}")
        store.default_currency_code = code
        fields.append("default_currency_code")
    elif currencies is not None and store.default_currency_code not in current_codes:
        raise InvalidData(
            "You are not allowed to remove default currency from store currencies without replacing it as well"
        )
    store.save(update_fields=fields)
    return store


def _validate_currency(code: str) -> str:
    code = code.lower()
    if not Currency.objects.filter(code=code).exists():
        raise InvalidData(f"Currency with code: {code} was not found")
    return code


@transaction.atomic
def region_create(
    *,
    name: str,
    currency_code: str,
    tax_rate: Decimal | int | float = 0,
    countries: list[str] | None = None,
    payment_providers: list[str] | None = None,
    tax_code: str | None = None,
    metadata: dict[str, Any] | None = None,
    automatic_taxes: bool = True,
    includes_tax: bool = False,
) -> Region:
    """Create a region; it takes the manual payment provider unless others are named."""
    region = Region.objects.create(
        name=name,
        currency_code=_validate_currency(currency_code),
        tax_rate=Decimal(str(tax_rate)),
        tax_code=tax_code,
        countries=country_codes_check(countries or []),
        metadata=metadata,
        automatic_taxes=automatic_taxes,
        includes_tax=includes_tax,
    )
    region.payment_providers.set(_payment_providers(payment_providers or [MANUAL_PROVIDER_ID]))
    return region


def _payment_providers(ids: list[str]) -> list[PaymentProvider]:
    found = PaymentProvider.objects.in_bulk(ids)
    missing = [pid for pid in ids if pid not in found]
    if missing:
        raise InvalidData(f"Payment providers {', '.join(missing)} do not exist")
    return [found[pid] for pid in ids]


@transaction.atomic
def region_update(*, region: Region, **changes: Any) -> Region:
    """Update a region's name, currency, tax settings, countries, providers or metadata."""
    region = Region.objects.select_for_update(no_key=True).get(pk=region.pk)
    fields = ["updated_at"]
    for name in ("name", "tax_code", "metadata", "automatic_taxes", "includes_tax"):
        if name in changes and changes[name] is not None:
            setattr(region, name, changes[name])
            fields.append(name)
    if changes.get("currency_code") is not None:
        region.currency_code = _validate_currency(changes["currency_code"])
        fields.append("currency_code")
    if changes.get("tax_rate") is not None:
        region.tax_rate = Decimal(str(changes["tax_rate"]))
        fields.append("tax_rate")
    if changes.get("countries") is not None:
        region.countries = country_codes_check(changes["countries"])
        fields.append("countries")
    region.save(update_fields=fields)
    if changes.get("payment_providers") is not None:
        region.payment_providers.set(_payment_providers(changes["payment_providers"]))
    return region


@transaction.atomic
def region_delete(*, region_id: str) -> None:
    """Soft-delete a region and its shipping options. Idempotent."""
    now = timezone.now()
    Region.objects.filter(pk=region_id).update(deleted_at=now)
    ShippingOption.objects.filter(region_id=region_id).update(deleted_at=now)


def region_get(*, region_id: str) -> Region:
    """Return a live region or raise NotFound with the contract's wording."""
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise NotFound(f"Region with id: {region_id} was not found")
    return region


@transaction.atomic
def shipping_option_create(
    *,
    region: Region,
    name: str,
    amount: int,
    is_return: bool = False,
    admin_only: bool = False,
    data: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> ShippingOption:
    """Create a flat-rate shipping option in a region."""
    if amount < 0:
        raise InvalidData("amount must not be less than 0")
    return ShippingOption.objects.create(
        region=region,
        name=name,
        amount=amount,
        is_return=is_return,
        admin_only=admin_only,
        data=data or {},
        metadata=metadata,
        provider_id=MANUAL_PROVIDER_ID,
    )


@transaction.atomic
def shipping_option_update(*, option: ShippingOption, **changes: Any) -> ShippingOption:
    """Update a shipping option's name, amount, flags or metadata."""
    option = ShippingOption.objects.select_for_update(no_key=True).get(pk=option.pk)
    fields = ["updated_at"]
    if changes.get("amount") is not None and changes["amount"] < 0:
        raise InvalidData("amount must not be less than 0")
    for name in ("name", "amount", "admin_only", "is_return", "data", "metadata"):
        if changes.get(name) is not None:
            setattr(option, name, changes[name])
            fields.append(name)
    option.save(update_fields=fields)
    return option


@transaction.atomic
def shipping_option_delete(*, option_id: str) -> None:
    """Soft-delete a shipping option. Idempotent."""
    ShippingOption.objects.filter(pk=option_id).update(deleted_at=timezone.now())


def shipping_option_get(*, option_id: str) -> ShippingOption:
    """Return a live shipping option or raise NotFound."""
    option = ShippingOption.objects.select_related("region").filter(pk=option_id).first()
    if option is None:
        raise NotFound(f"Shipping option with id: {option_id} was not found")
    return option


# ---- ADMIN API TOKENS ----


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `raw` is shown once and never stored; `token` is the stored (hashed) row."""

    token: ApiToken
    raw: str


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> IssuedToken:
    """Issue an admin API token for a staff user. Only its SHA-256 hash is kept."""
    if not user.is_staff or not user.is_active:
        raise InvalidData(
            f"{user.email} is not an active staff user; only staff can have admin API tokens"
        )
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_api_token(raw), hint=raw[:8]
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, token_id: str) -> None:
    """Delete a token; requests sending it get 401 from then on. Idempotent."""
    ApiToken.objects.filter(pk=token_id).delete()


# ---- ADDRESSES ----

ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "country_code",
    "province",
    "postal_code",
    "phone",
    "metadata",
)


def address_save(*, data: dict[str, Any] | None, current: Address | None) -> Address | None:
    """Write an address from a body's address object: update `current` in place, or create one.

    None clears (returns None). Country codes are stored lower-cased. Carts and customers share it.
    """
    if data is None:
        return None
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    cleaned = dict(data)
    if cleaned.get("country_code"):
        cleaned["country_code"] = cleaned["country_code"].lower()
    if current is not None:
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.save()
        return current
    return Address.objects.create(**cleaned)
