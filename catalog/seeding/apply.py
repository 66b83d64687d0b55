"""Pass 2, applying: write a checked plan through the services, and the one transaction of a seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from django.db import DatabaseError, transaction
from django.db.models import Q

from catalog import services as catalog_services
from catalog.media import image_check, image_file_store
from catalog.models import (
    Product,
    ProductCategory,
    ProductCollection,
    ProductSalesChannel,
)
from catalog.seeding.plan import (
    CategorySpec,
    ChannelSpec,
    CollectionSpec,
    KeySpec,
    ProductSpec,
    RegionSpec,
    SeedPlan,
    ShippingSpec,
    StoreSpec,
    UserSpec,
    VariantSpec,
    _is_url,
    seed_plan_build,
)
from catalog.seeding.read import (
    SeedFileError,
    _key,
)
from commerce import locks as commerce_locks
from commerce import services as commerce_services
from commerce.exceptions import CommerceError, RequestErrors
from commerce.models import Region, ShippingOption, User
from saleschannels import services as channel_services
from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel
from saleschannels.selectors import default_sales_channel_id

T = TypeVar("T")


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


def _inputs(spec: Any, *plan_only: str) -> dict[str, Any]:
    """Return a spec's fields as a service's keyword arguments, less the plan's own fields."""
    left_out = {"path", "placeholder", *plan_only}
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.name not in left_out}


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


def _region(ref: str, regions: dict[str, Region]) -> Region:
    if ref not in regions:
        regions[ref] = Region.objects.get(pk=ref)
    return regions[ref]


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
    extra_names = ("barcode", "ean", "upc")
    extra = {
        name: getattr(spec, name) for name in extra_names if getattr(spec, name) is not None
    } | spec.physical
    return catalog_services.VariantInput(
        prices=prices, extra=extra, **_inputs(spec, *extra_names, "physical", "prices")
    )


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


