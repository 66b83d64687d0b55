"""Load a Medusa v1 seed file, plus our sales-channel keys, through the services: all or nothing.

The file is read in two passes. `seed_plan_build` checks the whole file (shapes, types, references,
duplicates, what already exists) without writing; `seed_apply` then writes it through the services
of `commerce`, `saleschannels` and `catalog`, so every business rule holds, and maps any refusal
back to the JSON path of the entry that caused it. `seed_load` runs both in one transaction.

Matching (what makes a second run create nothing): users by email, regions by name, shipping
options by name within their region, sales channels by name, collections by handle, products by
handle, publishable keys by title. A match is reported as found and left exactly as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify

from catalog import services as catalog_services
from catalog.media import image_check, image_file_store
from catalog.models import (
    PHYSICAL_FIELDS,
    Product,
    ProductCategory,
    ProductCollection,
    ProductSalesChannel,
    ProductStatus,
)
from catalog.models import ProductVariant as Variant
from commerce import services as commerce_services
from commerce.exceptions import CommerceError, RequestErrors
from commerce.models import Currency, PaymentProvider, Region, ShippingOption, User
from saleschannels import services as channel_services
from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel
from saleschannels.selectors import default_sales_channel_id

T = TypeVar("T")

NAME_MAX = 255

# Keys Medusa's seed accepts that have no column or service here: accepted, ignored, reported.
_IGNORED_STORE = {"swap_link_template", "payment_link_template", "invite_link_template"}
_IGNORED_USER = {"role", "api_token"}
_IGNORED_REGION = {
    "includes_tax",
    "automatic_taxes",
    "gift_cards_taxable",
    "tax_provider_id",
}
_IGNORED_SHIPPING = {
    "requirements",
    "is_giftcard",
    "profile_id",
    "includes_tax",
}
_IGNORED_PRODUCT = {"profile_id", "external_id"}
_IGNORED_VARIANT = {"variant_rank"}
_DIMENSIONS = ("weight", "length", "height", "width")
_IGNORED_PRICE = {"min_quantity", "max_quantity"}
_IGNORED_OPTION = {"values"}
_IGNORED_OPTION_VALUE = {"option_id"}


class SeedFileError(Exception):
    """A problem with one entry of a seed file: where (a JSON path) and what."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


# ---- READING THE FILE ----


