"""Products, their options, variants and prices, and their place in sales channels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from commerce.models import ID_COLLATION, BaseModel, SoftDeleteModel, at_least, unique, unique_live
from saleschannels import scope

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.fields.related_descriptors import ManyRelatedManager

    from saleschannels.models import SalesChannel


class ProductStatus(models.TextChoices):
    DRAFT = "draft"
    PROPOSED = "proposed"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ProductCollection(SoftDeleteModel):
    id_prefix = "pcol"

    title = models.CharField(max_length=255)
    handle = models.SlugField(max_length=255)

    class Meta:
        constraints = [unique_live("handle", name="collection_handle_unique_live")]

    def __str__(self) -> str:
        return self.title


class PhysicalAttributes(models.Model):
    """Medusa's weight, dimensions and customs columns, on products and on variants."""

    weight = models.PositiveIntegerField(null=True, blank=True)
    length = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    hs_code = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    origin_country = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    mid_code = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    material = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001

    class Meta:
        abstract = True


PHYSICAL_FIELDS = (
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
)
# A variant's codes and stock settings (Medusa's "Stock & Inventory" of a variant).
VARIANT_STOCK_FIELDS = (
    "sku",
    "barcode",
    "ean",
    "upc",
    "inventory_quantity",
    "manage_inventory",
    "allow_backorder",
)


