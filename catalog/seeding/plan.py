"""Pass 1, the plan: check the whole seed file without writing, and return what it asks for.

Shapes, types, references, duplicates and what already exists are all checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.text import slugify

from catalog.api.admin.serializers import (
    AdminPriceInputSerializer,
    AdminProductCreateInputSerializer,
    AdminProductOptionInputSerializer,
    AdminProductVariantCreateInputSerializer,
    AdminVariantOptionInputSerializer,
)
from catalog.api.admin.taxonomy import (
    AdminCategoryCreateInputSerializer,
    AdminCollectionCreateInputSerializer,
)
from catalog.models import (
    PHYSICAL_FIELDS,
    Product,
    ProductCategory,
    ProductCollection,
    ProductStatus,
)
from catalog.models import ProductVariant as Variant
from catalog.seeding.read import (
    EntryRule,
    SeedFileError,
    _array,
    _boolean,
    _currency,
    _entries,
    _generic,
    _json_object,
    _key,
    _keys,
    _kind,
    _object,
    _present,
    _required_string,
    _string,
    _string_list,
    _Unique,
    api_check,
)
from commerce.api.admin.serializers import (
    AdminRegionCreateInputSerializer,
    AdminShippingOptionCreateInputSerializer,
)
from commerce.models import Currency, PaymentProvider, Region
from saleschannels.api.admin.serializers import (
    AdminPublishableApiKeyCreateInputSerializer,
    AdminSalesChannelCreateInputSerializer,
    AdminStoreUpdateInputSerializer,
)
from saleschannels.api.admin.users import AdminUserCreateInputSerializer
from saleschannels.models import SalesChannel

# Keys Medusa's seed accepts that have no column or service here: accepted, ignored, reported.
_IGNORED_STORE = {"swap_link_template", "payment_link_template", "invite_link_template"}
_IGNORED_USER = {"role", "api_token"}
_IGNORED_REGION = frozenset(
    {"includes_tax", "automatic_taxes", "gift_cards_taxable", "tax_provider_id"}
)

# How each kind of entry is checked: its keys are its admin API input serializer's fields and
# the seed's own; `skip` lists the fields whose shape is the seed's own (read here instead).
_CHANNEL = EntryRule(AdminSalesChannelCreateInputSerializer, ("name",), own=("default",))
_REGION = EntryRule(
    AdminRegionCreateInputSerializer,
    ("name", "currency_code"),
    own=("id", "fulfillment_providers"),
    ignored=_IGNORED_REGION,
    # Countries: the seed names a bad code itself; the service checks it against ISO 3166-1.
    skip=("countries", *_IGNORED_REGION),
)
_SHIPPING = EntryRule(
    AdminShippingOptionCreateInputSerializer,
    ("name", "region_id"),
    ignored=frozenset({"requirements", "is_giftcard", "profile_id", "includes_tax"}),
    skip=("region_id", "provider_id", "price_type"),  # placeholders; manual flat rates only
)
_COLLECTION = EntryRule(AdminCollectionCreateInputSerializer, ("title",), own=("id",))
_CATEGORY = EntryRule(
    AdminCategoryCreateInputSerializer,
    ("name",),
    own=("id", "category_children"),
    ignored=frozenset({"rank", "parent_category_id", "mpath"}),  # the tree gives them
    skip=("rank", "parent_category_id"),
)
_PRODUCT = EntryRule(
    AdminProductCreateInputSerializer,
    ("title",),
    ignored=frozenset({"profile_id", "external_id"}),
    # Channels by name, categories by handle, tags and type as strings: the seed's own shapes.
    skip=("options", "variants", "sales_channels", "tags", "type", "categories"),
)
_OPTION = EntryRule(AdminProductOptionInputSerializer, ("title",), ignored=frozenset({"values"}))
_VARIANT = EntryRule(
    AdminProductVariantCreateInputSerializer,
    ("title",),
    ignored=frozenset({"variant_rank"}),
    skip=("prices", "options"),
)
_OPTION_VALUE = EntryRule(
    AdminVariantOptionInputSerializer, ("value",), ignored=frozenset({"option_id"})
)
_PRICE = EntryRule(
    AdminPriceInputSerializer,
    ("amount",),
    ignored=frozenset({"min_quantity", "max_quantity"}),
    skip=("region_id",),  # a placeholder
)


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


# ---- PASS 1: CHECK THE WHOLE FILE ----


@dataclass
class _Walk:
    """What pass 1 carries from entry to entry, for the readers that need more than the entry.

    `notes`: what the report says was accepted but ignored (collected in file order).
    `currencies`: the codes the database knows. `region_placeholders`: the `id`s of the file's
    regions, which a `region_id` may name once the regions are read (`region_ref`).
    """

    notes: list[str]
    currencies: set[str]
    region_placeholders: set[str] = field(default_factory=set)
    live_region_ids: set[str] = field(default_factory=set)  # found in the database already

    def region_ref(self, obj: dict[str, Any], path: str, *, required: bool) -> str | None:
        """Return the entry's `region_id`: a placeholder of the file, or a region in the database."""
        ref = _string(obj, "region_id", path, required=required)
        if ref is None or ref in self.region_placeholders or ref in self.live_region_ids:
            return ref
        if Region.objects.filter(pk=ref).exists():
            self.live_region_ids.add(ref)
            return ref
        raise SeedFileError(
            _key(path, "region_id"),
            f'unknown region "{ref}": no entry of regions has this id and no region in the '
            "database has it",
        )


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
    walk = _Walk(notes, currencies=set(Currency.objects.values_list("code", flat=True)))

    if data.get("store") is not None:
        plan.store = _store_spec(_object(data["store"], "store"), walk)

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
        # The password is not the API's: seeded logins are for development (no length rule).
        api_check(AdminUserCreateInputSerializer, obj, path, skip=("password",))
        email = _required_string(obj, "email", path, max_length=None).strip().lower()
        emails.add(email, _key(path, "email"))
        plan.users.append(
            UserSpec(
                path=path,
                email=email,
                metadata=_json_object(obj, "metadata", path),
                password=_string(obj, "password", path, max_length=None),
                first_name=_string(obj, "first_name", path, max_length=None, blank=True) or "",
                last_name=_string(obj, "last_name", path, max_length=None, blank=True) or "",
            )
        )

    plan.regions = _region_specs(data, walk)
    walk.region_placeholders = {spec.placeholder for spec in plan.regions if spec.placeholder}

    shipping_names = _Unique("shipping option")
    for path, obj in _entries(data, "shipping_options"):
        _SHIPPING.check(obj, path, notes)
        name = _required_string(obj, "name", path, max_length=None)
        ref = walk.region_ref(obj, path, required=True)
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
                amount=_present(obj, "amount", path),
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
        spec = _product_spec(obj, path, walk)
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
        api_check(AdminPublishableApiKeyCreateInputSerializer, obj, path)
        title = _required_string(obj, "title", path, max_length=None)
        titles.add(title, _key(path, "title"))
        plan.keys.append(
            KeySpec(path=path, title=title, channel_names=_string_list(obj, "sales_channels", path))
        )

    _check_channel_names(plan, file_channels)
    _check_skus_against_database(plan)
    plan.notes = list(dict.fromkeys(notes))
    return plan