def seed_file_read(path: Path) -> dict[str, Any]:
    """Return the parsed seed file, or raise SeedFileError for a missing file or bad JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedFileError("", "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedFileError("", f"the file cannot be read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeedFileError(
            "", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise SeedFileError("", f"the top level must be a JSON object, got {_kind(data)}")
    return data


# ---- THE PLAN: what the file asks for, checked ----


@dataclass
class StoreSpec:
    path: str
    name: str | None
    currencies: list[str] | None
    default_currency_code: str | None
    metadata: dict[str, Any] | None


@dataclass
class ChannelSpec:
    path: str
    name: str
    description: str | None
    is_disabled: bool
    is_default: bool
    metadata: dict[str, Any] | None


@dataclass
class UserSpec:
    path: str
    email: str
    password: str | None
    first_name: str
    last_name: str
    metadata: dict[str, Any] | None = None


@dataclass
class RegionSpec:
    path: str
    placeholder: str | None
    name: str
    currency_code: str
    tax_rate: Decimal
    tax_code: str | None
    countries: list[str]
    payment_providers: list[str] | None
    metadata: dict[str, Any] | None


@dataclass
class ShippingSpec:
    path: str
    name: str
    region_ref: str
    amount: int
    is_return: bool
    admin_only: bool
    data: dict[str, Any] | None
    metadata: dict[str, Any] | None


@dataclass
class CollectionSpec:
    path: str
    placeholder: str | None
    title: str
    handle: str
    metadata: dict[str, Any] | None


@dataclass
class CategorySpec:
    path: str
    placeholder: str | None
    name: str
    handle: str
    description: str
    parent: str | None  # the parent's handle
    is_active: bool
    is_internal: bool
    metadata: dict[str, Any] | None


@dataclass
class PriceSpec:
    path: str
    currency_code: str | None
    region_ref: str | None
    amount: int


@dataclass
class VariantSpec:
    path: str
    title: str
    sku: str | None
    barcode: str | None
    ean: str | None
    upc: str | None
    inventory_quantity: int
    manage_inventory: bool
    allow_backorder: bool
    option_values: list[str]
    prices: list[PriceSpec]
    metadata: dict[str, Any] | None
    physical: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProductSpec:
    path: str
    title: str
    handle: str
    subtitle: str | None
    description: str | None
    status: str
    thumbnail: str | None
    is_giftcard: bool
    discountable: bool
    collection_ref: str | None
    metadata: dict[str, Any] | None
    options: list[str]
    variants: list[VariantSpec]
    channel_names: list[str] | None
    images: list[str] = field(default_factory=list)  # URLs, or files next to the seed file
    tags: list[str] = field(default_factory=list)
    type: str | None = None
    category_refs: list[str] = field(default_factory=list)
    physical: dict[str, Any] = field(default_factory=dict)


@dataclass
class KeySpec:
    path: str
    title: str
    channel_names: list[str] | None


@dataclass
class SeedPlan:
    store: StoreSpec | None = None
    channels: list[ChannelSpec] = field(default_factory=list)
    users: list[UserSpec] = field(default_factory=list)
    regions: list[RegionSpec] = field(default_factory=list)
    shipping_options: list[ShippingSpec] = field(default_factory=list)
    collections: list[CollectionSpec] = field(default_factory=list)
    categories: list[CategorySpec] = field(default_factory=list)
    products: list[ProductSpec] = field(default_factory=list)
    keys: list[KeySpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Report rows, in the order the seed writes them.
KINDS = (
    "sales channels",
    "users",
    "regions",
    "shipping options",
    "product collections",
    "product categories",
    "products",
    "publishable API keys",
)


@dataclass
class SeedReport:
    """What a seed run created and what it found already there (and left alone)."""

    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    variants_created: int = 0
    prices_created: int = 0
    store: str | None = None  # "updated" or "unchanged" when the file has a store entry
    default_channel: str | None = None
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    skipped: bool = False


# ---- SMALL TYPED READERS: each names the JSON path of what it rejects ----


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _generic(path: str) -> str:
    """Return the path with indices as [*], so one note covers every entry."""
    return re.sub(r"\[\d+\]", "[*]", path)


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SeedFileError(path, f"must be an object, got {_kind(value)}")
    return value


def _keys(
    obj: dict[str, Any],
    path: str,
    notes: list[str],
    *,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    ignored: set[str] | frozenset[str] = frozenset(),
) -> None:
    for name in required:
        if name not in obj:
            raise SeedFileError(_key(path, name), "is required")
    known = set(required) | set(optional)
    for name, value in obj.items():
        if name in known:
            continue
        if name in ignored:
            if value not in (None, "", [], {}):
                notes.append(f"{_generic(_key(path, name))}: ignored (not supported here)")
            continue
        raise SeedFileError(_key(path, name), "is not a known key here")


def _string(
    obj: dict[str, Any],
    key: str,
    path: str,
    *,
    required: bool = False,
    nullable: bool = True,
    max_length: int | None = NAME_MAX,
    blank: bool = False,
) -> str | None:
    where = _key(path, key)
    value = obj.get(key)
    if value is None:
        if required or (key in obj and not nullable):
            raise SeedFileError(where, "is required" if required else "must not be null")
        return None
    if not isinstance(value, str):
        raise SeedFileError(where, f"must be a string, got {_kind(value)}")
    if not blank and not value.strip():
        raise SeedFileError(where, "must not be empty")
    if max_length is not None and len(value) > max_length:
        raise SeedFileError(where, f"must be at most {max_length} characters long")
    return value


def _required_string(obj: dict[str, Any], key: str, path: str, **kwargs: Any) -> str:
    value = _string(obj, key, path, required=True, **kwargs)
    assert value is not None  # noqa: S101  (required=True raised otherwise)
    return value


BIGINT_MAX = 2**63 - 1  # amounts are 64-bit integer columns
INT_MAX = 2**31 - 1  # inventory quantities are 32-bit


def _integer(
    obj: dict[str, Any],
    key: str,
    path: str,
    *,
    default: int | None = None,
    maximum: int = BIGINT_MAX,
) -> int:
    where = _key(path, key)
    value = obj.get(key, default)
    if value is None:
        raise SeedFileError(where, "is required" if key not in obj else "must not be null")
    if isinstance(value, bool) or not isinstance(value, int):
        raise SeedFileError(where, f"must be a whole number, got {json.dumps(value)}")
    if value < 0:
        raise SeedFileError(where, f"must not be less than 0, got {value}")
    if value > maximum:
        raise SeedFileError(where, f"must not be greater than {maximum}, got {value}")
    return value


def _boolean(obj: dict[str, Any], key: str, path: str, *, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SeedFileError(_key(path, key), f"must be true or false, got {_kind(value)}")
    return value


def _array(obj: dict[str, Any], key: str, path: str) -> list[Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise SeedFileError(_key(path, key), f"must be an array, got {_kind(value)}")
    return value


def _json_object(obj: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    return _object(value, _key(path, key))


def _string_list(obj: dict[str, Any], key: str, path: str) -> list[str] | None:
    items = _array(obj, key, path)
    if items is None:
        return None
    where = _key(path, key)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise SeedFileError(f"{where}[{index}]", f"must be a string, got {_kind(item)}")
        if not item.strip():
            raise SeedFileError(f"{where}[{index}]", "must not be empty")
    return list(dict.fromkeys(items))


def _currency(obj: dict[str, Any], key: str, path: str, known: set[str]) -> str | None:
    value = _string(obj, key, path, max_length=3)
    if value is None:
        return None
    code = value.lower()
    if code not in known:
        raise SeedFileError(_key(path, key), f'unknown currency "{value}"')
    return code


def _entries(data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = _array(data, key, "")
    return [(f"{key}[{i}]", _object(item, f"{key}[{i}]")) for i, item in enumerate(items or [])]


class _Unique:
    """Remember the first path of each value; refuse a second entry with the same value."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: dict[Any, str] = {}

    def add(self, value: Any, path: str, shown: str | None = None) -> None:
        if value in self.seen:
            raise SeedFileError(
                path, f'{self.what} "{shown or value}" is already used by {self.seen[value]}'
            )
        self.seen[value] = path


# ---- PASS 1: CHECK THE WHOLE FILE ----