class SharedValue(SoftDeleteModel):
    """A row that is only its `value`, which products share by reference (tags, types)."""

    value = models.CharField(max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.value


class ProductTag(SharedValue):
    """A free-form label (Medusa's ProductTag); products share tags by value."""

    id_prefix = "ptag"

    class Meta:
        indexes = [models.Index(fields=["value"], name="product_tag_value_idx")]


class ProductType(SharedValue):
    """A product's kind (Medusa's ProductType); products share types by value."""

    id_prefix = "ptyp"

    class Meta:
        indexes = [models.Index(fields=["value"], name="product_type_value_idx")]


class MaterializedPathField(models.CharField):
    """A category's path of ids from its root, `root.child.self`, in the "C" collation.

    With bytewise comparisons (as for ids, see `PrefixedIdField`) PostgreSQL's b-tree index on
    the column answers `LIKE 'root.child.%'`, so "all descendants" is one index range.
    """

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = ID_COLLATION
        return params


class ProductCategory(BaseModel):
    """A node of the category tree (Medusa's ProductCategory). Deletes are real, as in Medusa."""

    id_prefix = "pcat"

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    handle = models.SlugField(max_length=255, unique=True)
    parent_category = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="category_children",
    )
    mpath = MaterializedPathField(max_length=2000, editable=False, db_index=True)
    rank = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=False)
    is_internal = models.BooleanField(default=False)
    products: models.ManyToManyField[Product, Any]
    products = models.ManyToManyField("Product", related_name="categories", blank=True)

    class Meta:
        verbose_name_plural = "product categories"
        indexes = [
            models.Index(fields=["parent_category", "rank"], name="category_parent_rank_idx")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.mpath.count(".")


class Product(PhysicalAttributes, SoftDeleteModel):
    id_prefix = "prod"
    channel_scope_rule = scope.ScopeRule.any("channel_links")
    categories: ManyRelatedManager[ProductCategory, Any]  # the reverse of ProductCategory.products

    title = models.CharField(max_length=255)
    subtitle = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    handle = models.SlugField(max_length=255)
    is_giftcard = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    # An absolute URL, or a path under MEDIA_URL for a file kept in the storage (catalog.media).
    # At most 500 characters: a cart line copies it (carts.LineItem.thumbnail).
    thumbnail = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    discountable = models.BooleanField(default=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    collection = models.ForeignKey(
        ProductCollection, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    type = models.ForeignKey(
        ProductType, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    tags = models.ManyToManyField(ProductTag, related_name="products", blank=True)
    sales_channels: models.ManyToManyField[SalesChannel, ProductSalesChannel]
    sales_channels = models.ManyToManyField(
        "saleschannels.SalesChannel",
        through="ProductSalesChannel",
        related_name="products",
        blank=True,
    )

    class Meta:
        constraints = [unique_live("handle", name="product_handle_unique_live")]
        indexes = [
            models.Index(fields=["-created_at", "id"], name="product_created_idx"),
            models.Index(fields=["status", "-created_at", "id"], name="product_status_created_idx"),
            # Channel lists join the link table on product id: with these, PostgreSQL answers
            # the join, the count and the created_at order of a channel's products (published
            # ones for the store, live ones for the admin) from two indexes alone, a merge join
            # with the link's (channel, product) index, without reading product rows.
            models.Index(
                fields=["id"],
                include=["created_at"],
                condition=Q(status="published", deleted_at__isnull=True),
                name="product_published_id_idx",
            ),
            models.Index(
                fields=["id"],
                include=["created_at"],
                condition=Q(deleted_at__isnull=True),
                name="product_live_id_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Image(SoftDeleteModel):
    """A product picture (Medusa's Image): its URL, in the product's order (`rank`).

    `url` is absolute, or a path under MEDIA_URL for a file kept in the storage (catalog.media).
    """

    id_prefix = "img"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    url = models.CharField(max_length=500)  # it may become a thumbnail: the same limit
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["product", "rank"], name="image_product_rank_idx")]

    def __str__(self) -> str:
        return self.url


class ProductCreatedAtField(models.DateTimeField):
    """The linked product's `created_at`, copied onto its channel link when the link is saved.

    A product's `created_at` never changes after creation (read-only in the admin, set by no
    service), so the copy stays true. Code that writes links in bulk SQL passes it itself.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> object:
        value = getattr(model_instance, self.attname)
        if value is None:
            value = model_instance.product.created_at  # type: ignore[attr-defined]  # a product link row
            setattr(model_instance, self.attname, value)
        return value


class ProductStateField(models.BooleanField):
    """A fact of the linked product's own state, copied onto its channel link (issue 23).

    `product_published` is the product's status being published, `product_deleted` its
    deletion. Saved without a value, a link takes it from the product it holds; the batch
    inserts copy it in their SQL. A change of the product's status or deletion updates its
    links in its transaction (`catalog.services.product_update`, `product_delete`), after
    holding every live channel FOR SHARE (`saleschannels.locks.live_channels_shared`): a writer
    linking the product meanwhile holds its channel (or the product), so one of the two waits
    for the other and sees what it wrote.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> object:
        value = getattr(model_instance, self.attname)
        if value is None:
            value = product_state(model_instance.product)[self.name]  # type: ignore[attr-defined]  # a product link row
            setattr(model_instance, self.attname, value)
        return value


def product_state(product: Product) -> dict[str, bool]:
    """Return what a product's links copy of its state (`ProductStateField`), by field name."""
    return {
        "product_published": product.status == ProductStatus.PUBLISHED,
        "product_deleted": product.deleted_at is not None,
    }


class ProductSalesChannel(models.Model):
    """The product↔channel link. Unique per pair; indexed both ways for lookups from either side.

    The link carries its product's `created_at` (`product_created_at`) so that a channel's
    store list, newest first, is a walk of one index of the channel's links: a page at offset
    5,000 reads 5,020 index entries instead of joining all the channel's links to the products
    (issue 7). It carries its product's state too (`ProductStateField`), so which of them a
    store may show is read from the same index.
    """

    # No single-column indexes (nor their `_like` twins): the unique pair below serves lookups by
    # product and the composite index by channel. Fewer indexes, faster batch inserts.
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="channel_links", db_index=False
    )
    sales_channel = models.ForeignKey(
        "saleschannels.SalesChannel",
        on_delete=models.CASCADE,
        related_name="product_links",
        db_index=False,
    )
    product_created_at = ProductCreatedAtField(editable=False)
    # The product's listing in this channel (issue 19; docs/listings.md). The defaults are
    # Medusa's plain membership; database defaults too, as the batch inserts links in raw SQL.
    # Which links count at a given moment: `catalog.listings.link_condition`, the one rule.
    is_published = models.BooleanField(default=True, db_default=True)
    published_at = models.DateTimeField(null=True, blank=True)
    visible_in_listings = models.BooleanField(default=True, db_default=True)
    available_for_purchase_at = models.DateTimeField(null=True, blank=True)
    # The product's own state, so that counting a channel's listed (or live) products and
    # walking its store list read the links' index alone, without an anti-join to the products
    # (8.5 -> 2.2 ms for a channel of 15,000 links, bench data). Kept true by the services.
    product_published = ProductStateField(default=None, editable=False)
    product_deleted = ProductStateField(default=None, editable=False)

    class Meta:
        constraints = [
            # Also the (product, sales_channel) index.
            unique("product", "sales_channel", name="product_sales_channel_unique"),
        ]
        indexes = [
            # A channel's links in its store list's order (the products' newest first).
            # The listing columns ride along, so the store's walk still reads the index alone.
            models.Index(
                fields=["sales_channel", "-product_created_at", "-product"],
                include=[
                    "is_published",
                    "published_at",
                    "visible_in_listings",
                    "product_published",
                    "product_deleted",
                ],
                name="product_channel_newest_idx",
            ),
            # The moment a channel's listed products next change (`listings.listed_changes_next`,
            # read on each miss of a channel's cached count or page): only the links that have a
            # `published_at`, so the first one still to come is one index probe instead of a
            # read of all the channel's links (9.4 ms -> 0.03 ms for 15,000 links, bench data).
            models.Index(
                fields=["sales_channel", "published_at"],
                condition=Q(
                    is_published=True, visible_in_listings=True, published_at__isnull=False
                ),
                name="product_channel_scheduled_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} in {self.sales_channel_id}"


class ChannelProductCount(models.Model):
    """A change to one channel's product counts; a channel's counts are the sum of its rows.

    Written by PostgreSQL alone: statement triggers on the channel links (migration 0015) add
    a row per channel to every statement that inserts, updates or deletes links, whoever runs
    it (the services, a cascade, raw SQL). Rows are only ever added, so writers never wait on
    each other here; `catalog.services.channel_counts_compact` folds each channel's rows into
    one. `listed`: links a store lists at some moment (`catalog.listings.link_condition`
    without its moment: published, visible, of a published product not deleted); a link whose
    `published_at` is still to come is subtracted when read (`catalog.selectors`). `live`:
    links to a product not deleted (the admin's count). Unused on SQLite, which counts the
    links themselves.
    """

    sales_channel = models.ForeignKey(
        "saleschannels.SalesChannel",
        on_delete=models.DO_NOTHING,  # kept by triggers; a channel's rows outlive nothing they count
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    listed = models.BigIntegerField()
    live = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["sales_channel"], include=["listed", "live"], name="channel_count_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sales_channel_id}: {self.listed:+d} listed, {self.live:+d} live"


class ProductOption(SoftDeleteModel):
    id_prefix = "opt"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.title


class ProductVariant(PhysicalAttributes, SoftDeleteModel):
    id_prefix = "variant"
    channel_scope_rule = scope.ScopeRule.via("product")  # follows its product

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    title = models.CharField(max_length=255)
    sku = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  (contract: null when unset)
    barcode = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    ean = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    upc = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    inventory_quantity = models.IntegerField(default=0)
    allow_backorder = models.BooleanField(default=False)
    manage_inventory = models.BooleanField(default=True)
    variant_rank = models.IntegerField(default=0)

    class Meta:
        constraints = [unique_live("sku", name="variant_sku_unique_live", sku__isnull=False)]
        indexes = [
            models.Index(fields=["product", "variant_rank"], name="variant_product_rank_idx")
        ]

    def __str__(self) -> str:
        return self.title


class ProductOptionValue(SoftDeleteModel):
    id_prefix = "optval"

    option = models.ForeignKey(ProductOption, on_delete=models.CASCADE, related_name="values")
    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.value


class Price(BaseModel):
    """A variant's price in one currency (optionally for one region), in minor units. Medusa's MoneyAmount."""

    id_prefix = "ma"

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="prices")
    currency_code = models.CharField(max_length=3)
    amount = models.BigIntegerField()
    region = models.ForeignKey(
        "commerce.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    min_quantity = models.PositiveIntegerField(null=True, blank=True)
    max_quantity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [at_least("amount", 0, prefix="price")]
        indexes = [
            models.Index(fields=["variant", "currency_code"], name="price_variant_currency_idx")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency_code}"


class ProductVersion(models.Model):
    """How many times what a product's JSON shows has changed: the key of its rendered fragments.

    Written only by `catalog.versions.touch_products`, in the transaction of every write that
    changes what a product's store JSON shows (the product, its variants, prices, options,
    images, channel links, categories, collection, and the stock completed orders count down).
    A product without a row is at version 0. A table of its own, not a product column, so that
    the bump (the last lock its transaction takes, in product order) never waits behind, nor
    holds, a product row that an edit locks before its variants (docs/reliability.md, "Lock
    order"). No foreign key: a version row pins nothing and is locked by nothing else.
    """

    product = models.OneToOneField(
        Product,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="render_version",
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.product_id} v{self.version}"


class ListingsVersion(models.Model):
    """How many times which products the channels list may have changed: one row, id 1.

    The key of the channels' cached product counts and deep pages (`catalog.api.counts`).
    Bumped by `catalog.versions.touch_products` in the transaction of every write that may
    change a channel's listed products (links, listings, a product's status or deletion, a
    channel's deletion), after the products' versions: the very last lock. Writes that cannot
    change them (stock, prices, variants, images, collections, categories) pass
    `listings=False`, so checkouts never wait on this row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"listings v{self.version}"
