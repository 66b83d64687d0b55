"""Channel lists' exact counts from the render cache (`commerce.api.fragments.cached_count`).

A product list narrowed by channels alone counts the channels' links (4-6 ms of SQL for a
channel of 15,000 products on the benchmark's data, the largest statement of a warm page). The
count changes only with a write that may change listings, which bumps the listings version in
its transaction (`catalog.versions.touch_listings`), or when a scheduled listing's moment passes
(`catalog.listings.listed_changes_next`). So the count is cached under (its list, the channels,
the listings version) and kept until that moment: a warm page reads the version (one primary
key lookup) instead of counting, and is exact to the second like the rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from catalog.listings import listed_changes_next
from catalog.versions import listings_version
from commerce.api.fragments import cached_count, shape_key
from commerce.selectors import ListPlan


def with_cached_count(
    plan: ListPlan, *, name: str, channel_ids: Collection[str] | None, at: datetime, timed: bool
) -> ListPlan:
    """Return the plan with its channels' count read through the cache (as it is without one).

    `name` tells the lists apart (the store's listed products, the admin's live ones); `timed`:
    the count depends on the moment (the store's listings), so it keeps until the next one.
    """
    count = plan.count
    if count is None or not channel_ids:
        return plan
    ids = sorted(set(channel_ids))

    def changes_next() -> datetime | None:
        return listed_changes_next(ids, at) if timed else None

    def cached() -> int:
        return cached_count(
            key=shape_key(name, ids),
            version=listings_version(),
            at=at,
            count=count,
            changes_next=changes_next,
        )

    return replace(plan, count=cached)