def seed_plan_build(data: dict[str, Any], *, base_dir: Path | None = None) -> SeedPlan:
    """Check every entry of a parsed seed file (reading, never writing) and return the plan.

    `base_dir` is where a product's image files are looked for (the seed file's directory).
    """
    plan = SeedPlan()
    notes: list[str] = []
    _keys(
        data,
        "",
        notes,
        optional=(
            "store",
            "users",
            "regions",
            "shipping_options",
            "product_collections",
            "products",
            "publishable_api_keys",
            "sales_channels",
            "categories",
        ),
        ignored={"rule_types"},
    )
    currencies = set(Currency.objects.values_list("code", flat=True))

    if data.get("store") is not None:
        plan.store = _store_spec(_object(data["store"], "store"), notes, currencies)

    plan.channels = _channel_specs(data, notes)
    file_channels = {spec.name for spec in plan.channels}

    emails = _Unique("email")
    for path, obj in _entries(data, "users"):
        _keys(
            obj,
            path,
            notes,
            required=("email",),
            optional=("password", "first_name", "last_name", "metadata"),
            ignored=_IGNORED_USER,
        )
        email = _required_string(obj, "email", path).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise SeedFileError(_key(path, "email"), "must be an email address") from None
        emails.add(email, _key(path, "email"))
        plan.users.append(
            UserSpec(
                path=path,
                email=email,
                metadata=_json_object(obj, "metadata", path),
                password=_string(obj, "password", path, max_length=None),
                first_name=_string(obj, "first_name", path, max_length=150, blank=True) or "",
                last_name=_string(obj, "last_name", path, max_length=150, blank=True) or "",
            )
        )

    plan.regions = _region_specs(data, notes, currencies)
    placeholders = {spec.placeholder for spec in plan.regions if spec.placeholder}
    live_region_ids: set[str] = set()

    def region_ref(obj: dict[str, Any], path: str, *, required: bool) -> str | None:
        ref = _string(obj, "region_id", path, required=required)
        if ref is None or ref in placeholders or ref in live_region_ids:
            return ref
        if Region.objects.filter(pk=ref).exists():
            live_region_ids.add(ref)
            return ref
        raise SeedFileError(
            _key(path, "region_id"),
            f'unknown region "{ref}": no entry of regions has this id and no region in the '
            "database has it",
        )

    shipping_names = _Unique("shipping option")
    for path, obj in _entries(data, "shipping_options"):
        _keys(
            obj,
            path,
            notes,
            required=("name", "region_id"),
            optional=(
                "provider_id",
                "price_type",
                "amount",
                "is_return",
                "admin_only",
                "data",
                "metadata",
            ),
            ignored=_IGNORED_SHIPPING,
        )
        name = _required_string(obj, "name", path)
        ref = region_ref(obj, path, required=True)
        assert ref is not None  # noqa: S101  (required=True raised otherwise)
        _manual_only(obj, "provider_id", path, notes)
        price_type = _string(obj, "price_type", path) or "flat_rate"
        if price_type != "flat_rate":
            raise SeedFileError(
                _key(path, "price_type"), f'only "flat_rate" is supported, got "{price_type}"'
            )
        shipping_names.add((name, ref), _key(path, "name"), f"{name} in region {ref}")
        plan.shipping_options.append(
            ShippingSpec(
                path=path,
                name=name,
                region_ref=ref,
                amount=_integer(obj, "amount", path),
                is_return=_boolean(obj, "is_return", path, default=False),
                admin_only=_boolean(obj, "admin_only", path, default=False),
                data=_json_object(obj, "data", path),
                metadata=_json_object(obj, "metadata", path),
            )
        )

    plan.collections = _collection_specs(data, notes)
    collection_placeholders = {c.placeholder for c in plan.collections if c.placeholder}

    handles = _Unique("handle")
    skus = _Unique("sku")
    plan.categories = _category_specs(data, notes)
    category_refs = {spec.handle for spec in plan.categories} | {
        spec.placeholder for spec in plan.categories if spec.placeholder
    }
    for path, obj in _entries(data, "products"):
        spec = _product_spec(obj, path, notes, currencies, region_ref)
        _check_product_media(spec, base_dir, category_refs)
        handles.add(spec.handle, _key(path, "handle") if "handle" in obj else _key(path, "title"))
        if (
            spec.collection_ref
            and spec.collection_ref not in collection_placeholders
            and not ProductCollection.objects.filter(pk=spec.collection_ref).exists()
        ):
            raise SeedFileError(
                _key(path, "collection_id"),
                f'unknown collection "{spec.collection_ref}": no entry of product_collections '
                "has this id and no collection in the database has it",
            )
        for variant in spec.variants:
            if variant.sku:
                skus.add(variant.sku, _key(variant.path, "sku"))
        plan.products.append(spec)

    titles = _Unique("title")
    for path, obj in _entries(data, "publishable_api_keys"):
        _keys(obj, path, notes, required=("title",), optional=("sales_channels",))
        title = _required_string(obj, "title", path)
        titles.add(title, _key(path, "title"))
        plan.keys.append(
            KeySpec(path=path, title=title, channel_names=_string_list(obj, "sales_channels", path))
        )

    _check_channel_names(plan, file_channels)
    _check_skus_against_database(plan)
    plan.notes = list(dict.fromkeys(notes))
    return plan


def _store_spec(obj: dict[str, Any], notes: list[str], currencies: set[str]) -> StoreSpec:
    if "default_sales_channel_id" in obj:
        raise SeedFileError(
            "store.default_sales_channel_id",
            'is not accepted; mark a channel of sales_channels with "default": true instead',
        )
    _keys(
        obj,
        "store",
        notes,
        optional=("name", "currencies", "default_currency_code", "metadata"),
        ignored=_IGNORED_STORE,
    )
    codes = _string_list(obj, "currencies", "store")
    if codes is not None:
        codes = [code.lower() for code in codes]
        for index, code in enumerate(codes):
            if code not in currencies:
                raise SeedFileError(f"store.currencies[{index}]", f'unknown currency "{code}"')
    default = _currency(obj, "default_currency_code", "store", currencies)
    if default is not None and codes is not None and default not in codes:
        raise SeedFileError(
            "store.default_currency_code", f'"{default}" must be one of store.currencies'
        )
    return StoreSpec(
        path="store",
        name=_string(obj, "name", "store"),
        currencies=codes,
        default_currency_code=default,
        metadata=_json_object(obj, "metadata", "store"),
    )


def _channel_specs(data: dict[str, Any], notes: list[str]) -> list[ChannelSpec]:
    specs = []
    names = _Unique("name")
    default_path = None
    for path, obj in _entries(data, "sales_channels"):
        _keys(
            obj,
            path,
            notes,
            required=("name",),
            optional=("description", "is_disabled", "default", "metadata"),
        )
        name = _required_string(obj, "name", path)
        names.add(name, _key(path, "name"))
        is_default = _boolean(obj, "default", path, default=False)
        if is_default:
            if default_path is not None:
                raise SeedFileError(
                    _key(path, "default"),
                    f"only one sales channel can be the default; {default_path} already is",
                )
            default_path = path
        specs.append(
            ChannelSpec(
                path=path,
                name=name,
                description=_string(obj, "description", path, max_length=None, blank=True),
                is_disabled=_boolean(obj, "is_disabled", path, default=False),
                is_default=is_default,
                metadata=_json_object(obj, "metadata", path),
            )
        )
    return specs


