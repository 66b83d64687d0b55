"""Reads on regions, shipping options, the store and staff (their API tokens), for the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from commerce import permissions
from commerce.exceptions import NotFound
from commerce.lookups import first_or_raise
from commerce.models import ApiToken, Currency, PaymentProvider, Region, ShippingOption, Store, User
from commerce.reusable_sql import ReusableQuery
from commerce.services import store_get_or_create

# Read on every admin request with a token: written once (`ReusableQuery`: 0.76 -> 0.19 ms of CPU).
_api_token_query = ReusableQuery(
    lambda token_hash: ApiToken.objects.select_related("user").filter(token_hash=token_hash)[:1]
)


def api_token_with_user(*, token_hash: str) -> ApiToken | None:
    """Return the API token of this hash with its user, or None (one query)."""
    found = _api_token_query.instances(token_hash)
    return found[0] if found else None  # type: ignore[return-value]  # an ApiToken query


def _providers() -> Prefetch:
    return Prefetch("payment_providers", queryset=PaymentProvider.objects.order_by("id"))


def region_qs_for_admin(
    *, with_deleted: bool = False, with_providers: bool = True
) -> QuerySet[Region]:
    """Return regions (soft-deleted ones too when asked), with their payment providers by default."""
    regions = Region.all_objects.all() if with_deleted else Region.objects.all()
    if with_providers:
        regions = regions.prefetch_related(_providers())
    return regions.order_by("-created_at", "-id")


def region_get_for_admin(*, region_id: str) -> Region:
    """Return a live region loaded for the admin serializer, or raise NotFound."""
    return first_or_raise(
        region_qs_for_admin().filter(pk=region_id),
        NotFound(f"Region with id: {region_id} was not found"),
    )


def shipping_option_qs_for_admin(*, with_region: bool = True) -> QuerySet[ShippingOption]:
    """Return live shipping options, with their region (and its providers) when asked."""
    options = ShippingOption.objects.all()
    if with_region:
        options = options.select_related("region").prefetch_related(
            Prefetch("region__payment_providers", queryset=PaymentProvider.objects.order_by("id"))
        )
    return options.order_by("-created_at", "-id")


def shipping_option_get_for_admin(*, option_id: str) -> ShippingOption:
    """Return a live shipping option loaded for the admin serializer, or raise NotFound."""
    return first_or_raise(
        shipping_option_qs_for_admin().filter(pk=option_id),
        NotFound(f"Shipping option with id: {option_id} was not found"),
    )


def store_get() -> Store:
    """Return the store with its currencies and default channel loaded (creating it if missing)."""
    store = (
        Store.objects.select_related("default_sales_channel")
        .prefetch_related(Prefetch("currencies", queryset=Currency.objects.order_by("code")))
        .filter(singleton=True)
        .first()
    )
    if store is None:
        store_get_or_create()
        return store_get()
    return store


def user_role(user: User) -> str:
    """Medusa's `role` of a staff user: `admin` for superusers, else their role group's.

    A user in no role group is a `member` (Medusa's default role, never null); their rights are
    their own permissions then, not the Member group's.

    Reads `user.groups` (prefetch it for lists: `user_qs_for_admin`).
    """
    if user.is_superuser:
        return permissions.ROLE_ADMIN
    names = {group.name for group in user.groups.all()}
    for role in permissions.ROLES:
        if permissions.ROLE_GROUPS[role] in names:
            return role
    return permissions.ROLE_MEMBER


def user_qs_for_admin() -> QuerySet[User]:
    """Staff users, oldest first, with their groups (for `role`)."""
    return (
        User.objects.filter(is_staff=True).prefetch_related("groups").order_by("created_at", "id")
    )


# ---- LIST PLANS ----


def _rows_as_they_are(rows: QuerySet) -> QuerySet:
    return rows


@dataclass(frozen=True)
class ListPlan:
    """How one list request is counted and paged: decided once, by the list's selector.

    The pagination (`commerce.api.pagination`) reads a plan and nothing else: data flows from
    the selector to the pagination to the response, never back into the view.

    - `source`: the list's rows, filtered and ordered, as a queryset or a function building it:
      `queryset` builds it on first use, so a page the plan reads another way (`shallow_page`)
      never pays for building it;
    - `count`: the same exact count as `queryset.count()`, the cheap way, or None (then the
      pagination counts the queryset);
    - `page(offset, limit)`: the same page's rows reached a cheaper way (a queryset, or a list of
      rows already read with `rows`), or None; the pagination asks only for deep pages
      (`SINGLE_PASS_MIN_OFFSET` on: shallower ones walk the queryset's order and stop early);
    - `shallow_page(offset, limit)`: a shallower page's rows, read with `rows` by a cheaper
      statement than the queryset's (the same walk, its SQL written once), or None;
    - `rows_of(ids)`: the rows of these ids that the queryset has, read with `rows`, in its
      order, by a cheaper statement than the queryset's (a cached page's), or None;
    - `rows(queryset)`: what the page's rows are read with, applied to the one queryset that
      fetches them whichever way the page is found (e.g. the store's ids and `list_version`s).
      It must not change which rows there are nor their order;
    - `count_kept`: `count` reads a number the database keeps (no dearer than a cache's read),
      so a cache in front of the list leaves it uncached.
    """

    source: QuerySet | Callable[[], QuerySet]
    count: Callable[[], int] | None = None
    page: Callable[[int, int], QuerySet | list | None] | None = None
    rows: Callable[[QuerySet], QuerySet] = _rows_as_they_are
    shallow_page: Callable[[int, int], list] | None = None
    rows_of: Callable[[list[str]], list] | None = None
    count_kept: bool = False

    @cached_property
    def queryset(self) -> QuerySet:
        return self.source if isinstance(self.source, QuerySet) else self.source()