def _store_spec(obj: dict[str, Any], walk: _Walk) -> StoreSpec:
    if "default_sales_channel_id" in obj:
        raise SeedFileError(
            "store.default_sales_channel_id",
            'is not accepted; mark a channel of sales_channels with "default": true instead',
        )
    _keys(
        obj,
        "store",
        walk.notes,
        optional=("name", "currencies", "default_currency_code", "metadata"),
        ignored=_IGNORED_STORE,
    )
    api_check(AdminStoreUpdateInputSerializer, obj, "store")
    codes = _string_list(obj, "currencies", "store")
    if codes is not None:
        codes = [code.lower() for code in codes]
        for index, code in enumerate(codes):
            if code not in walk.currencies:
                raise SeedFileError(f"store.currencies[{index}]", f'unknown currency "{code}"')
    default = _currency(obj, "default_currency_code", "store", walk.currencies)
    if default is not None and codes is not None and default not in codes:
        raise SeedFileError(
            "store.default_currency_code", f'"{default}" must be one of store.currencies'
        )
    return StoreSpec(
        path="store",
        name=_string(obj, "name", "store", max_length=None),
        currencies=codes,
        default_currency_code=default,
        metadata=_json_object(obj, "metadata", "store"),
    )


def _channel_specs(data: dict[str, Any], notes: list[str]) -> list[ChannelSpec]:
    specs = []
    names = _Unique("name")
    default_path = None
    for path, obj in _entries(data, "sales_channels"):
        _CHANNEL.check(obj, path, notes)
        name = _required_string(obj, "name", path, max_length=None)
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
    value = obj.get("tax_rate", 0)
    if value is None:
        raise SeedFileError(_key(path, "tax_rate"), "must not be null")
    return Decimal(str(value))  # checked by the API's serializer (api_check)