def _manual_only(obj: dict[str, Any], key: str, path: str, notes: list[str]) -> None:
    """Fulfilment is always manual here: other providers are accepted, ignored and reported."""
    value = obj.get(key)
    if value is None:
        return
    names = (
        _string_list(obj, key, path)
        if isinstance(value, list)
        else [_required_string(obj, key, path)]  # (not None here: same check as _string)
    )
    if any(name != "manual" for name in names or []):
        notes.append(f"{_generic(_key(path, key))}: ignored (fulfilment is always manual here)")


def _tax_rate(obj: dict[str, Any], path: str) -> Decimal:
    where = _key(path, "tax_rate")
    value = obj.get("tax_rate", 0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SeedFileError(where, f"must be a number, got {_kind(value)}")
    try:
        rate = Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - json never yields NaN here
        raise SeedFileError(where, "must be a number") from None
    if not 0 <= rate <= 100:
        raise SeedFileError(where, f"must be a percentage between 0 and 100, got {value}")
    if rate.as_tuple().exponent < -2:  # type: ignore[operator]  # a finite Decimal: the exponent is an int
        raise SeedFileError(where, f"must have at most 2 decimal places, got {value}")
    return rate


def _region_specs(data: dict[str, Any], notes: list[str], currencies: set[str]) -> list[RegionSpec]:
    specs = []
    names = _Unique("name")
    ids = _Unique("id")
    providers = set(PaymentProvider.objects.filter(is_installed=True).values_list("id", flat=True))
    for path, obj in _entries(data, "regions"):
        _keys(
            obj,
            path,
            notes,
            required=("name", "currency_code"),
            optional=(
                "id",
                "tax_rate",
                "tax_code",
                "countries",
                "payment_providers",
                "fulfillment_providers",
                "metadata",
            ),
            ignored=_IGNORED_REGION,
        )
        _manual_only(obj, "fulfillment_providers", path, notes)
        name = _required_string(obj, "name", path)
        names.add(name, _key(path, "name"))
        placeholder = _string(obj, "id", path)
        if placeholder is not None:
            ids.add(placeholder, _key(path, "id"))
        currency = _currency(obj, "currency_code", path, currencies)
        countries = _string_list(obj, "countries", path) or []
        for index, country in enumerate(countries):
            if len(country) != 2 or not country.isalpha():
                raise SeedFileError(
                    f"{path}.countries[{index}]",
                    f'must be a two-letter ISO 3166-1 country code, got "{country}"',
                )
        wanted = _string_list(obj, "payment_providers", path)
        kept = None
        if wanted is not None:
            kept = [p for p in wanted if p in providers]
            for provider in wanted:
                if provider not in providers:
                    notes.append(
                        f'{_generic(path)}.payment_providers: "{provider}" is not installed '
                        "here; ignored"
                    )
        specs.append(
            RegionSpec(
                path=path,
                placeholder=placeholder,
                name=name,
                currency_code=currency or "",
                tax_rate=_tax_rate(obj, path),
                tax_code=_string(obj, "tax_code", path, max_length=50),
                countries=[c.lower() for c in countries],
                payment_providers=kept or None,
                metadata=_json_object(obj, "metadata", path),
            )
        )
    return specs


def _collection_specs(data: dict[str, Any], notes: list[str]) -> list[CollectionSpec]:
    specs = []
    handles = _Unique("handle")
    ids = _Unique("id")
    for path, obj in _entries(data, "product_collections"):
        _keys(obj, path, notes, required=("title",), optional=("id", "handle", "metadata"))
        title = _required_string(obj, "title", path)
        handle = _handle(obj, path, title)
        handles.add(handle, _key(path, "handle") if "handle" in obj else _key(path, "title"))
        placeholder = _string(obj, "id", path)
        if placeholder is not None:
            ids.add(placeholder, _key(path, "id"))
        specs.append(
            CollectionSpec(
                path=path,
                placeholder=placeholder,
                title=title,
                handle=handle,
                metadata=_json_object(obj, "metadata", path),
            )
        )
    return specs


def _category_specs(data: dict[str, Any], notes: list[str]) -> list[CategorySpec]:
    """Medusa's `categories`: each with its `category_children`, nested; parents come first."""
    specs: list[CategorySpec] = []
    handles = _Unique("handle")
    ids = _Unique("id")

    def walk(items: list[Any], path: str, parent: str | None) -> None:
        for index, obj in enumerate(items):
            where = f"{path}[{index}]"
            obj = _object(obj, where)
            _keys(
                obj,
                where,
                notes,
                required=("name",),
                optional=(
                    "id",
                    "handle",
                    "description",
                    "is_active",
                    "is_internal",
                    "metadata",
                    "category_children",
                ),
                ignored={"rank", "parent_category_id", "mpath"},
            )
            name = _required_string(obj, "name", where)
            handle = _handle(obj, where, name)
            handles.add(handle, _key(where, "handle") if "handle" in obj else _key(where, "name"))
            placeholder = _string(obj, "id", where)
            if placeholder is not None:
                ids.add(placeholder, _key(where, "id"))
            specs.append(
                CategorySpec(
                    path=where,
                    placeholder=placeholder,
                    name=name,
                    handle=handle,
                    description=_string(obj, "description", where, max_length=None, blank=True)
                    or "",
                    parent=parent,
                    is_active=_boolean(obj, "is_active", where, default=False),
                    is_internal=_boolean(obj, "is_internal", where, default=False),
                    metadata=_json_object(obj, "metadata", where),
                )
            )
            walk(
                _array(obj, "category_children", where) or [], f"{where}.category_children", handle
            )

    walk(_array(data, "categories", "") or [], "categories", None)
    return specs


def _named_values(obj: dict[str, Any], key: str, path: str) -> list[str]:
    """Tags as Medusa's seed gives them (`[{"value": "x"}]`), or plain strings."""
    values = []
    for index, item in enumerate(_array(obj, key, path) or []):
        where = f"{_key(path, key)}[{index}]"
        if isinstance(item, dict):
            values.append(_required_string(item, "value", where))
        elif isinstance(item, str) and item.strip():
            values.append(item)
        else:
            raise SeedFileError(where, f'must be {{"value": "..."}} or a string, got {_kind(item)}')
    return list(dict.fromkeys(values))


def _physical(obj: dict[str, Any], path: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in PHYSICAL_FIELDS:
        if obj.get(name) is None:
            continue
        if name in _DIMENSIONS:
            values[name] = _integer(obj, name, path, maximum=INT_MAX)
        else:
            values[name] = _string(obj, name, path)
    return values


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "/"))


