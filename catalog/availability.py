"""Why is a product (not) listed, reachable, purchasable in a channel? The diagnosis (issue 19).

`product_availability` answers, per live channel, the three verdicts the store paths reach
(`catalog.listings` decides them there) and every reason that applies, in plain sentences. The
reasons are a table (`REASONS`): one entry per code, saying which verdicts it takes away, when
it applies and what it says. A new reason is one more entry.

The verdicts are for a storefront asking for that channel (with a publishable key of the
channel, or naming it with `sales_channel_id`) at the moment `at`, and for a cart in the region
asked for (or in any region).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from catalog import hooks, listings
from catalog.exceptions import ProductNotFound
from catalog.models import Price, Product, ProductSalesChannel, ProductStatus, ProductVariant
from commerce.models import Region
from commerce.services import region_get
from saleschannels.exceptions import PublishableApiKeyNotFound, SalesChannelNotFound
from saleschannels.models import PublishableApiKey, PublishableApiKeySalesChannel, SalesChannel
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict, scoped_or_raise
from saleschannels.selectors import default_sales_channel_id

LISTED, REACHABLE, PURCHASABLE = "listed", "reachable", "purchasable"
VERDICTS = (LISTED, REACHABLE, PURCHASABLE)


@dataclass
class Facts:
    """What the reasons look at, for one product in one channel (read once per diagnosis)."""

    product: Product
    channel: SalesChannel
    link: ProductSalesChannel | None
    at: datetime
    default_channel_id: str | None
    keyed_channel_ids: set[str]  # channels in at least one live publishable key
    variant_count: int
    priced_count: int  # variants with a price a cart in the region(s) would take
    priced_in_stock_count: int  # of those, what this channel can sell (its stock locations)
    no_stock_location: bool  # the channel sells from no stock location, while some exist
    region: Region | None
    currencies: list[str]  # the currencies asked about (the region's, or every region's)


def _in_stock(variant: ProductVariant, available: int) -> bool:
    return not variant.manage_inventory or variant.allow_backorder or available > 0


def _currencies(facts: Facts) -> str:
    return ", ".join(code.upper() for code in facts.currencies) or "any currency"


@dataclass(frozen=True)
class Reason:
    code: str
    denies: tuple[str, ...]  # the verdicts it makes false; () for a warning
    applies: Callable[[Facts], bool]
    message: Callable[[Facts], str]


def _when(at: datetime | None) -> str:
    """Say a listing's moment; its reason applies only where the moment is set."""
    return listings.when(at) if at is not None else "now"


def _scheduled(facts: Facts) -> bool:
    return bool(facts.link and facts.link.published_at and facts.link.published_at > facts.at)


def _purchase_not_open(facts: Facts) -> bool:
    link = facts.link
    return bool(link and not listings.purchase_open(link.available_for_purchase_at, facts.at))


REASONS: tuple[Reason, ...] = (
    Reason(
        "product_deleted",
        VERDICTS,
        lambda f: f.product.deleted_at is not None,
        lambda f: "This product is deleted: no storefront shows or sells it.",
    ),
    Reason(
        "product_not_published",
        VERDICTS,
        lambda f: f.product.status != ProductStatus.PUBLISHED,
        lambda f: (
            f"The product's status is {f.product.status}: storefronts only show and sell "
            "published products."
        ),
    ),
    Reason(
        "not_in_channel",
        VERDICTS,
        lambda f: f.link is None,
        lambda f: f"The product is not in {f.channel.name}.",
    ),
    Reason(
        "unpublished_in_channel",
        VERDICTS,
        lambda f: f.link is not None and not f.link.is_published,
        lambda f: f"Unpublished in {f.channel.name}: it is hidden there until published again.",
    ),
    Reason(
        "scheduled",
        VERDICTS,
        _scheduled,
        lambda f: (
            f"Scheduled: appears in {f.channel.name} on {_when(f.link.published_at if f.link else None)}."
        ),
    ),
    Reason(
        "hidden_from_listings",
        (LISTED,),
        lambda f: f.link is not None and not f.link.visible_in_listings,
        lambda f: (
            f"Hidden from listings in {f.channel.name}: left out of lists, search and counts, "
            "but reachable by its id or handle."
        ),
    ),
    Reason(
        "purchase_not_open",
        (PURCHASABLE,),
        _purchase_not_open,
        lambda f: (
            f"Not yet for sale in {f.channel.name}: it can be bought from "
            f"{_when(f.link.available_for_purchase_at if f.link else None)}."
        ),
    ),
    Reason(
        "channel_disabled",
        (PURCHASABLE,),
        lambda f: f.channel.is_disabled,
        lambda f: f"{f.channel.name} is disabled: no cart can be created in it.",
    ),
    Reason(
        "no_variants",
        (PURCHASABLE,),
        lambda f: f.variant_count == 0,
        lambda f: "The product has no variants: there is nothing to put in a cart.",
    ),
    Reason(
        "no_price_for_region",
        (PURCHASABLE,),
        lambda f: f.variant_count > 0 and f.priced_count == 0,
        lambda f: (
            f"No variant has a price in {_currencies(f)}"
            + (f" (the currency of {f.region.name})" if f.region else " (the regions' currencies)")
            + ": a cart cannot price it."
        ),
    ),
    Reason(
        "no_stock_location",
        (PURCHASABLE,),
        lambda f: f.no_stock_location and f.priced_in_stock_count == 0 and f.priced_count > 0,
        lambda f: (
            f"{f.channel.name} sells from no stock location: link one to it "
            "(its variants with managed inventory cannot be bought there until then)."
        ),
    ),
    Reason(
        "out_of_stock",
        (PURCHASABLE,),
        lambda f: (
            not f.no_stock_location
            and f.variant_count > 0
            and f.priced_in_stock_count == 0
            and f.priced_count > 0
        ),
        lambda f: (
            "Out of stock: every variant with a price is managed, at zero and without backorder."
        ),
    ),
    Reason(
        "unreachable_channel",
        (),
        lambda f: (
            f.channel.pk != f.default_channel_id and f.channel.pk not in f.keyed_channel_ids
        ),
        lambda f: (
            f"No storefront reaches {f.channel.name} by itself: it is not the default channel "
            "and no live publishable API key includes it, so only a request that names it "
            "(sales_channel_id) sees it."
        ),
    ),
)


