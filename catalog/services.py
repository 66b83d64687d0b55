"""Writes on products, variants, prices and the product↔channel links. Each public function is one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.text import slugify

from catalog import hooks, selectors
from catalog.exceptions import (
    CollectionHandleTaken,
    CollectionNotFound,
    ProductCategoryCycle,
    ProductCategoryHandleTaken,
    ProductCategoryHasChildren,
    ProductCategoryNotFound,
    ProductHandleTaken,
    ProductNotFound,
    VariantNotFound,
    VariantOptionsMismatch,
    VariantSkuTaken,
)
from catalog.locks import (
    categories_qs_for_update,
    channel_links_for_delete,
    collections_qs_for_update,
    products_qs_for_update,
    variants_qs_for_update,
)
from catalog.media import image_file_store
from catalog.models import (
    PHYSICAL_FIELDS,
    ChannelProductCount,
    Image,
    Price,
    Product,
    ProductCategory,
    ProductCollection,
    ProductOption,
    ProductOptionValue,
    ProductSalesChannel,
    ProductStatus,
    ProductTag,
    ProductType,
    ProductVariant,
    product_state,
)
from catalog.versions import touch_products
from commerce import flags
from commerce.events import Event, EventType, emit
from commerce.exceptions import InvalidData, NotFound, PropertyShouldNotExist
from commerce.ids import generate_id
from commerce.lookups import existing_ids, first_or_raise
from commerce.models import Region
from commerce.reusable_sql import json_ids_sql as _json_ids_sql
from commerce.updates import UNSET as _UNSET
from commerce.updates import changes_apply
from saleschannels import signals as channel_signals
from saleschannels.exceptions import (
    ProductsDoNotExist,
    SalesChannelNotFound,
    SalesChannelsDoNotExist,
)
from saleschannels.locks import live_channel_for_update, live_channels_shared
from saleschannels.models import SalesChannel
from saleschannels.scope import (
    EVERY_CHANNEL,
    ChannelScope,
    require_channels_in_scope,
    restrict,
    scoped_or_raise,
)
from saleschannels.selectors import default_sales_channel_id
from saleschannels.services import ensure_default_sales_channel


@dataclass(frozen=True)
class PriceInput:
    currency_code: str
    amount: int
    region_id: str | None = None


@dataclass(frozen=True)
class VariantInput:
    title: str
    sku: str | None = None
    inventory_quantity: int = 0
    manage_inventory: bool = True
    allow_backorder: bool = False
    prices: Sequence[PriceInput] = ()
    option_values: Sequence[str] = ()  # one per product option, in the product's option order
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # barcode, ean, upc


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _existing_channel_ids(channel_ids: Iterable[str]) -> list[str]:
    return existing_ids(SalesChannel.objects.all(), channel_ids, SalesChannelsDoNotExist)


def _default_channel_id() -> str:
    channel_id = default_sales_channel_id()
    if channel_id is None:
        channel = ensure_default_sales_channel()
        assert channel is not None  # the feature is on when we get here  # noqa: S101
        channel_id = channel.pk
    return channel_id


def _product_event(
    event_type: EventType, product: Product, channel_ids: list[str], **extra: Any
) -> Event:
    data = {
        "id": product.pk,
        "title": product.title,
        "handle": product.handle,
        "status": product.status,
        "sales_channel_ids": channel_ids,
    }
    return Event(type=event_type, data=data | extra, sales_channel_ids=channel_ids)


def _product_channel_ids(product_id: str) -> list[str]:
    return list(
        ProductSalesChannel.objects.filter(product_id=product_id)
        .order_by("sales_channel_id")
        .values_list("sales_channel_id", flat=True)
    )


def _links_event(channel_id: str, ids: list[str], *, added: bool) -> Event:
    """One event per channel and batch: `{"id": channel, "product_ids": [...]}`, with the signal."""
    payload = {"id": channel_id, "product_ids": ids}
    return Event(
        type=(
            EventType.SALES_CHANNEL_PRODUCTS_ADDED
            if added
            else EventType.SALES_CHANNEL_PRODUCTS_REMOVED
        ),
        data=payload,
        sales_channel_ids=[channel_id],
        signal=(
            channel_signals.sales_channel_products_added
            if added
            else channel_signals.sales_channel_products_removed
        ),
        sender=SalesChannel,
        signal_payload=payload,
    )


def _handle_check(
    model: type[Product] | type[ProductCollection] | type[ProductCategory],
    handle: str,
    taken_error: Callable[[str], Exception],
    *,
    exclude_id: str | None = None,
) -> None:
    """Refuse an empty handle, or one another live row of the model has (not `exclude_id`)."""
    if not handle:
        raise InvalidData("handle must not be empty")
    taken = model.objects.filter(handle=handle)
    if exclude_id:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise taken_error(handle)


def _check_skus_free(
    skus: Iterable[str | None], *, exclude_variant_ids: Iterable[str] = ()
) -> None:
    wanted = [s for s in skus if s]
    duplicates = {s for s in wanted if wanted.count(s) > 1}
    if duplicates:
        raise VariantSkuTaken(sorted(duplicates)[0])
    if wanted:
        taken = (
            ProductVariant.objects.filter(sku__in=wanted)
            .exclude(pk__in=list(exclude_variant_ids))
            .values_list("sku", flat=True)
            .first()
        )
        if taken:
            raise VariantSkuTaken(taken)


def _create_variants(
    product: Product, options: list[ProductOption], variants: Sequence[VariantInput]
) -> None:
    rows: list[ProductVariant] = []
    values: list[ProductOptionValue] = []
    prices: list[Price] = []
    for rank, spec in enumerate(variants):
        if options and len(spec.option_values) != len(options):
            raise VariantOptionsMismatch(spec.title, len(options), len(spec.option_values))
        if spec.inventory_quantity < 0:
            raise InvalidData("inventory_quantity must not be less than 0")
        variant = ProductVariant(
            product=product,
            title=spec.title,
            sku=spec.sku or None,
            inventory_quantity=spec.inventory_quantity,
            manage_inventory=spec.manage_inventory,
            allow_backorder=spec.allow_backorder,
            variant_rank=rank,
            metadata=spec.metadata,
            **spec.extra,
        )
        rows.append(variant)
        values.extend(
            ProductOptionValue(option=option, variant=variant, value=value)
            for option, value in zip(options, spec.option_values, strict=False)
        )
        prices.extend(_price_rows(variant, spec.prices))
    _check_regions_exist(prices)
    ProductVariant.objects.bulk_create(rows)
    ProductOptionValue.objects.bulk_create(values)
    Price.objects.bulk_create(prices)
    hooks.variants_created.send(sender=ProductVariant, variants=rows)


def _price_rows(variant: ProductVariant, prices: Sequence[PriceInput]) -> list[Price]:
    rows = []
    for price in prices:
        if price.amount < 0:
            raise InvalidData("amount must not be less than 0")
        rows.append(
            Price(
                variant=variant,
                currency_code=price.currency_code.lower(),
                amount=price.amount,
                region_id=price.region_id,
            )
        )
    return rows


@transaction.atomic
def product_create(
    *,
    title: str,
    handle: str | None = None,
    subtitle: str | None = None,
    description: str | None = None,
    status: str = ProductStatus.DRAFT,
    thumbnail: str | None = None,
    is_giftcard: bool = False,
    discountable: bool = True,
    collection_id: str | None = None,
    metadata: dict[str, Any] | None = None,
    options: Sequence[str] = (),
    variants: Sequence[VariantInput] = (),
    sales_channel_ids: Sequence[str] | None = None,
    images: Sequence[str] = (),
    tags: Sequence[TagInput] = (),
    type: TagInput | None = None,
    category_ids: Sequence[str] = (),
    physical: dict[str, Any] | None = None,
    scope: ChannelScope = EVERY_CHANNEL,
) -> Product:
    """Create a product with its options, variants and prices.

    `images` are URLs (the first one is the thumbnail when none is given, as in Medusa); `tags`
    and `type` are values (or ids) of tags and types, made when new; `category_ids` must exist.
    A user scoped to channels may only put it in their channels (the default one included, when
    none is given).

    With the sales-channels feature on, a product created without channels (None or empty) goes
    into the store's default channel, as in Medusa. Unknown channels are refused, listed.
    """
    channels_on = flags.sales_channels_enabled()
    if not channels_on and sales_channel_ids:
        raise PropertyShouldNotExist("sales_channels")
    handle = handle or slugify(title)
    _handle_check(Product, handle, ProductHandleTaken)
    _check_skus_free(v.sku for v in variants)
    if collection_id and not ProductCollection.objects.filter(pk=collection_id).exists():
        raise CollectionNotFound(collection_id)
    _check_physical(physical or {})
    categories = _existing_category_ids(category_ids)
    channel_ids: list[str] = []
    if channels_on:
        channel_ids = (
            _existing_channel_ids(sales_channel_ids)
            if sales_channel_ids
            else [_default_channel_id()]
        )
        require_channels_in_scope(scope, channel_ids)

    product = Product.objects.create(
        title=title,
        handle=handle,
        subtitle=subtitle,
        description=description,
        status=status,
        thumbnail=thumbnail or (images[0] if images else None),
        is_giftcard=is_giftcard,
        discountable=discountable,
        collection_id=collection_id,
        metadata=metadata,
        type=_type_get_or_create(type) if type else None,
        **(physical or {}),
    )
    _images_replace(product, images)
    if tags:
        product.tags.set(_tags_get_or_create(tags))
    if categories:
        product.categories.set(categories)
    option_rows = ProductOption.objects.bulk_create(
        [ProductOption(product=product, title=t) for t in options]
    )
    _create_variants(product, option_rows, variants)
    ProductSalesChannel.objects.bulk_create(
        [ProductSalesChannel(product=product, sales_channel_id=cid) for cid in channel_ids]
    )
    emit(_product_event(EventType.PRODUCT_CREATED, product, channel_ids))
    touch_products([product.pk])
    return product


def _product_for_update(product_id: str, scope: ChannelScope = EVERY_CHANNEL) -> Product:
    """Lock a live product the scope may change.

    404 when the scope cannot see it; 403 when one of its channels is outside the scope (a
    product is changed only by whoever has all its channels).
    """
    product = scoped_or_raise(
        products_qs_for_update(), scope, product_id, ProductNotFound(product_id)
    )
    if scope.restricted:
        channel_ids = ProductSalesChannel.objects.filter(
            product_id=product_id, sales_channel__deleted_at__isnull=True
        ).values_list("sales_channel_id", flat=True)
        require_channels_in_scope(scope, channel_ids)
    return product


_PRODUCT_FIELDS = (
    "title",
    "subtitle",
    "description",
    "status",
    "thumbnail",
    "is_giftcard",
    "discountable",
    "collection_id",
    "metadata",
    "handle",
    *PHYSICAL_FIELDS,
)


@transaction.atomic
def product_update(
    *,
    product_id: str,
    sales_channel_ids: Sequence[str] | None = _UNSET,
    images: Sequence[str] | None = _UNSET,
    tags: Sequence[TagInput] | None = _UNSET,
    type: TagInput | None = _UNSET,
    category_ids: Sequence[str] | None = _UNSET,
    scope: ChannelScope = EVERY_CHANNEL,
    **changes: Any,
) -> Product:
    """Update a product's fields and, when `sales_channel_ids` is given, replace its channels.

    As in Medusa: omitted leaves the channels alone; None or [] removes them all; a list replaces
    them with exactly that set. `images`, `tags` and `category_ids` work the same way; `type`
    None clears the type.
    """
    if "status" in changes:  # its links copy it: wait for those being written (lock order)
        live_channels_shared()
    product = _product_for_update(product_id, scope)
    unknown = set(changes) - set(_PRODUCT_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if changes.get("handle") and changes["handle"] != product.handle:
        _handle_check(Product, changes["handle"], ProductHandleTaken, exclude_id=product.pk)
    if (
        changes.get("collection_id")
        and not ProductCollection.objects.filter(pk=changes["collection_id"]).exists()
    ):
        raise CollectionNotFound(changes["collection_id"])
    _check_physical({k: v for k, v in changes.items() if k in PHYSICAL_FIELDS})
    categories = _existing_category_ids(category_ids or []) if category_ids is not _UNSET else None
    if type is not _UNSET:
        changes["type"] = _type_get_or_create(type) if type else None
    changes_apply(product, changes)
    if "status" in changes:  # new links below take it from `product`
        ProductSalesChannel.objects.filter(product=product).update(**product_state(product))
    if images is not _UNSET:
        _images_replace(product, images or [])
    if tags is not _UNSET:
        product.tags.set(_tags_get_or_create(tags or []))
    if categories is not None:
        product.categories.set(categories)  # type: ignore[arg-type]  # ids: Django takes primary keys

    before = _product_channel_ids(product.pk)
    after = before
    if sales_channel_ids is not _UNSET:
        if not flags.sales_channels_enabled():
            raise PropertyShouldNotExist("sales_channels")
        wanted = _existing_channel_ids(sales_channel_ids or [])
        require_channels_in_scope(scope, wanted)
        ProductSalesChannel.objects.filter(product=product).exclude(
            sales_channel_id__in=wanted
        ).delete()
        ProductSalesChannel.objects.bulk_create(
            [ProductSalesChannel(product=product, sales_channel_id=cid) for cid in wanted],
            ignore_conflicts=True,
        )
        after = sorted(wanted)
    event = _product_event(EventType.PRODUCT_UPDATED, product, after)
    removed = [cid for cid in before if cid not in after]
    # A channel the product just left is concerned too: its feed must drop the product.
    emit(Event(type=event.type, data=event.data, sales_channel_ids=[*after, *removed]))
    touch_products([product.pk])
    return product


@transaction.atomic
def product_delete(*, product_id: str, scope: ChannelScope = EVERY_CHANNEL) -> None:
    """Soft-delete a product and its variants. Orders keep their item snapshots. Idempotent."""
    live_channels_shared()  # its links copy its deletion: wait for those being written
    if scope.restricted:
        _product_for_update(product_id, scope)  # 404 / 403 outside the scope
    now = timezone.now()
    updated = Product.objects.filter(pk=product_id).update(deleted_at=now, updated_at=now)
    if updated:
        ProductVariant.objects.filter(product_id=product_id).update(deleted_at=now, updated_at=now)
        ProductSalesChannel.objects.filter(product_id=product_id).update(product_deleted=True)
        channel_ids = _product_channel_ids(product_id)  # links are kept on a soft delete
        emit(
            Event(
                type=EventType.PRODUCT_DELETED,
                data={"id": product_id, "sales_channel_ids": channel_ids},
                sales_channel_ids=channel_ids,
            )
        )
        touch_products([product_id])


# ---- VARIANTS AND PRICES ----


@transaction.atomic
def variant_create(*, product_id: str, variant: VariantInput) -> ProductVariant:
    """Add a variant (with prices) to a product."""
    product = _product_for_update(product_id)
    _check_skus_free([variant.sku])
    options = list(product.options.order_by("created_at", "id"))
    _create_variants(product, options, [variant])
    touch_products([product.pk], listings=False)
    return ProductVariant.objects.filter(product=product).order_by("-created_at", "-id").first()


# What a variant update may change: every column of its own but its id, dates and product.
_VARIANT_FIELDS = frozenset(
    field.name
    for field in ProductVariant._meta.concrete_fields
    if field.name not in {"id", "created_at", "updated_at", "deleted_at", "product"}
)


@transaction.atomic
def variant_update(
    *, variant_id: str, prices: Sequence[PriceInput] | None = None, **changes: Any
) -> ProductVariant:
    """Update a variant's fields; when `prices` is given, replace its prices with that set."""
    variant = first_or_raise(
        variants_qs_for_update().filter(pk=variant_id, deleted_at__isnull=True),
        VariantNotFound(variant_id),
    )
    unknown = set(changes) - set(_VARIANT_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if changes.get("sku") and changes["sku"] != variant.sku:
        _check_skus_free([changes["sku"]], exclude_variant_ids=[variant.pk])
    if changes.get("inventory_quantity") is not None and changes["inventory_quantity"] < 0:
        raise InvalidData("inventory_quantity must not be less than 0")
    changes_apply(variant, changes)
    if prices is not None:
        rows = _price_rows(variant, prices)
        _check_regions_exist(rows)
        variant.prices.all().delete()
        Price.objects.bulk_create(rows)
    touch_products([variant.product_id], listings=False)
    return variant


@transaction.atomic
def variant_delete(*, variant_id: str) -> None:
    """Soft-delete a variant. Idempotent."""
    if ProductVariant.objects.filter(pk=variant_id).update(deleted_at=timezone.now()):
        touch_products(
            ProductVariant.all_objects.filter(pk=variant_id).values("product_id"), listings=False
        )


# ---- COLLECTIONS ----


@transaction.atomic
def collection_create(
    *, title: str, handle: str | None = None, metadata: dict[str, Any] | None = None
) -> ProductCollection:
    """Create a product collection; its handle (made from the title when not given) is unique."""
    handle = handle or slugify(title)
    _handle_check(ProductCollection, handle, CollectionHandleTaken)
    return ProductCollection.objects.create(title=title, handle=handle, metadata=metadata)


def _collection_for_update(collection_id: str) -> ProductCollection:
    return first_or_raise(
        collections_qs_for_update().filter(pk=collection_id), CollectionNotFound(collection_id)
    )


@transaction.atomic
def collection_update(*, collection_id: str, **changes: Any) -> ProductCollection:
    """Change a collection's title, handle or metadata."""
    collection = _collection_for_update(collection_id)
    unknown = set(changes) - {"title", "handle", "metadata"}
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if "handle" in changes and changes["handle"] != collection.handle:
        _handle_check(
            ProductCollection, changes["handle"], CollectionHandleTaken, exclude_id=collection.pk
        )
    changes_apply(collection, changes)
    touch_products(Product.all_objects.filter(collection=collection), listings=False)
    return collection


@transaction.atomic
def collection_delete(*, collection_id: str) -> None:
    """Soft-delete a collection; its products leave it (as in Medusa). Idempotent."""
    now = timezone.now()
    if ProductCollection.objects.filter(pk=collection_id).update(deleted_at=now, updated_at=now):
        touch_products(Product.all_objects.filter(collection_id=collection_id), listings=False)
        Product.all_objects.filter(collection_id=collection_id).update(
            collection=None, updated_at=now
        )


def _products_changeable_check(product_ids: Sequence[str], scope: ChannelScope) -> None:
    """Refuse products a scoped user may not change.

    Unseen ones answer as unknown (400, listed); seen ones with a channel outside the scope 403 (a
    product is changed only by whoever has all its channels, as in `_product_for_update`).
    """
    if not scope.restricted or not product_ids:
        return
    seen = set(
        restrict(Product.objects.filter(pk__in=product_ids), scope).values_list("pk", flat=True)
    )
    unseen = [pid for pid in product_ids if pid not in seen]
    if unseen:
        raise ProductsDoNotExist(unseen)
    channel_ids = ProductSalesChannel.objects.filter(
        product_id__in=product_ids, sales_channel__deleted_at__isnull=True
    ).values_list("sales_channel_id", flat=True)
    require_channels_in_scope(scope, channel_ids)


def _products_relink(
    product_ids: Iterable[str],
    scope: ChannelScope,
    *,
    linking: bool,
    write: Callable[[list[str]], object],
) -> list[str]:
    """Put products in (or take them out of) a collection or category.

    The scope must allow changing each product; when `linking`, unknown products are refused
    (400, all listed). Then `write(ids)`, and the products' versions move on. Returns the ids
    asked for, once each.
    """
    ids = _unique(product_ids)
    _products_changeable_check(ids, scope)
    if ids:
        if linking:
            missing = _products_missing(product_ids=ids)
            if missing:
                raise ProductsDoNotExist([pid for pid in ids if pid in missing])
        write(ids)
        touch_products(ids, listings=False)
    return ids


@transaction.atomic
def collection_products_add(
    *, collection_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> ProductCollection:
    """Put products in a collection (moving them from any other). Unknown products: 400, listed."""
    collection = _collection_for_update(collection_id)
    _products_relink(
        product_ids,
        scope,
        linking=True,
        write=lambda ids: Product.objects.filter(pk__in=ids).update(
            collection=collection, updated_at=timezone.now()
        ),
    )
    return collection


@transaction.atomic
def collection_products_remove(
    *, collection_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> list[str]:
    """Take products out of a collection; those not in it are ignored. Returns the ids asked for."""
    collection = _collection_for_update(collection_id)
    return _products_relink(
        product_ids,
        scope,
        linking=False,
        write=lambda ids: Product.all_objects.filter(pk__in=ids, collection=collection).update(
            collection=None, updated_at=timezone.now()
        ),
    )


# ---- CATEGORIES ----


def _category_for_update(category_id: str) -> ProductCategory:
    return first_or_raise(
        categories_qs_for_update().filter(pk=category_id), ProductCategoryNotFound(category_id)
    )


def _existing_category_ids(category_ids: Iterable[str]) -> list[str]:
    return existing_ids(
        ProductCategory.objects.all(),
        category_ids,
        lambda missing: ProductCategoryNotFound(missing[0]),
    )


def _sibling_ranks_close(parent_id: str | None, *, exclude_id: str | None = None) -> int:
    """Renumber a parent's children 0, 1, 2, … in their order; return how many there are."""
    siblings = ProductCategory.objects.filter(parent_category_id=parent_id)
    if exclude_id:
        siblings = siblings.exclude(pk=exclude_id)
    ordered = list(siblings.order_by("rank", "created_at", "id"))
    changed = []
    for rank, sibling in enumerate(ordered):
        if sibling.rank != rank:
            sibling.rank = rank
            changed.append(sibling)
    ProductCategory.objects.bulk_update(changed, ["rank"])
    return len(ordered)


def _category_place(category: ProductCategory, *, rank: int | None) -> None:
    """Put a category at `rank` among its siblings (the end when None), shifting the others."""
    count = _sibling_ranks_close(category.parent_category_id, exclude_id=category.pk)
    wanted = count if rank is None else min(rank, count)
    ProductCategory.objects.filter(
        parent_category_id=category.parent_category_id, rank__gte=wanted
    ).exclude(pk=category.pk).update(rank=F("rank") + 1)
    category.rank = wanted


@transaction.atomic
def category_create(
    *,
    name: str,
    handle: str | None = None,
    description: str = "",
    parent_category_id: str | None = None,
    is_active: bool = False,
    is_internal: bool = False,
    rank: int | None = None,
    metadata: dict[str, Any] | None = None,
) -> ProductCategory:
    """Create a category at the end of its parent's children (or at `rank`).

    Its handle (made from the name when not given) is unique. New categories are inactive unless
    said otherwise, as in Medusa: the store shows only active, non-internal categories.
    """
    handle = handle or slugify(name)
    _handle_check(ProductCategory, handle, ProductCategoryHandleTaken)
    parent = _category_for_update(parent_category_id) if parent_category_id else None
    category = ProductCategory(
        name=name,
        handle=handle,
        description=description or "",
        parent_category=parent,
        is_active=is_active,
        is_internal=is_internal,
        metadata=metadata,
    )
    category.id = generate_id(ProductCategory.id_prefix)
    category.mpath = f"{parent.mpath}.{category.pk}" if parent else category.pk
    _category_place(category, rank=rank)
    category.save(force_insert=True)
    return category


_CATEGORY_FIELDS = ("name", "handle", "description", "is_active", "is_internal", "metadata")


@transaction.atomic
def category_update(
    *,
    category_id: str,
    parent_category_id: str | None = _UNSET,
    rank: int | None = _UNSET,
    **changes: Any,
) -> ProductCategory:
    """Change a category; a new parent moves it with everything below it (paths rewritten).

    A move locks the category and its new parent in id order, so two opposite moves at once
    (A under B, B under A) wait for each other instead of deadlocking; the second then sees the
    first's paths and is refused as a cycle.
    """
    if parent_category_id not in (_UNSET, None):
        locked = {
            row.pk: row
            for row in categories_qs_for_update()
            .filter(pk__in=sorted({category_id, parent_category_id}))
            .order_by("pk")
        }
        for wanted in (category_id, parent_category_id):
            if wanted is not None and wanted not in locked:
                raise ProductCategoryNotFound(wanted)
    category = _category_for_update(category_id)
    unknown = set(changes) - set(_CATEGORY_FIELDS)
    if unknown:
        raise PropertyShouldNotExist(sorted(unknown)[0])
    if "handle" in changes and changes["handle"] != category.handle:
        _handle_check(
            ProductCategory, changes["handle"], ProductCategoryHandleTaken, exclude_id=category.pk
        )
    if "description" in changes:
        changes["description"] = changes["description"] or ""
    fields = changes_apply(category, changes, save=False)
    moving = parent_category_id is not _UNSET and parent_category_id != category.parent_category_id
    if moving:
        parent = _category_for_update(parent_category_id) if parent_category_id else None
        if parent is not None and (
            parent.pk == category.pk or parent.mpath.startswith(f"{category.mpath}.")
        ):
            raise ProductCategoryCycle(category.pk)
        old_parent_id, old_path = category.parent_category_id, category.mpath
        category.parent_category = parent
        new_path = f"{parent.mpath}.{category.pk}" if parent else category.pk
        # Everything below keeps its path after the category's own part.
        ProductCategory.objects.filter(mpath__startswith=f"{old_path}.").update(
            mpath=Concat(Value(new_path), Substr("mpath", len(old_path) + 1))
        )
        category.mpath = new_path
        _category_place(category, rank=None if rank is _UNSET else rank)
        category.save(update_fields=[*fields, "parent_category", "mpath", "rank"])
        _sibling_ranks_close(old_parent_id)
        touch_products(category.products.values_list("pk", flat=True), listings=False)
        return category
    if rank is not _UNSET and rank is not None and rank != category.rank:
        _category_place(category, rank=rank)
        fields.append("rank")
    category.save(update_fields=fields)
    touch_products(category.products.values_list("pk", flat=True), listings=False)
    return category


@transaction.atomic
def category_delete(*, category_id: str) -> None:
    """Delete a category (a real delete, as in Medusa); one with children is refused. Idempotent."""
    category = categories_qs_for_update().filter(pk=category_id).first()
    if category is None:
        return
    if ProductCategory.objects.filter(parent_category_id=category.pk).exists():
        raise ProductCategoryHasChildren(category.pk)
    parent_id = category.parent_category_id
    touch_products(category.products.values_list("pk", flat=True), listings=False)
    category.delete()
    _sibling_ranks_close(parent_id)


@transaction.atomic
def category_products_add(
    *, category_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> ProductCategory:
    """Link products to a category. Idempotent; unknown (or deleted) products: 400, all listed."""
    category = _category_for_update(category_id)
    links = ProductCategory.products.through
    _products_relink(
        product_ids,
        scope,
        linking=True,
        write=lambda ids: links.objects.bulk_create(
            [links(productcategory_id=category.pk, product_id=pid) for pid in ids],
            ignore_conflicts=True,
        ),
    )
    return category


@transaction.atomic
def category_products_remove(
    *, category_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> ProductCategory:
    """Unlink products from a category; products not linked are ignored."""
    category = _category_for_update(category_id)
    _products_relink(
        product_ids,
        scope,
        linking=False,
        write=lambda ids: ProductCategory.products.through.objects.filter(
            productcategory_id=category.pk, product_id__in=ids
        ).delete(),
    )
    return category


# ---- IMAGES, TAGS, TYPES ----


@dataclass(frozen=True)
class TagInput:
    """A tag or type named by value (made when new) or by the id of an existing one."""

    value: str | None = None
    id: str | None = None


def _tags_get_or_create(tags: Sequence[TagInput]) -> list[ProductTag]:
    result: dict[str, ProductTag] = {}
    for tag in tags:
        found = _named_get_or_create(ProductTag, tag, "Product tag")
        result.setdefault(found.pk, found)
    return list(result.values())


def _type_get_or_create(product_type: TagInput) -> ProductType:
    return _named_get_or_create(ProductType, product_type, "Product type")


def _named_get_or_create(model: Any, wanted: TagInput, label: str) -> Any:
    if wanted.id:
        return first_or_raise(
            model.objects.filter(pk=wanted.id),
            NotFound(f"{label} with id: {wanted.id} was not found"),
        )
    value = (wanted.value or "").strip()
    if not value:
        raise InvalidData("value should not be empty")
    found = model.objects.filter(value=value).order_by("created_at", "id").first()
    return found or model.objects.create(value=value)


IMAGE_URL_MAX = 500  # Image.url and Product.thumbnail


def _images_replace(product: Product, urls: Sequence[str]) -> None:
    """Make `urls` the product's images, in that order (images kept when their URL stays)."""
    wanted = list(dict.fromkeys(u for u in urls if u))
    if any(len(url) > IMAGE_URL_MAX for url in wanted):
        raise InvalidData(
            f"each value in images must be shorter than or equal to {IMAGE_URL_MAX} characters"
        )
    current = {image.url: image for image in Image.objects.filter(product=product)}
    now = timezone.now()
    Image.objects.filter(product=product).exclude(url__in=wanted).update(
        deleted_at=now, updated_at=now
    )
    changed, new = [], []
    for rank, url in enumerate(wanted):
        image = current.get(url)
        if image is None:
            new.append(Image(product=product, url=url, rank=rank))
        elif image.rank != rank:
            image.rank = rank
            changed.append(image)
    Image.objects.bulk_update(changed, ["rank"])
    Image.objects.bulk_create(new)


@transaction.atomic
def product_image_upload(*, product_id: str, file: Any, name: str = "file") -> Image:
    """Store an uploaded picture (checked: type, size) and add it as the product's last image.

    A product without a thumbnail gets this picture as its thumbnail.
    """
    product = _product_for_update(product_id)
    url = image_file_store(file, name=name)
    rank = Image.objects.filter(product=product).count()
    image = Image.objects.create(product=product, url=url, rank=rank)
    if not product.thumbnail:
        product.thumbnail = url
        product.save(update_fields=["thumbnail", "updated_at"])
    touch_products([product.pk], listings=False)
    return image


@transaction.atomic
def product_image_delete(*, image_id: str) -> None:
    """Remove an image from its product (soft delete). Idempotent."""
    now = timezone.now()
    if Image.objects.filter(pk=image_id).update(deleted_at=now, updated_at=now):
        touch_products(
            Image.all_objects.filter(pk=image_id).values_list("product_id"), listings=False
        )


@transaction.atomic
def product_thumbnail_upload(*, product_id: str, file: Any, name: str = "thumbnail") -> Product:
    """Store an uploaded picture (checked: type, size) as the product's thumbnail."""
    product = _product_for_update(product_id)
    product.thumbnail = image_file_store(file, name=name)
    product.save(update_fields=["thumbnail", "updated_at"])
    touch_products([product.pk], listings=False)
    return product


def _check_physical(values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name not in PHYSICAL_FIELDS:
            raise PropertyShouldNotExist(name)
        if name in ("weight", "length", "height", "width") and value is not None and value < 0:
            raise InvalidData(f"{name} must not be less than 0")


# ---- CHANNEL MEMBERSHIP ----


def _links_write(
    channel_ids: list[str], product_ids: Iterable[str], write: Callable[..., object], *, added: bool
) -> list[str]:
    """Write each channel's links to the products, move their versions on, emit an event a channel.

    Channels in id order, one `write(channel_id=, product_ids=)` each whatever the number of
    products. Returns the product ids, once each.
    """
    ids = _unique(product_ids)
    if ids:
        for channel_id in sorted(channel_ids):
            write(channel_id=channel_id, product_ids=ids)
        touch_products(ids)
    emit(*(_links_event(channel_id, ids, added=added) for channel_id in channel_ids))
    return ids


def _channel_for_product_links(channel_id: str, scope: ChannelScope) -> SalesChannel:
    """Lock the live channel whose products are about to change (unknown outside the scope)."""
    if not flags.sales_channels_enabled():
        raise PropertyShouldNotExist("sales_channel_id")
    if not scope.includes(channel_id):
        raise SalesChannelNotFound(channel_id)
    return live_channel_for_update(channel_id)


@transaction.atomic
def sales_channel_products_add(
    *,
    channel_id: str,
    product_ids: Iterable[str],
    scope: ChannelScope = EVERY_CHANNEL,
    listings: Sequence[ListingInput] = (),
) -> SalesChannel:
    """Link products to a channel. Idempotent; unknown (or deleted) products are refused, all listed.

    A fixed number of statements whatever the number of ids: lock the channel, check the
    products, one INSERT … ON CONFLICT DO NOTHING. `listings` (our extension, issue 19) then
    sets the listing columns of those that carry some; plain ids keep theirs (new links: the
    defaults).
    """
    channel = _channel_for_product_links(channel_id, scope)
    ids = _unique(product_ids)
    if ids:
        missing = _products_missing(product_ids=ids)
        if scope.restricted:  # products the scope cannot see are as unknown to it
            visible = restrict(Product.objects.filter(pk__in=ids), scope).values_list(
                "pk", flat=True
            )
            missing = set(missing) | (set(ids) - set(visible))
        if missing:
            raise ProductsDoNotExist([pid for pid in ids if pid in missing])

    def write(*, channel_id: str, product_ids: list[str]) -> None:
        _channel_links_insert(channel_id=channel_id, product_ids=product_ids)
        sales_channel_listings_set(channel_id=channel_id, listings=listings)

    _links_write([channel.pk], ids, write, added=True)
    return channel


@transaction.atomic
def sales_channel_products_remove(
    *, channel_id: str, product_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> SalesChannel:
    """Unlink products from a channel. Removing a product that is not linked is a no-op."""
    channel = _channel_for_product_links(channel_id, scope)
    _links_write([channel.pk], product_ids, _channel_links_delete, added=False)
    return channel


def _channels_locked(channel_ids: Iterable[str], scope: ChannelScope) -> list[str]:
    """Return the ids of the live channels named (all in the scope), each locked, in id order."""
    channels = _existing_channel_ids(channel_ids)
    require_channels_in_scope(scope, channels)
    for channel_id in sorted(channels):
        live_channel_for_update(channel_id)
    return channels


@transaction.atomic
def products_sales_channels_add(
    *, product_ids: Iterable[str], channel_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> int:
    """Link many products to many channels at once (the admin's bulk action). Returns the pairs asked for."""
    channels = _channels_locked(channel_ids, scope)
    ids = _links_write(channels, product_ids, _channel_links_insert, added=True)
    return len(channels) * len(ids)


@transaction.atomic
def products_sales_channels_remove(
    *, product_ids: Iterable[str], channel_ids: Iterable[str], scope: ChannelScope = EVERY_CHANNEL
) -> int:
    """Unlink many products from many channels at once. Returns the number of links removed."""
    channels = _channels_locked(channel_ids, scope)
    ids = _unique(product_ids)
    # Lock the links in the order checkouts hold them (catalog.locks), then delete them.
    removed, _ = ProductSalesChannel.objects.filter(
        pk__in=channel_links_for_delete(channel_ids=channels, product_ids=ids)
    ).delete()
    touch_products(ids)
    emit(*(_links_event(channel_id, ids, added=False) for channel_id in channels))
    return removed


# ---- HELPERS FOR THE ADMIN API (appended) ----


def _check_regions_exist(prices: Iterable[Price]) -> None:
    """Refuse prices for unknown or deleted regions (one query), instead of a foreign-key crash."""
    wanted = sorted({price.region_id for price in prices if price.region_id})
    if not wanted:
        return
    found = set(Region.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [region_id for region_id in wanted if region_id not in found]
    if missing:
        raise NotFound(f"Region with id: {missing[0]} was not found")


def _products_missing(*, product_ids: list[str]) -> set[str]:
    """Return which of the ids are not live products, in one statement."""
    meta = Product._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT ids.value FROM ({_json_ids_sql()}) AS ids WHERE NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {quote(meta.db_table)} AS p WHERE p.{quote(meta.pk.column)} = ids.value "
        f"AND p.{quote(meta.get_field('deleted_at').column)} IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(product_ids)])
        return {row[0] for row in cursor.fetchall()}


def _channel_links_delete(*, channel_id: str, product_ids: list[str]) -> None:
    """Unlink the products from the channel in ONE statement, whatever the number of ids."""
    meta = ProductSalesChannel._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    product_column = quote(meta.get_field("product").column)
    channel_column = quote(meta.get_field("sales_channel").column)
    if connection.vendor == "postgresql":
        # A join: one probe of the (product, channel) unique index per id. (`IN (subquery)` or
        # `= ANY(ARRAY(subquery))` get planned as a filter over all the channel's links.) The
        # channel is `(SELECT %s)`, a value the planner does not see, as in
        # `_channel_links_insert`: given it, a channel grown since the last ANALYZE was taken
        # for an empty one and hashed whole (1,000 ids at 96,000 links: 74 -> 10 ms). The
        # rows are locked in product order before they are deleted, the order checkouts hold
        # them in (catalog.locks): a removal and a checkout never wait on each other's next row.
        pk_column = quote(meta.pk.column)
        sql = (
            f"DELETE FROM {table} WHERE {pk_column} IN ("  # noqa: S608
            f"SELECT l.{pk_column} FROM {table} AS l JOIN ({_json_ids_sql()}) AS ids "
            f"ON l.{product_column} = ids.value WHERE l.{channel_column} = (SELECT %s) "
            f"ORDER BY l.{product_column} FOR UPDATE OF l)"
        )
        params = [json.dumps(product_ids), channel_id]
    else:
        sql = (
            f"DELETE FROM {table} WHERE {channel_column} = %s "  # noqa: S608
            f"AND {product_column} IN ({_json_ids_sql()})"
        )
        params = [channel_id, json.dumps(product_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _channel_links_insert(*, channel_id: str, product_ids: list[str]) -> None:
    """Link the products to the channel in ONE statement, whatever the number of ids; idempotent.

    `bulk_create` splits rows into batches on SQLite (999 parameters per statement), so a
    10,000-product batch would cost 20 INSERTs there. Here the ids travel as a single JSON array
    parameter that the database unnests, joined to the live products for the `created_at` and
    the status each link carries (each product row read by id: reading the status
    from the product rows costs ~3 ms per 10,000 ids over the index-only read of
    `product_live_id_idx` it replaced); unknown or deleted ids fall out of the join and pairs
    already linked are skipped.

    Skipping linked pairs with NOT EXISTS lets the rows go in as plain inserts: `ON CONFLICT DO
    NOTHING` makes every row a speculative insertion, ~30% dearer on 10,000 rows (issue 7). A
    pair committed by someone else after this statement's snapshot (a product saved with its
    channels at the same moment: those writers do not take the channel lock) is a unique
    violation; the statement then runs again, inside a savepoint, with ON CONFLICT DO NOTHING.

    The channel reaches the NOT EXISTS as `(SELECT %s)`, a value the planner does not see, so
    the anti-join is planned for a channel of average size: one probe of the (product, channel)
    unique index per id. Given the value, PostgreSQL planned from the channel's statistics; a
    channel that grew since the last ANALYZE (a `sales-channel-products` job filling it, 1,000
    products a statement) or emptied (dead index entries) was estimated at one link, and each
    id was compared with every link of the channel: 10.4 s for 1,000 ids into a channel of
    96,000 links, 298 s for a job adding 100,000 products (`make bench-jobs`). Now 21 ms there;
    10,000 ids into the benchmark's emptied batch channel 106 -> 107 ms (EXPLAIN ANALYZE).
    With a table PostgreSQL had no statistics for yet (a new shop's first batch, the test
    database), each product's probe still took the channel's index instead, reading every link
    of the channel, those this statement had just inserted included: 6.5 s for 10,000 ids into an
    empty channel (auto_explain: 50 million heap fetches). The channel is compared as an
    expression (`|| ''`), which no index answers, so the probe is by product in the unique index
    (a product has a few links), whatever the statistics: 117 ms there.

    Each link copies its product's state as this statement reads it (`ProductStateField`): a
    change of that state waits for the channel's lock, which the caller holds.
    """
    link = ProductSalesChannel._meta
    product = Product._meta
    quote = connection.ops.quote_name
    table = quote(link.db_table)
    product_column = quote(link.get_field("product").column)
    channel_column = quote(link.get_field("sales_channel").column)
    product_pk = quote(product.pk.column)
    copied = ", ".join(
        quote(column)
        for column in (
            link.get_field("product_created_at").column,
            link.get_field("product_published").column,
            link.get_field("product_deleted").column,
        )
    )
    # Only quoted identifiers from our own model metadata are interpolated; values are parameters.
    select = (
        f"SELECT p.{product_pk}, %s, p.{quote(product.get_field('created_at').column)}, "  # noqa: S608
        f"p.{quote(product.get_field('status').column)} = %s, false "
        f"FROM ({_json_ids_sql()}) AS ids JOIN {quote(product.db_table)} AS p "
        f"ON p.{product_pk} = ids.value AND p.{quote(product.get_field('deleted_at').column)} "
        "IS NULL"
    )
    insert = f"INSERT INTO {table} ({product_column}, {channel_column}, {copied}) "
    params = [channel_id, ProductStatus.PUBLISHED.value, json.dumps(product_ids)]
    # `channel || ''`: the probe goes through the (product, channel) unique index by product, never
    # through the channel's index (see the docstring's last paragraph).
    plain = (
        f"{insert}{select} WHERE NOT EXISTS (SELECT 1 FROM {table} AS e "  # noqa: S608
        f"WHERE e.{product_column} = p.{product_pk} AND e.{channel_column} || '' = (SELECT %s))"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(plain, [*params, channel_id])
    except IntegrityError:
        # `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
        with connection.cursor() as cursor:
            cursor.execute(f"{insert}{select} WHERE true ON CONFLICT DO NOTHING", params)


# ---- CHANNEL LISTINGS (issue 19; docs/listings.md) ----

# What a listing carries besides its pair: the columns the API, the admin and the batch set.
LISTING_FIELDS = (
    "is_published",
    "published_at",
    "visible_in_listings",
    "available_for_purchase_at",
)


@dataclass(frozen=True)
class ListingInput:
    """A listing to set: the pair, and the columns to change (others keep their values).

    A new link takes the defaults for the columns not given.
    """

    product_id: str
    sales_channel_id: str
    changes: dict[str, Any] = field(default_factory=dict)


def listing_row(link: ProductSalesChannel) -> dict[str, Any]:
    """Return a listing as the API and the events show it (`LISTING_FIELDS` with its pair)."""
    return {
        "product_id": link.product_id,
        "sales_channel_id": link.sales_channel_id,
        **{name: getattr(link, name) for name in LISTING_FIELDS},
    }


def _listings_event(links: Sequence[ProductSalesChannel]) -> Event:
    """One `product.channel_listing_updated` for a write: the listings as they now are."""
    rows = [
        {
            **listing_row(link),
            **{
                name: getattr(link, name).isoformat() if getattr(link, name) else None
                for name in ("published_at", "available_for_purchase_at")
            },
        }
        for link in links
    ]
    return Event(
        type=EventType.PRODUCT_CHANNEL_LISTING_UPDATED,
        data={
            "product_ids": _unique(link.product_id for link in links),
            "channel_listings": rows,
        },
        sales_channel_ids=_unique(link.sales_channel_id for link in links),
    )


def _listings_write(listings: Sequence[ListingInput]) -> list[ProductSalesChannel]:
    """Create the missing links and set the asked-for columns: a fixed number of statements.

    The caller has checked the products and channels, and holds the channels' locks.
    """
    wanted = {(item.product_id, item.sales_channel_id): item for item in listings}
    product_ids = _unique(pid for pid, _ in wanted)
    channel_ids = _unique(cid for _, cid in wanted)
    existing = {
        (link.product_id, link.sales_channel_id): link
        for link in ProductSalesChannel.objects.filter(
            product_id__in=product_ids, sales_channel_id__in=channel_ids
        )
    }
    created = {pair: True for pair in wanted if pair not in existing}
    if created:
        # Each new link copies its product's created_at and state from the product it holds.
        products = Product.objects.only("created_at", "status", "deleted_at").in_bulk(product_ids)
        new_links = [
            ProductSalesChannel(
                product=products[pid], sales_channel_id=cid, **wanted[(pid, cid)].changes
            )
            for pid, cid in created
        ]
        ProductSalesChannel.objects.bulk_create(new_links, ignore_conflicts=True)
    changed = [link for pair, link in existing.items() if pair in wanted and wanted[pair].changes]
    for link in changed:
        for name, value in wanted[(link.product_id, link.sales_channel_id)].changes.items():
            setattr(link, name, value)
    if changed:
        ProductSalesChannel.objects.bulk_update(changed, list(LISTING_FIELDS))
    return list(
        ProductSalesChannel.objects.filter(
            product_id__in=product_ids, sales_channel_id__in=channel_ids
        ).order_by("product_id", "sales_channel_id")
    )


@transaction.atomic
def product_channel_listings_set(
    *,
    product_id: str,
    listings: Sequence[ListingInput],
    scope: ChannelScope = EVERY_CHANNEL,
) -> list[ProductSalesChannel]:
    """Set one product's listings in the channels named (added to those it is not in yet).

    Channels not named keep their listings. Unknown channels: 400 naming them; channels outside
    a scoped user's: 403. Emits `product.channel_listing_updated`.
    """
    if not flags.sales_channels_enabled():
        raise PropertyShouldNotExist("channel_listings")
    # A scoped user sets listings in their channels, whatever other channels the product is in.
    product = scoped_or_raise(Product.objects.all(), scope, product_id, ProductNotFound(product_id))
    channels = _existing_channel_ids(item.sales_channel_id for item in listings)
    require_channels_in_scope(scope, channels)
    for channel_id in sorted(channels):
        live_channel_for_update(channel_id)
    items = [ListingInput(product.pk, item.sales_channel_id, item.changes) for item in listings]
    links = _listings_write(items) if items else []
    if links:
        touch_products([product.pk])  # a new link shows in its `sales_channels` (last lock)
        emit(_listings_event(links))
    return selectors.product_channel_listings(product_id=product.pk, scope=scope)


def sales_channel_listings_set(
    *, channel_id: str, listings: Sequence[ListingInput]
) -> list[ProductSalesChannel]:
    """Set listings of products already linked to a channel (the batch, inside its transaction).

    The batch has linked the products and holds the channel's lock. Emits one
    `product.channel_listing_updated` for the batch.
    """
    items = [item for item in listings if item.changes]
    if not items:
        return []
    links = _listings_write(
        [ListingInput(item.product_id, channel_id, item.changes) for item in items]
    )
    emit(_listings_event(links))
    return links


# ---- KEPT CHANNEL COUNTS (issue 23) ----


def channel_counts_compact() -> int:
    """Fold each channel's kept count rows (`ChannelProductCount`) into one; return the rows removed.

    The triggers add a row per channel to every statement that writes links; a channel's count
    is their sum, so the rows only need folding now and then (Celery beat,
    `CHANNEL_COUNTS_COMPACT_SECONDS`). One statement: the rows it deletes are summed into the
    rows it inserts, so a reader sees the sum before or after, never a part; rows added
    meanwhile are not in its snapshot and stay. Nothing to do where the counts are not kept
    (SQLite).
    """
    if not selectors.channel_counts_kept():
        return 0
    table = connection.ops.quote_name(ChannelProductCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH folded AS (DELETE FROM {table} RETURNING sales_channel_id, listed, live), "  # noqa: S608  (our own table name)
            f"kept AS (INSERT INTO {table} (sales_channel_id, listed, live) "
            "SELECT sales_channel_id, sum(listed), sum(live) FROM folded GROUP BY sales_channel_id "
            "HAVING sum(listed) <> 0 OR sum(live) <> 0 RETURNING 1) "
            "SELECT (SELECT count(*) FROM folded) - (SELECT count(*) FROM kept)"
        )
        return cursor.fetchone()[0]