def _check_product_media(spec: ProductSpec, base_dir: Path | None, category_refs: set[str]) -> None:
    for index, image in enumerate(spec.images):
        if _is_url(image):
            continue
        where = f"{spec.path}.images[{index}]"
        if base_dir is None:
            raise SeedFileError(where, "a file name needs the seed file's directory")
        file = (base_dir / image).resolve()
        if not file.is_relative_to(base_dir.resolve()) or not file.is_file():
            raise SeedFileError(where, f'no file "{image}" next to the seed file')
    for index, ref in enumerate(spec.category_refs):
        if (
            ref not in category_refs
            and not ProductCategory.objects.filter(Q(handle=ref) | Q(pk=ref)).exists()
        ):
            raise SeedFileError(
                f"{spec.path}.categories[{index}]",
                f'unknown category "{ref}": no entry of categories has this id or handle and '
                "no category in the database has it",
            )


def _category_refs(obj: dict[str, Any], path: str) -> list[str]:
    """Return a product's category refs: `[{"id": placeholder}]`, `[{"handle": h}]` or handles."""
    refs = []
    for index, item in enumerate(_array(obj, "categories", path) or []):
        where = f"{_key(path, 'categories')}[{index}]"
        if isinstance(item, dict):
            ref = item.get("id") or item.get("handle")
            if not isinstance(ref, str) or not ref.strip():
                raise SeedFileError(where, 'must be {"id": "..."} or {"handle": "..."}')
            refs.append(ref)
        elif isinstance(item, str) and item.strip():
            refs.append(item)
        else:
            raise SeedFileError(where, f"must be a category handle, got {_kind(item)}")
    return list(dict.fromkeys(refs))


def _handle(obj: dict[str, Any], path: str, title: str) -> str:
    handle = _string(obj, "handle", path)
    if handle is not None:
        return handle
    handle = slugify(title)
    if not handle:
        raise SeedFileError(
            _key(path, "handle"), "is required when the title gives no usable handle"
        )
    return handle


def _product_spec(
    obj: dict[str, Any],
    path: str,
    notes: list[str],
    currencies: set[str],
    region_ref: Callable[..., str | None],
) -> ProductSpec:
    _keys(
        obj,
        path,
        notes,
        required=("title",),
        optional=(
            "subtitle",
            "description",
            "handle",
            "is_giftcard",
            "status",
            "thumbnail",
            "discountable",
            "collection_id",
            "metadata",
            "options",
            "variants",
            "sales_channels",
            "images",
            "tags",
            "type",
            "categories",
            *PHYSICAL_FIELDS,
        ),
        ignored=_IGNORED_PRODUCT,
    )
    title = _required_string(obj, "title", path)
    status = _string(obj, "status", path) or ProductStatus.PUBLISHED
    if status not in ProductStatus.values:
        raise SeedFileError(
            _key(path, "status"),
            f'must be one of {", ".join(ProductStatus.values)}, got "{status}"',
        )
    thumbnail = _string(obj, "thumbnail", path, max_length=500, blank=True) or None
    images = _string_list(obj, "images", path) or []
    for index, image in enumerate(images):
        if len(image) > 500:
            raise SeedFileError(
                f"{_key(path, 'images')}[{index}]", "must be at most 500 characters long"
            )
    product_type = obj.get("type")
    if isinstance(product_type, dict):
        product_type = _required_string(product_type, "value", _key(path, "type"))
    elif product_type is not None:
        product_type = _string(obj, "type", path)

    options: list[str] = []
    option_titles = _Unique("option title")
    for index, option in enumerate(_array(obj, "options", path) or []):
        where = f"{path}.options[{index}]"
        option = _object(option, where)
        _keys(option, where, notes, required=("title",), ignored=_IGNORED_OPTION)
        option_title = _required_string(option, "title", where)
        option_titles.add(option_title, _key(where, "title"))
        options.append(option_title)

    variants = []
    combinations = _Unique("combination of option values")
    for index, variant in enumerate(_array(obj, "variants", path) or []):
        where = f"{path}.variants[{index}]"
        spec = _variant_spec(_object(variant, where), where, notes, currencies, region_ref)
        if len(spec.option_values) != len(options):
            raise SeedFileError(
                _key(where, "options"),
                f"must give one value per product option ({len(options)}, in the order of "
                f"{path}.options), got {len(spec.option_values)}",
            )
        if options:
            combinations.add(
                tuple(spec.option_values), _key(where, "options"), " / ".join(spec.option_values)
            )
        variants.append(spec)

    return ProductSpec(
        path=path,
        title=title,
        handle=_handle(obj, path, title),
        subtitle=_string(obj, "subtitle", path, blank=True),
        description=_string(obj, "description", path, max_length=None, blank=True),
        status=status,
        thumbnail=thumbnail,
        is_giftcard=_boolean(obj, "is_giftcard", path, default=False),
        discountable=_boolean(obj, "discountable", path, default=True),
        collection_ref=_string(obj, "collection_id", path),
        metadata=_json_object(obj, "metadata", path),
        options=options,
        variants=variants,
        channel_names=_string_list(obj, "sales_channels", path),
        images=images,
        tags=_named_values(obj, "tags", path),
        type=product_type,
        category_refs=_category_refs(obj, path),
        physical=_physical(obj, path),
    )