def _region_specs(data: dict[str, Any], walk: _Walk) -> list[RegionSpec]:
    specs = []
    names = _Unique("name")
    ids = _Unique("id")
    providers = set(PaymentProvider.objects.filter(is_installed=True).values_list("id", flat=True))
    for path, obj in _entries(data, "regions"):
        _REGION.check_keys(obj, path, walk.notes)
        _manual_only(obj, "fulfillment_providers", path, walk.notes)
        api_check(_REGION.serializer_class, obj, path, skip=_REGION.skip)
        name = _required_string(obj, "name", path, max_length=None)
        names.add(name, _key(path, "name"))
        placeholder = _placeholder(obj, path, ids)
        currency = _currency(obj, "currency_code", path, walk.currencies)
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
                    walk.notes.append(
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
                tax_code=_string(obj, "tax_code", path, max_length=None),
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
        specs.append(
            CollectionSpec(
                **_handled_entry(_COLLECTION, obj, path, notes, "title", handles, ids),
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
            spec = CategorySpec(
                **_handled_entry(_CATEGORY, obj, where, notes, "name", handles, ids),
                description=_string(obj, "description", where, max_length=None, blank=True) or "",
                parent=parent,
                is_active=_boolean(obj, "is_active", where, default=False),
                is_internal=_boolean(obj, "is_internal", where, default=False),
                metadata=_json_object(obj, "metadata", where),
            )
            specs.append(spec)
            walk(
                _array(obj, "category_children", where) or [],
                f"{where}.category_children",
                spec.handle,
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
    """Return the given physical fields (checked with the rest of the entry by `api_check`)."""
    return {name: obj[name] for name in PHYSICAL_FIELDS if obj.get(name) is not None}


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
    handle = _string(obj, "handle", path, max_length=None)
    if handle is not None:
        return handle
    handle = slugify(title)
    if not handle:
        raise SeedFileError(
            _key(path, "handle"), "is required when the title gives no usable handle"
        )
    return handle


def _handled_entry(
    rule: EntryRule,
    obj: dict[str, Any],
    path: str,
    notes: list[str],
    title_key: str,
    handles: _Unique,
    ids: _Unique,
) -> dict[str, Any]:
    """Check a collection or category entry; return the spec fields both kinds have.

    Its title (or name), its handle (given, or made from the title) and its placeholder (`id`,
    which other entries refer to); the handle and the placeholder are unique in the file.
    """
    rule.check(obj, path, notes)
    title = _required_string(obj, title_key, path, max_length=None)
    handle = _handle(obj, path, title)
    handles.add(handle, _key(path, "handle" if "handle" in obj else title_key))
    return {
        "path": path,
        title_key: title,
        "handle": handle,
        "placeholder": _placeholder(obj, path, ids),
    }


def _placeholder(obj: dict[str, Any], path: str, ids: _Unique) -> str | None:
    """Return the entry's `id`: a placeholder other entries refer to, unique in the file."""
    placeholder = _string(obj, "id", path)
    if placeholder is not None:
        ids.add(placeholder, _key(path, "id"))
    return placeholder


def _checked_entries(
    obj: dict[str, Any], key: str, path: str, rule: EntryRule, notes: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield each entry of the array `key` with its path, as an object checked against `rule`.

    One at a time: an entry is checked (and read by the caller) before the next is looked at.
    """
    for index, item in enumerate(_array(obj, key, path) or []):
        where = f"{_key(path, key)}[{index}]"
        entry = _object(item, where)
        rule.check(entry, where, notes)
        yield where, entry


def _product_spec(obj: dict[str, Any], path: str, walk: _Walk) -> ProductSpec:
    _PRODUCT.check(obj, path, walk.notes)
    title = _required_string(obj, "title", path, max_length=None)
    status = obj.get("status") or ProductStatus.PUBLISHED
    thumbnail = obj.get("thumbnail") or None
    images = _string_list(obj, "images", path) or []
    product_type = obj.get("type")
    if isinstance(product_type, dict):
        product_type = _required_string(product_type, "value", _key(path, "type"))
    elif product_type is not None:
        product_type = _string(obj, "type", path)

    options: list[str] = []
    option_titles = _Unique("option title")
    for where, option in _checked_entries(obj, "options", path, _OPTION, walk.notes):
        option_title = _required_string(option, "title", where, max_length=None)
        option_titles.add(option_title, _key(where, "title"))
        options.append(option_title)

    variants = []
    combinations = _Unique("combination of option values")
    for where, variant in _checked_entries(obj, "variants", path, _VARIANT, walk.notes):
        spec = _variant_spec(variant, where, walk)
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
        subtitle=_string(obj, "subtitle", path, max_length=None, blank=True),
        description=_string(obj, "description", path, max_length=None, blank=True),
        status=status,
        thumbnail=thumbnail,
        is_giftcard=_boolean(obj, "is_giftcard", path, default=False),
        discountable=_boolean(obj, "discountable", path, default=True),
        collection_ref=_string(obj, "collection_id", path, max_length=None),
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


def _variant_spec(obj: dict[str, Any], path: str, walk: _Walk) -> VariantSpec:
    """Read a variant entry already checked against `_VARIANT` (by `_checked_entries`)."""
    values = [
        _required_string(value, "value", where, max_length=None)
        for where, value in _checked_entries(obj, "options", path, _OPTION_VALUE, walk.notes)
    ]
    prices = []
    for where, price in _checked_entries(obj, "prices", path, _PRICE, walk.notes):
        currency = _currency(price, "currency_code", where, walk.currencies)
        ref = walk.region_ref(price, where, required=False)
        if currency is None and ref is None:
            raise SeedFileError(where, "needs a currency_code or a region_id")
        prices.append(
            PriceSpec(
                path=where,
                currency_code=currency,
                region_ref=ref,
                amount=_present(price, "amount", where),
            )
        )
    return VariantSpec(
        path=path,
        title=_required_string(obj, "title", path, max_length=None),
        sku=_string(obj, "sku", path, max_length=None),
        barcode=_string(obj, "barcode", path, max_length=None),
        ean=_string(obj, "ean", path, max_length=None),
        upc=_string(obj, "upc", path, max_length=None),
        inventory_quantity=_present(obj, "inventory_quantity", path, default=0),
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
