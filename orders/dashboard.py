"""The per-channel overview of the admin: orders and revenue per channel over the last days.

One aggregate query, grouped by channel, currency and day; the shaping for the chart (bar widths,
sparkline points) happens here in Python so the template only draws.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.models import Order, OrderStatus
from saleschannels.scope import EVERY_CHANNEL, ChannelScope, restrict

SPARK_WIDTH = 150
SPARK_HEIGHT = 28


@dataclass(frozen=True)
class RevenueBar:
    currency_code: str
    amount: int
    percent: float  # of the largest channel revenue in the same currency


@dataclass
class ChannelRow:
    channel_id: str | None
    name: str
    is_deleted: bool
    orders: int = 0
    orders_percent: float = 0.0
    revenue: list[RevenueBar] = field(default_factory=list)
    daily_orders: list[int] = field(default_factory=list)
    spark_points: str = ""


@dataclass(frozen=True)
class ChannelOverview:
    since: date
    until: date
    days: int
    rows: list[ChannelRow]
    total_orders: int
    total_revenue: list[tuple[str, int]]


def channel_overview(
    *, days: int = 30, now: datetime | None = None, scope: ChannelScope = EVERY_CHANNEL
) -> ChannelOverview:
    """Return orders (canceled excluded) and revenue per channel for the last `days` days, today included.

    Only the orders `scope` may see (a restricted user's channels).
    """
    now = now or timezone.now()
    until = timezone.localdate(now)
    since = until - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    day_index = {since + timedelta(days=i): i for i in range(days)}

    grouped = (
        restrict(Order.objects.all(), scope)
        .filter(created_at__gte=start)
        .exclude(status=OrderStatus.CANCELED)
        .annotate(day=TruncDate("created_at"))
        .values("sales_channel_id", "currency_code", "day")
        # The name depends on the channel id only: aggregating it keeps the text out of the
        # grouping key (a narrower sort), and still needs no second query.
        .annotate(
            orders=Count("*"),
            revenue=Sum("total"),
            channel_name=Min("sales_channel__name"),
            channel_deleted_at=Max("sales_channel__deleted_at"),
        )
        .order_by()
    )

    rows: dict[str | None, ChannelRow] = {}
    revenue: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in grouped:
        channel_id = group["sales_channel_id"]
        row = rows.get(channel_id)
        if row is None:
            row = rows[channel_id] = ChannelRow(
                channel_id=channel_id,
                name=_channel_label(channel_id, group["channel_name"]),
                # A hard-deleted channel no longer has a row: the join gives no name.
                is_deleted=channel_id is not None
                and (group["channel_name"] is None or group["channel_deleted_at"] is not None),
                daily_orders=[0] * days,
            )
        row.orders += group["orders"]
        revenue[channel_id][group["currency_code"]] += group["revenue"] or 0
        index = day_index.get(group["day"])
        if index is not None:
            row.daily_orders[index] += group["orders"]

    ordered = sorted(rows.values(), key=lambda r: (-r.orders, r.name))
    max_orders = max((r.orders for r in ordered), default=0)
    max_revenue: dict[str, int] = defaultdict(int)
    for amounts in revenue.values():
        for code, amount in amounts.items():
            max_revenue[code] = max(max_revenue[code], amount)
    totals: dict[str, int] = defaultdict(int)
    for row in ordered:
        row.orders_percent = _percent(row.orders, max_orders)
        row.revenue = [
            RevenueBar(
                currency_code=code, amount=amount, percent=_percent(amount, max_revenue[code])
            )
            for code, amount in sorted(revenue[row.channel_id].items())
        ]
        for bar in row.revenue:
            totals[bar.currency_code] += bar.amount
        row.spark_points = _spark_points(row.daily_orders)

    return ChannelOverview(
        since=since,
        until=until,
        days=days,
        rows=ordered,
        total_orders=sum(r.orders for r in ordered),
        total_revenue=sorted(totals.items()),
    )


def _channel_label(channel_id: str | None, name: str | None) -> str:
    if channel_id is None:
        return "No sales channel"
    if name is None:
        return f"Deleted channel {channel_id}"
    return name


def _percent(value: int, largest: int) -> float:
    if largest <= 0:
        return 0.0
    return round(100 * value / largest, 1)


def _spark_points(values: list[int]) -> str:
    """SVG polyline points for a sparkline of `values`, scaled to SPARK_WIDTH by SPARK_HEIGHT."""
    if not values:
        return ""
    top = max(values) or 1
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 2 - (v / top) * (SPARK_HEIGHT - 4):.1f}"
        for i, v in enumerate(values)
    )