def _variant_spec(
    obj: dict[str, Any],
    path: str,
    notes: list[str],
    currencies: set[str],
    region_ref: Callable[..., str | None],
) -> VariantSpec:
    _keys(
        obj,
        path,
        notes,
        required=("title",),
        optional=(
            "sku",
            "barcode",
            "ean",
            "upc",
            "inventory_quantity",
            "manage_inventory",
            "allow_backorder",
            "prices",
            "options",
            "metadata",
            *PHYSICAL_FIELDS,
        ),
        ignored=_IGNORED_VARIANT,
    )
    values = []
    for index, value in enumerate(_array(obj, "options", path) or []):
        where = f"{path}.options[{index}]"
        value = _object(value, where)
        _keys(value, where, notes, required=("value",), ignored=_IGNORED_OPTION_VALUE)
        values.append(_required_string(value, "value", where))
    prices = []
    for index, price in enumerate(_array(obj, "prices", path) or []):
        where = f"{path}.prices[{index}]"
        price = _object(price, where)
        _keys(
            price,
            where,
            notes,
            required=("amount",),
            optional=("currency_code", "region_id"),
            ignored=_IGNORED_PRICE,
        )
        currency = _currency(price, "currency_code", where, currencies)
        ref = region_ref(price, where, required=False)
        if currency is None and ref is None:
            raise SeedFileError(where, "needs a currency_code or a region_id")
        prices.append(
            PriceSpec(
                path=where,
                currency_code=currency,
                region_ref=ref,
                amount=_integer(price, "amount", where),
            )
        )
    return VariantSpec(
        path=path,
        title=_required_string(obj, "title", path),
        sku=_string(obj, "sku", path),
        barcode=_string(obj, "barcode", path),
        ean=_string(obj, "ean", path),
        upc=_string(obj, "upc", path),
        inventory_quantity=_integer(obj, "inventory_quantity", path, default=0, maximum=INT_MAX),
        manage_inventory=_boolean(obj, "manage_inventory", path, default=True),
        allow_backorder=_boolean(obj, "allow_backorder", path, default=False),
        option_values=values,
        prices=prices,
        metadata=_json_object(obj, "metadata", path),
        physical=_physical(obj, path),
    )


def _check_channel_names(plan: SeedPlan, file_channels: set[str]) -> None:
    referenced = [
        (f"{spec.path}.sales_channels[{index}]", name)
        for specs in (plan.products, plan.keys)
        for spec in specs
        for index, name in enumerate(spec.channel_names or [])
    ]
    wanted = {name for _, name in referenced} - file_channels
    existing = set(SalesChannel.objects.filter(name__in=wanted).values_list("name", flat=True))
    for path, name in referenced:
        if name not in file_channels and name not in existing:
            raise SeedFileError(
                path,
                f'unknown sales channel "{name}": not in sales_channels and not in the database',
            )


def _check_skus_against_database(plan: SeedPlan) -> None:
    new_handles = {p.handle for p in plan.products} - set(
        Product.objects.filter(handle__in=[p.handle for p in plan.products]).values_list(
            "handle", flat=True
        )
    )
    by_sku = {
        v.sku: v.path for p in plan.products if p.handle in new_handles for v in p.variants if v.sku
    }
    taken = set(Variant.objects.filter(sku__in=list(by_sku)).values_list("sku", flat=True))
    first = next((sku for sku in by_sku if sku in taken), None)  # in file order
    if first is not None:
        raise SeedFileError(
            _key(by_sku[first], "sku"), f'"{first}" is already used by a variant in the database'
        )


# ---- PASS 2: WRITE THROUGH THE SERVICES ----


def _call(path: str, service: Callable[..., T], **kwargs: Any) -> T:
    """Call a service; a refusal becomes a SeedFileError at the entry's path (and rolls back)."""
    try:
        return service(**kwargs)
    except RequestErrors as exc:
        raise SeedFileError(path, "; ".join(exc.errors)) from exc
    except CommerceError as exc:
        raise SeedFileError(path, exc.message) from exc
    except DatabaseError as exc:
        raise SeedFileError(path, f"the database refused it: {exc}") from exc


def _first(queryset: Any) -> Any:
    return queryset.order_by("created_at", "pk").first()


def _pristine_default_channel() -> SalesChannel | None:
    """Return the store's untouched auto-created default channel (no products, no keys), if any."""
    channel_id = default_sales_channel_id()
    if channel_id is None:
        return None
    channel = SalesChannel.objects.filter(
        pk=channel_id,
        name=channel_services.DEFAULT_CHANNEL_NAME,
        description=channel_services.DEFAULT_CHANNEL_DESCRIPTION,
    ).first()
    if channel is None:
        return None
    if ProductSalesChannel.objects.filter(sales_channel_id=channel_id).exists():
        return None
    if PublishableApiKeySalesChannel.objects.filter(sales_channel_id=channel_id).exists():
        return None
    return channel


