"""Writes on the store singleton, regions, shipping options, staff users and their roles."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce import permissions
from commerce.countries import country_codes_check
from commerce.exceptions import (
    DuplicateError,
    InvalidData,
    NotAllowed,
    NotFound,
    PermissionRefused,
    PropertyShouldNotExist,
)
from commerce.locks import (
    regions_qs_for_update,
    shipping_options_qs_for_update,
    store_qs_for_update,
    users_qs_for_update,
)
from commerce.lookups import first_or_raise
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
from commerce.updates import UNSET, changes_apply

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
    given = {"name": name, "metadata": metadata}
    fields = changes_apply(
        store, {field: value for field, value in given.items() if value is not None}, save=False
    )
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


_REGION_FIELDS = (
    "name", "tax_code", "metadata", "automatic_taxes", "includes_tax",
    "currency_code", "tax_rate", "countries", "payment_providers",
)  # fmt: skip


@transaction.atomic
def region_update(*, region: Region, **changes: Any) -> Region:
    """Update a region's name, currency, tax settings, countries, providers or metadata."""
    region = regions_qs_for_update().get(pk=region.pk)
    given = {name: changes.get(name, UNSET) for name in _REGION_FIELDS}
    for name, value in given.items():
        if value is None:  # null in an update leaves a region's field as it is
            given[name] = UNSET
    if given["currency_code"] is not UNSET:
        given["currency_code"] = _validate_currency(given["currency_code"])
    if given["tax_rate"] is not UNSET:
        given["tax_rate"] = Decimal(str(given["tax_rate"]))
    if given["countries"] is not UNSET:
        given["countries"] = country_codes_check(given["countries"])
    providers = given.pop("payment_providers")
    changes_apply(region, given)
    if providers is not UNSET:
        region.payment_providers.set(_payment_providers(providers))
    return region


@transaction.atomic
def region_delete(*, region_id: str) -> None:
    """Soft-delete a region and its shipping options. Idempotent."""
    now = timezone.now()
    Region.objects.filter(pk=region_id).update(deleted_at=now)
    ShippingOption.objects.filter(region_id=region_id).update(deleted_at=now)


def region_get(*, region_id: str) -> Region:
    """Return a live region or raise NotFound with the contract's wording."""
    return first_or_raise(
        Region.objects.filter(pk=region_id), NotFound(f"Region with id: {region_id} was not found")
    )


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
    option = shipping_options_qs_for_update().get(pk=option.pk)
    if changes.get("amount") is not None and changes["amount"] < 0:
        raise InvalidData("amount must not be less than 0")
    fields = ("name", "amount", "admin_only", "is_return", "data", "metadata")
    # null in an update leaves a shipping option's field as it is
    changes_apply(option, {n: changes[n] for n in fields if changes.get(n) is not None})
    return option


@transaction.atomic
def shipping_option_delete(*, option_id: str) -> None:
    """Soft-delete a shipping option. Idempotent."""
    ShippingOption.objects.filter(pk=option_id).update(deleted_at=timezone.now())


def shipping_option_get(*, option_id: str) -> ShippingOption:
    """Return a live shipping option or raise NotFound."""
    return first_or_raise(
        ShippingOption.objects.select_related("region").filter(pk=option_id),
        NotFound(f"Shipping option with id: {option_id} was not found"),
    )


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
        changes_apply(current, cleaned)
        return current
    return Address.objects.create(**cleaned)


# ---- STAFF USERS AND ROLES ----


def role_groups_sync() -> None:
    """Create the role groups and give each exactly its role's permissions (after `migrate`)."""
    from django.contrib.auth.models import Group, Permission

    every = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, group_name in permissions.ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = [pk for perm, pk in every.items() if permissions.ROLE_PERMISSIONS[role](perm)]
        group.permissions.set(wanted)


def _role_groups() -> dict[str, Any]:
    from django.contrib.auth.models import Group

    groups = {g.name: g for g in Group.objects.filter(name__in=permissions.ROLE_GROUPS.values())}
    missing = [name for name in permissions.ROLE_GROUPS.values() if name not in groups]
    if missing:
        role_groups_sync()
        return _role_groups()
    return {role: groups[name] for role, name in permissions.ROLE_GROUPS.items()}


def _check_may_grant(*, actor: User | None, role: str) -> None:
    """Refuse granting a role whose permissions the actor does not hold (no escalation)."""
    if actor is None or actor.is_superuser:
        return
    group = _role_groups()[role]
    needed = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    lacking = sorted(perm for perm in needed if not actor.has_perm(perm))
    if lacking:
        raise PermissionRefused(
            f"You cannot grant the role {role}: you do not hold {lacking[0]} yourself"
        )


def _check_may_manage(*, actor: User | None, user: User) -> None:
    if actor is not None and user.is_superuser and not actor.is_superuser:
        raise PermissionRefused("Only a superuser may change or delete a superuser")


def _role_set(user: User, role: str) -> None:
    groups = _role_groups()
    user.groups.remove(*(g for r, g in groups.items() if r != role))
    user.groups.add(groups[role])


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    role: str = permissions.ROLE_MEMBER,
    metadata: dict | None = None,
    actor: User | None = None,
) -> User:
    """Create an active staff user with a Medusa role (its group). Emails are unique, lower case."""
    _check_may_grant(actor=actor, role=role)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise DuplicateError(
            "A user with the same email already exists.", code="invalid_request_error"
        )
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name or "",
        last_name=last_name or "",
        is_staff=True,
        metadata=metadata,
    )
    _role_set(user, role)
    return user


def user_get(*, user_id: str) -> User:
    return first_or_raise(
        User.objects.filter(pk=user_id, is_staff=True),
        NotFound(f"User with id: {user_id} was not found"),
    )


@transaction.atomic
def user_update(*, user_id: str, actor: User | None = None, **changes: Any) -> User:
    """Change a staff user's names, metadata or role."""
    user = first_or_raise(
        users_qs_for_update().filter(pk=user_id, is_staff=True),
        NotFound(f"User with id: {user_id} was not found"),
    )
    _check_may_manage(actor=actor, user=user)
    role = changes.pop("role", None)
    if role is not None:
        _check_may_grant(actor=actor, role=role)
        _role_set(user, role)
    given = {n: changes[n] or "" for n in ("first_name", "last_name") if n in changes}
    changes_apply(user, {**given, "metadata": changes.get("metadata", UNSET)})
    return user


@transaction.atomic
def user_delete(*, user_id: str, actor: User | None = None) -> None:
    """Delete a staff user and their API tokens. Deleting yourself is refused. Idempotent."""
    user = User.objects.filter(pk=user_id, is_staff=True).first()
    if user is None:
        return
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed("You cannot delete your own user")
    _check_may_manage(actor=actor, user=user)
    user.delete()
