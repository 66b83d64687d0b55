"""Pass 2, applying: write a checked plan through the services, and the one transaction of a seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    ProductSpec,
    SeedPlan,
    StoreSpec,
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
    current = {
        "name": store.name,
        "currencies": sorted(store.currencies.values_list("code", flat=True)),
        "default_currency_code": store.default_currency_code,
        "metadata": store.metadata,
    }
    if all(value is None or value == current[key] for key, value in wanted.items()):
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