@dataclass(frozen=True)
class ChannelAvailability:
    channel: SalesChannel
    listed: bool
    reachable: bool
    purchasable: bool
    reasons: list[tuple[str, str]]  # (code, message), in `REASONS` order


def _diagnose(facts: Facts) -> ChannelAvailability:
    applying = [reason for reason in REASONS if reason.applies(facts)]
    denied = {verdict for reason in applying for verdict in reason.denies}
    return ChannelAvailability(
        channel=facts.channel,
        listed=LISTED not in denied,
        reachable=REACHABLE not in denied,
        purchasable=PURCHASABLE not in denied,
        reasons=[(reason.code, reason.message(facts)) for reason in applying],
    )


def _variant_counts(
    product_id: str, regions: list[Region], channel_ids: list[str]
) -> tuple[int, int, dict[str, int]]:
    """Return (variants, priced variants, priced variants each channel can sell): two queries.

    What a channel can sell is `catalog.hooks.available_quantity` (its stock locations), one
    annotation per channel on the one variants query.
    """
    names = {channel_id: f"available_{i}" for i, channel_id in enumerate(channel_ids)}
    variants = list(
        ProductVariant.objects.filter(product_id=product_id).annotate(
            **{name: hooks.available_quantity([cid]) for cid, name in names.items()}
        )
    )
    prices = Price.objects.filter(
        variant__product_id=product_id,
        variant__deleted_at__isnull=True,
        min_quantity__isnull=True,
        currency_code__in=sorted({region.currency_code for region in regions}),
    ).values_list("variant_id", "currency_code", "region_id")
    by_currency: dict[str, list[str]] = {}
    for region in regions:
        by_currency.setdefault(region.currency_code, []).append(region.pk)
    priced = {
        variant_id
        for variant_id, currency, region_id in prices
        if region_id is None or region_id in by_currency.get(currency, ())
    }
    priced_variants = [variant for variant in variants if variant.pk in priced]
    in_stock = {
        cid: sum(1 for v in priced_variants if _in_stock(v, getattr(v, name)))
        for cid, name in names.items()
    }
    return len(variants), len(priced_variants), in_stock


def product_availability(
    *,
    product_id: str,
    at: datetime | None = None,
    sales_channel_id: str | None = None,
    publishable_api_key_id: str | None = None,
    region_id: str | None = None,
    scope: ChannelScope = EVERY_CHANNEL,
) -> list[ChannelAvailability]:
    """Return the product's verdicts in every live channel (a scoped user's only), oldest first.

    `sales_channel_id`: only that channel. `publishable_api_key_id`: only that key's channels.
    `region_id`: prices in that region's currency (else any region's). A fixed number of
    queries whatever the number of channels. Deleted products are diagnosed too.
    """
    at = at or listings.moment()
    product = scoped_or_raise(
        Product.all_objects.all(), scope, product_id, ProductNotFound(product_id)
    )
    channels = restrict(SalesChannel.objects.all(), scope).order_by("created_at", "id")
    if sales_channel_id is not None:
        channels = channels.filter(pk=sales_channel_id)
    if publishable_api_key_id is not None:
        key = (
            restrict(PublishableApiKey.objects.all(), scope)
            .filter(pk=publishable_api_key_id, revoked_at__isnull=True)
            .first()
        )
        if key is None:
            raise PublishableApiKeyNotFound(publishable_api_key_id)
        channels = channels.filter(key_links__publishable_key_id=key.pk)
    live = list(channels)
    if sales_channel_id is not None and not live:
        raise SalesChannelNotFound(sales_channel_id)
    region = region_get(region_id=region_id) if region_id else None
    regions = [region] if region else list(Region.objects.all())
    links = {
        link.sales_channel_id: link
        for link in ProductSalesChannel.objects.filter(product_id=product.pk)
    }
    keyed = set(
        PublishableApiKeySalesChannel.objects.filter(
            publishable_key__revoked_at__isnull=True
        ).values_list("sales_channel_id", flat=True)
    )
    counts = _variant_counts(product.pk, regions, [channel.pk for channel in live])
    unlocated = hooks.unlocated_channels([channel.pk for channel in live])
    default_id = default_sales_channel_id()
    return [
        _diagnose(
            Facts(
                product=product,
                channel=channel,
                link=links.get(channel.pk),
                at=at,
                default_channel_id=default_id,
                keyed_channel_ids=keyed,
                variant_count=counts[0],
                priced_count=counts[1],
                priced_in_stock_count=counts[2][channel.pk],
                no_stock_location=channel.pk in unlocated,
                region=region,
                currencies=sorted({r.currency_code for r in regions}),
            )
        )
        for channel in live
    ]