class _Seeding:
    """One seed run's writes: the report, and the rows that later entries refer to."""

    def __init__(self, report: SeedReport, *, base_dir: Path | None, copy_files: bool) -> None:
        self.report = report
        self.base_dir = base_dir
        self.copy_files = copy_files
        self.channels: dict[str, str] = {}  # name -> id
        self.regions: dict[str, Region] = {}  # placeholder (or id) -> region
        self.collections: dict[str, str] = {}  # placeholder -> id
        self.categories: dict[str, str] = {}  # handle and placeholder -> id

    def run(self, plan: SeedPlan) -> None:
        # Each kind of entry, in the order the seed writes them: its report row, its entries,
        # how the row already there is found (it is then left as it is) and how one is created.
        steps: tuple[tuple[str, list[Any], Callable[[Any], Any], Callable[[Any], Any]], ...] = (
            ("sales channels", plan.channels, self._channel_found, self._channel_create),
            ("users", plan.users, self._user_found, self._user_create),
            ("regions", plan.regions, self._region_found, self._region_create),
            (
                "shipping options",
                plan.shipping_options,
                self._shipping_found,
                self._shipping_create,
            ),
            (
                "product collections",
                plan.collections,
                self._collection_found,
                self._collection_create,
            ),
            ("product categories", plan.categories, self._category_found, self._category_create),
            ("products", plan.products, self._product_found, self._product_create),
            ("publishable API keys", plan.keys, self._key_found, self._key_create),
        )
        for kind, specs, find, create in steps:
            for spec in specs:
                row = find(spec)
                if row is not None:
                    self.report.found[kind] += 1
                else:
                    row = create(spec)
                    self.report.created[kind] += 1
                self._remember(spec, row)

    def _remember(self, spec: Any, row: Any) -> None:
        """Keep what a later entry may name: a channel by name, the rest by placeholder."""
        if isinstance(spec, ChannelSpec):
            self.channels[spec.name] = row.pk
        elif isinstance(spec, RegionSpec) and spec.placeholder:
            self.regions[spec.placeholder] = row
        elif isinstance(spec, CollectionSpec) and spec.placeholder:
            self.collections[spec.placeholder] = row.pk
        elif isinstance(spec, CategorySpec):
            self.categories[spec.handle] = row.pk
            if spec.placeholder:
                self.categories[spec.placeholder] = row.pk

    def _channel_found(self, spec: ChannelSpec) -> SalesChannel | None:
        return _first(SalesChannel.objects.filter(name=spec.name))

    def _channel_create(self, spec: ChannelSpec) -> SalesChannel:
        inputs = _inputs(spec, "is_default")
        pristine = _pristine_default_channel() if spec.is_default else None
        if pristine is not None:
            # A fresh store's empty "Default Sales Channel" becomes the file's default channel,
            # rather than lingering next to it.
            self.report.notes.append(
                f'{spec.path}: the empty "{channel_services.DEFAULT_CHANNEL_NAME}" was renamed '
                f'"{spec.name}" (it stays the store default)'
            )
            return _call(
                spec.path, channel_services.sales_channel_update, channel_id=pristine.pk, **inputs
            )
        channel = _call(spec.path, channel_services.sales_channel_create, **inputs)
        if spec.is_default:
            _call(
                _key(spec.path, "default"),
                channel_services.store_default_sales_channel_set,
                channel_id=channel.pk,
            )
        return channel

    def _user_found(self, spec: UserSpec) -> User | None:
        return User.objects.filter(email__iexact=spec.email).first()

    def _user_create(self, spec: UserSpec) -> User:
        # Seeded users are staff and superusers, so the login works in the Django admin too.
        return User.objects.create_superuser(**_inputs(spec))

    def _region_found(self, spec: RegionSpec) -> Region | None:
        return _first(Region.objects.filter(name=spec.name))

    def _region_create(self, spec: RegionSpec) -> Region:
        return _call(spec.path, commerce_services.region_create, **_inputs(spec))

    def _shipping_found(self, spec: ShippingSpec) -> ShippingOption | None:
        region = _region(spec.region_ref, self.regions)
        return ShippingOption.objects.filter(name=spec.name, region=region).first()

    def _shipping_create(self, spec: ShippingSpec) -> ShippingOption:
        region = _region(spec.region_ref, self.regions)
        inputs = _inputs(spec, "region_ref")
        return _call(spec.path, commerce_services.shipping_option_create, region=region, **inputs)

    def _collection_found(self, spec: CollectionSpec) -> ProductCollection | None:
        return ProductCollection.objects.filter(handle=spec.handle).first()

    def _collection_create(self, spec: CollectionSpec) -> ProductCollection:
        return _call(spec.path, catalog_services.collection_create, **_inputs(spec))

    def _category_found(self, spec: CategorySpec) -> ProductCategory | None:
        return ProductCategory.objects.filter(handle=spec.handle).first()

    def _category_create(self, spec: CategorySpec) -> ProductCategory:
        # Parents come first in the plan, so a parent's id is known by its handle.
        parent_id = self.categories[spec.parent] if spec.parent else None
        inputs = _inputs(spec, "parent")
        return _call(
            spec.path, catalog_services.category_create, parent_category_id=parent_id, **inputs
        )

    def _product_found(self, spec: ProductSpec) -> Product | None:
        return Product.objects.filter(handle=spec.handle).first()

    def _product_create(self, spec: ProductSpec) -> Product:
        product = _call(
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
            collection_id=self.collections.get(spec.collection_ref or "", spec.collection_ref),
            metadata=spec.metadata,
            options=spec.options,
            variants=[_variant_input(v, self.regions) for v in spec.variants],
            # None puts the product in the store's default channel (the service's rule).
            sales_channel_ids=_channel_ids(spec.channel_names, self.channels),
            images=_image_urls(spec, self.base_dir, copy_files=self.copy_files),
            tags=[catalog_services.TagInput(value=value) for value in spec.tags],
            type=catalog_services.TagInput(value=spec.type) if spec.type else None,
            category_ids=[_category_id(ref, self.categories) for ref in spec.category_refs],
            physical=spec.physical,
        )
        self.report.variants_created += len(spec.variants)
        self.report.prices_created += sum(len(v.prices) for v in spec.variants)
        return product

    def _key_found(self, spec: KeySpec) -> PublishableApiKey | None:
        return PublishableApiKey.objects.filter(title=spec.title).first()

    def _key_create(self, spec: KeySpec) -> PublishableApiKey:
        ids = _channel_ids(spec.channel_names, self.channels)
        if ids is None:
            # Medusa links a seeded key to the default channel when there is one.
            default_id = default_sales_channel_id()
            ids = [default_id] if default_id else []
        return _call(
            spec.path,
            channel_services.publishable_api_key_create,
            title=spec.title,
            sales_channel_ids=ids,
        )


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
    _Seeding(report, base_dir=base_dir, copy_files=copy_files).run(plan)
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
            commerce_locks.store_qs_for_update().get()
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