def _apply_channels(plan: SeedPlan, report: SeedReport) -> dict[str, str]:
    ids: dict[str, str] = {}
    for spec in plan.channels:
        channel = _first(SalesChannel.objects.filter(name=spec.name))
        if channel is not None:
            report.found["sales channels"] += 1
            ids[spec.name] = channel.pk
            continue
        report.created["sales channels"] += 1
        pristine = _pristine_default_channel() if spec.is_default else None
        if pristine is not None:
            # A fresh store's empty "Default Sales Channel" becomes the file's default channel,
            # rather than lingering next to it.
            channel = _call(
                spec.path,
                channel_services.sales_channel_update,
                channel_id=pristine.pk,
                name=spec.name,
                description=spec.description,
                is_disabled=spec.is_disabled,
                metadata=spec.metadata,
            )
            report.notes.append(
                f'{spec.path}: the empty "{channel_services.DEFAULT_CHANNEL_NAME}" was renamed '
                f'"{spec.name}" (it stays the store default)'
            )
        else:
            channel = _call(
                spec.path,
                channel_services.sales_channel_create,
                name=spec.name,
                description=spec.description,
                is_disabled=spec.is_disabled,
                metadata=spec.metadata,
            )
            if spec.is_default:
                _call(
                    _key(spec.path, "default"),
                    channel_services.store_default_sales_channel_set,
                    channel_id=channel.pk,
                )
        ids[spec.name] = channel.pk
    return ids


def _channel_ids(names: list[str] | None, known: dict[str, str]) -> list[str] | None:
    if not names:
        return None
    ids = []
    for name in names:
        if name not in known:
            channel = _first(SalesChannel.objects.filter(name=name))
            known[name] = channel.pk
        ids.append(known[name])
    return ids


def _apply_users(plan: SeedPlan, report: SeedReport) -> None:
    for spec in plan.users:
        if User.objects.filter(email__iexact=spec.email).exists():
            report.found["users"] += 1
            continue
        # Seeded users are staff and superusers, so the login works in the Django admin too.
        User.objects.create_superuser(
            email=spec.email,
            password=spec.password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            metadata=spec.metadata,
        )
        report.created["users"] += 1


def _apply_regions(plan: SeedPlan, report: SeedReport) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for spec in plan.regions:
        region = _first(Region.objects.filter(name=spec.name))
        if region is not None:
            report.found["regions"] += 1
        else:
            region = _call(
                spec.path,
                commerce_services.region_create,
                name=spec.name,
                currency_code=spec.currency_code,
                tax_rate=spec.tax_rate,
                countries=spec.countries,
                payment_providers=spec.payment_providers,
                tax_code=spec.tax_code,
                metadata=spec.metadata,
            )
            report.created["regions"] += 1
        if spec.placeholder:
            regions[spec.placeholder] = region
    return regions


def _region(ref: str, regions: dict[str, Region]) -> Region:
    if ref not in regions:
        regions[ref] = Region.objects.get(pk=ref)
    return regions[ref]


def _apply_shipping(plan: SeedPlan, report: SeedReport, regions: dict[str, Region]) -> None:
    for spec in plan.shipping_options:
        region = _region(spec.region_ref, regions)
        if ShippingOption.objects.filter(name=spec.name, region=region).exists():
            report.found["shipping options"] += 1
            continue
        _call(
            spec.path,
            commerce_services.shipping_option_create,
            region=region,
            name=spec.name,
            amount=spec.amount,
            is_return=spec.is_return,
            admin_only=spec.admin_only,
            data=spec.data,
            metadata=spec.metadata,
        )
        report.created["shipping options"] += 1


def _apply_collections(plan: SeedPlan, report: SeedReport) -> dict[str, str]:
    ids: dict[str, str] = {}
    for spec in plan.collections:
        collection = ProductCollection.objects.filter(handle=spec.handle).first()
        if collection is not None:
            report.found["product collections"] += 1
        else:
            collection = _call(
                spec.path,
                catalog_services.collection_create,
                title=spec.title,
                handle=spec.handle,
                metadata=spec.metadata,
            )
            report.created["product collections"] += 1
        if spec.placeholder:
            ids[spec.placeholder] = collection.pk
    return ids


def _variant_input(spec: VariantSpec, regions: dict[str, Region]) -> catalog_services.VariantInput:
    prices = []
    for price in spec.prices:
        region = _region(price.region_ref, regions) if price.region_ref else None
        prices.append(
            catalog_services.PriceInput(
                # A region price is in the region's currency, as in Medusa.
                currency_code=region.currency_code if region else price.currency_code or "",
                amount=price.amount,
                region_id=region.pk if region else None,
            )
        )
    extra = {
        name: value
        for name, value in (("barcode", spec.barcode), ("ean", spec.ean), ("upc", spec.upc))
        if value is not None
    } | spec.physical
    return catalog_services.VariantInput(
        title=spec.title,
        sku=spec.sku,
        inventory_quantity=spec.inventory_quantity,
        manage_inventory=spec.manage_inventory,
        allow_backorder=spec.allow_backorder,
        prices=prices,
        option_values=spec.option_values,
        metadata=spec.metadata,
        extra=extra,
    )


def _apply_categories(plan: SeedPlan, report: SeedReport) -> dict[str, str]:
    """Create the file's categories (parents first); return their ids by handle and placeholder."""
    ids: dict[str, str] = {}
    for spec in plan.categories:
        category = ProductCategory.objects.filter(handle=spec.handle).first()
        if category is not None:
            report.found["product categories"] += 1
        else:
            category = _call(
                spec.path,
                catalog_services.category_create,
                name=spec.name,
                handle=spec.handle,
                description=spec.description,
                parent_category_id=ids[spec.parent] if spec.parent else None,
                is_active=spec.is_active,
                is_internal=spec.is_internal,
                metadata=spec.metadata,
            )
            report.created["product categories"] += 1
        ids[spec.handle] = category.pk
        if spec.placeholder:
            ids[spec.placeholder] = category.pk
    return ids


def _category_id(ref: str, known: dict[str, str]) -> str:
    if ref in known:
        return known[ref]
    return ProductCategory.objects.filter(Q(handle=ref) | Q(pk=ref)).values_list("pk", flat=True)[0]


