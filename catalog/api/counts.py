"""Channel lists' exact counts and deep pages from the render cache (`commerce.api.fragments`).

A product list narrowed by channels alone counts the channels' links (4-6 ms of SQL for a
channel of 15,000 products on the benchmark's data, the largest statement of a warm first page),
and a deep page of one channel walks its links in order (offset 5,000: ~5 ms, each link checked
against the unlisted products). Both change only with a write that may change listings, which
bumps the listings version in its transaction (`catalog.versions.touch_listings`), or when a
scheduled listing's moment passes (`catalog.listings.listed_changes_next`); the order they
follow (`product_created_at`, then id) never changes. So the count and a deep page's ids are
cached under (the list, the channels, the listings version; the page's offset and limit) and
kept until that moment: a warm page reads the version (one primary-key lookup) instead, and is
exact to the second like the rows. A count the database keeps (one channel on PostgreSQL,
`ListPlan.count_kept`, `catalog.models.ChannelProductCount`) is read as it is, never cached:
its read costs what the version's does, and a cold page is spared the count, the version and
the next scheduled listing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from django.db.models import QuerySet

from catalog.listings import listed_changes_next
from catalog.versions import listings_version
from commerce.api.fragments import cached_value, shape_key
from commerce.selectors import ListPlan


def with_cached_listing(
    plan: ListPlan, *, name: str, channel_ids: Collection[str] | None, at: datetime, timed: bool
) -> ListPlan:
    """Return the plan with its channels' count and deep pages read through the cache.

    The same answers as the plan's own. `name` tells the lists apart (the store's listed
    products, the admin's live ones); `timed`: the list depends on the moment (the store's
    listings), so a cached value keeps until the next one.
    """
    count, page = plan.count, plan.page
    if not channel_ids or (count is None and page is None):
        return plan
    ids = sorted(set(channel_ids))
    version = cache(listings_version)  # read once a request, whatever asks

    @cache
    def changes_next() -> datetime | None:
        return listed_changes_next(ids, at) if timed else None

    def cached(part: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        return cached_value(
            key=shape_key(name, ids, *part),
            version=version(),
            at=at,
            compute=compute,
            changes_next=changes_next,
        )

    cached_count: Callable[[], int] | None = count if plan.count_kept else None
    if count is not None and not plan.count_kept:
        counted = count

        def cached_count() -> int:
            return cached(("count",), counted)

    cached_page: Callable[[int, int], QuerySet | list | None] | None = None
    if page is not None:
        paged = page

        def cached_page(offset: int, limit: int) -> QuerySet | list | None:
            # A miss reads the page's rows in the walk itself and caches their ids: one
            # statement instead of the ids and then the rows by id (~2 ms less in process at
            # offset 5,000: the second statement's plan alone was 1.1 ms). A hit reads the rows
            # by their cached ids.
            read: list[list] = []

            def page_ids() -> list[str] | None:
                found = paged(offset, limit)
                if found is None:
                    return None
                rows = found if isinstance(found, list) else list(plan.rows(found))
                read.append(rows)
                return [row.pk for row in rows]

            found_ids = cached(("page", offset, limit), page_ids)
            if read:
                return read[0]
            if found_ids is None:
                return None
            if plan.rows_of is not None:
                return plan.rows_of(found_ids)
            return plan.queryset.filter(pk__in=found_ids)

    return replace(plan, count=cached_count, page=cached_page)