def _image_urls(spec: ProductSpec, base_dir: Path | None, *, copy_files: bool) -> list[str]:
    """Return the product's image URLs, copying files next to the seed file into the storage.

    Without `copy_files` (a dry run) the files are only checked, and named by their path.
    """
    urls = []
    for index, image in enumerate(spec.images):
        if _is_url(image) or base_dir is None:
            urls.append(image)
            continue
        where = f"{spec.path}.images[{index}]"
        store = image_file_store if copy_files else image_check
        with (base_dir / image).open("rb") as file:
            stored = _call(where, store, file=file, name=where)
        urls.append(stored if copy_files else f"/{image}")
    return urls


def _apply_products(
    plan: SeedPlan,
    report: SeedReport,
    regions: dict[str, Region],
    channels: dict[str, str],
    collections: dict[str, str],
    categories: dict[str, str],
    base_dir: Path | None,
    copy_files: bool,
) -> None:
    for spec in plan.products:
        if Product.objects.filter(handle=spec.handle).exists():
            report.found["products"] += 1
            continue
        _call(
            spec.path,
            catalog_services.product_create,
            title=spec.title,
            handle=spec.handle,
            subtitle=spec.subtitle,
            description=spec.description,
            status=spec.status,
            thumbnail=spec.thumbnail,
            is_giftcard=spec.is_giftcard,
            discountable=spec.discountable,
            collection_id=collections.get(spec.collection_ref or "", spec.collection_ref),
            metadata=spec.metadata,
            options=spec.options,
            variants=[_variant_input(v, regions) for v in spec.variants],
            # None puts the product in the store's default channel (the service's rule).
            sales_channel_ids=_channel_ids(spec.channel_names, channels),
            images=_image_urls(spec, base_dir, copy_files=copy_files),
            tags=[catalog_services.TagInput(value=value) for value in spec.tags],
            type=catalog_services.TagInput(value=spec.type) if spec.type else None,
            category_ids=[_category_id(ref, categories) for ref in spec.category_refs],
            physical=spec.physical,
        )
        report.created["products"] += 1
        report.variants_created += len(spec.variants)
        report.prices_created += sum(len(v.prices) for v in spec.variants)


def _apply_keys(plan: SeedPlan, report: SeedReport, channels: dict[str, str]) -> None:
    for spec in plan.keys:
        if PublishableApiKey.objects.filter(title=spec.title).exists():
            report.found["publishable API keys"] += 1
            continue
        ids = _channel_ids(spec.channel_names, channels)
        if ids is None:
            # Medusa links a seeded key to the default channel when there is one.
            default_id = default_sales_channel_id()
            ids = [default_id] if default_id else []
        _call(
            spec.path,
            channel_services.publishable_api_key_create,
            title=spec.title,
            sales_channel_ids=ids,
        )
        report.created["publishable API keys"] += 1


def _apply_store(spec: StoreSpec, report: SeedReport) -> None:
    default = spec.default_currency_code
    if spec.currencies is not None and default is None:
        current = commerce_services.store_get_or_create().default_currency_code
        if current not in spec.currencies:
            # Medusa refuses this (Medusa's own starter file trips on it); we pick the first.
            default = spec.currencies[0]
            report.notes.append(
                f'store.currencies: the store default currency "{current}" is not listed; '
                f'"{default}" becomes the default'
            )
    store = commerce_services.store_get_or_create()
    wanted = {
        "name": spec.name,
        "currencies": sorted(spec.currencies) if spec.currencies is not None else None,
        "default_currency_code": default,
        "metadata": spec.metadata,
    }
    stored = {
        "name": store.name,
        "currencies": sorted(store.currencies.values_list("code", flat=True)),
        "default_currency_code": store.default_currency_code,
        "metadata": store.metadata,
    }
    if all(value is None or value == stored[key] for key, value in wanted.items()):
        report.store = "unchanged"
        return
    _call(
        spec.path,
        commerce_services.store_update,
        name=spec.name,
        currencies=spec.currencies,
        default_currency_code=default,
        metadata=spec.metadata,
    )
    report.store = "updated"


def seed_apply(
    plan: SeedPlan, *, base_dir: Path | None = None, copy_files: bool = True
) -> SeedReport:
    """Write a checked plan through the services (the caller owns the transaction).

    Image files are copied into the storage as their products are created; a storage cannot
    take part in the transaction, so a failed seed may leave copies behind (never rows).
    """
    report = SeedReport(notes=list(plan.notes))
    if plan.store is not None:
        _apply_store(plan.store, report)
    channels = _apply_channels(plan, report)
    _apply_users(plan, report)
    regions = _apply_regions(plan, report)
    _apply_shipping(plan, report, regions)
    collections = _apply_collections(plan, report)
    categories = _apply_categories(plan, report)
    _apply_products(plan, report, regions, channels, collections, categories, base_dir, copy_files)
    _apply_keys(plan, report, channels)
    default_id = default_sales_channel_id()
    if default_id:
        report.default_channel = SalesChannel.objects.get(pk=default_id).name
    return report


class _DryRun(Exception):
    """Carries the report out of the transaction it rolls back."""

    def __init__(self, report: SeedReport) -> None:
        self.report = report


def seed_load(
    data: dict[str, Any], *, dry_run: bool = False, base_dir: Path | None = None
) -> SeedReport:
    """Check then write a parsed seed file in one transaction; a dry run rolls it all back.

    `base_dir`: where the file's product image files are (the seed file's directory).
    """
    try:
        with transaction.atomic():
            # Lock the store row first, as every channel service does, so two seeds serialise.
            commerce_services.store_get_or_create()
            commerce_services.store_qs_for_update().get()
            plan = seed_plan_build(data, base_dir=base_dir)
            report = seed_apply(plan, base_dir=base_dir, copy_files=not dry_run)
            if dry_run:
                raise _DryRun(report)
    except _DryRun as done:
        done.report.dry_run = True
        return done.report
    return report


def catalog_has_products() -> bool:
    """Return whether any product row exists, deleted or not (`seed --if-empty` skips then)."""
    return Product.all_objects.exists()
