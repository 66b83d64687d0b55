"""Staff channel scope: which sales channels a staff user may work in, applied in one place.

`staff_scope(user)` says which channels (None: all). `restrict(queryset, scope)` narrows any
queryset of a scoped model to what the scope lets the user see, by the rule the model declares
in `channel_scope_rule`:

- `SELF`: a sales channel is in scope when it is one of the user's channels;
- `ScopeRule.fk("sales_channel_id")`: an order or a cart, when its channel is one of them;
- `ScopeRule.any("channel_links")`: a product, when at least one of its channels is;
- `ScopeRule.all("channel_links")`: a publishable key, when every live channel of it is;
- `ScopeRule.any_of("orders", "carts")`: a customer, when at least one of their orders or carts
  is in scope by that model's own rule (reverse relations named, resolved through the model meta
  at run time, so `customers` never imports `orders` or `carts`);
- `ScopeRule.via("subscription")`: a webhook delivery, when the row its foreign key points at is;
- `ScopeRule.json_all("sales_channel_ids")`: a webhook subscription, when its JSON list of
  channel ids is not empty (empty means every channel) and every id in it is in scope.

Every admin door (API selectors, Django admin querysets, the overview chart) goes through here;
no view filters by hand. See docs/permissions.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from commerce.lookups import first_or_raise

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ChannelScope:
    """The channels a user may work in; `channel_ids=None` is every channel."""

    channel_ids: frozenset[str] | None = None

    @property
    def restricted(self) -> bool:
        return self.channel_ids is not None

    def covers(self, channel_ids: Iterable[str]) -> bool:
        """Whether every one of `channel_ids` is in scope."""
        return self.channel_ids is None or set(channel_ids) <= self.channel_ids

    def includes(self, channel_id: str | None) -> bool:
        return self.channel_ids is None or channel_id in self.channel_ids


EVERY_CHANNEL = ChannelScope()


def _naming_one(kind: str) -> classmethod[ScopeRule, [str], ScopeRule]:
    """Return the constructor of the rules of `kind`, which name one field or relation."""

    def rule(cls: type[ScopeRule], field: str) -> ScopeRule:
        return cls(kind, field)

    return classmethod(rule)


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows are in a scope (see the module's docstring for each kind)."""

    kind: str  # "self", "fk", "any", "all", "any_of", "via", "json_all"
    field: str = ""
    fields: tuple[str, ...] = ()

    fk = _naming_one("fk")
    any = _naming_one("any")
    all = _naming_one("all")
    via = _naming_one("via")
    json_all = _naming_one("json_all")

    @classmethod
    def any_of(cls, *relations: str) -> ScopeRule:
        return cls("any_of", fields=relations)


SELF = ScopeRule("self")


def staff_scope(user: Any) -> ChannelScope:
    """Return the scope of a staff user: their own scope row and their groups' rows, added up.

    One query, remembered on the user object (so once per request).
    """
    if user is None or not getattr(user, "is_authenticated", False) or user.is_superuser:
        return EVERY_CHANNEL
    cached = getattr(user, "_channel_scope", None)
    if cached is not None:
        return cached
    from saleschannels.models import StaffChannelScope

    rows = list(
        StaffChannelScope.objects.filter(Q(user_id=user.pk) | Q(group__user=user.pk))
        .values_list("pk", "sales_channels")
        .distinct()
    )
    if not rows:
        scope = EVERY_CHANNEL
    else:
        scope = ChannelScope(frozenset(cid for _, cid in rows if cid is not None))
    user._channel_scope = scope
    return scope


def staff_scope_forget(user: Any) -> None:
    """Drop the remembered scope of a user object (after their scope changed)."""
    user.__dict__.pop("_channel_scope", None)


def restrict(queryset: QuerySet, scope: ChannelScope) -> QuerySet:
    """Narrow a queryset of a scoped model to what `scope` may see (unchanged when unrestricted)."""
    if not scope.restricted:
        return queryset
    rule: ScopeRule = queryset.model.channel_scope_rule
    ids = sorted(scope.channel_ids or ())
    if rule.kind == "self":
        return queryset.filter(pk__in=ids)
    if rule.kind == "fk":
        return queryset.filter(**{f"{rule.field}__in": ids})
    if rule.kind == "any_of":
        return queryset.filter(_any_related_in_scope(queryset.model, rule.fields, scope))
    if rule.kind == "via":
        target = queryset.model._meta.get_field(rule.field).related_model
        return queryset.filter(
            **{f"{rule.field}__in": restrict(target._base_manager.all(), scope).values("pk")}
        )
    if rule.kind == "json_all":
        return queryset.filter(pk__in=_json_all_in_scope(queryset.model, rule.field, scope))
    relation = queryset.model._meta.get_field(rule.field)
    links = relation.related_model._default_manager.filter(**{relation.field.name: OuterRef("pk")})
    if rule.kind == "any":
        return queryset.filter(Exists(links.filter(sales_channel_id__in=ids)))
    if rule.kind == "all":
        outside = links.filter(sales_channel__deleted_at__isnull=True).exclude(
            sales_channel_id__in=ids
        )
        return queryset.filter(~Exists(outside))
    raise ValueError(f"unknown scope rule {rule.kind}")


def scoped_or_raise(queryset: QuerySet[M], scope: ChannelScope, pk: str, not_found: Exception) -> M:
    """Return the row `pk` of the queryset if `scope` may see it (one query), or raise `not_found`.

    A row outside the scope is not found, as a missing one: its existence is not revealed.
    """
    return first_or_raise(restrict(queryset, scope).filter(pk=pk), not_found)


def _any_related_in_scope(model: Any, relations: tuple[str, ...], scope: ChannelScope) -> Q:
    """Rows with at least one related row (through any of these reverse relations) in scope.

    Each related model is narrowed by its own `channel_scope_rule`, so a rule stays declared once.
    """
    condition = Q()
    for name in relations:
        relation = model._meta.get_field(name)  # a reverse foreign key, e.g. Customer.orders
        related = relation.related_model._base_manager.filter(
            **{relation.field.name: OuterRef("pk")}
        )
        condition |= Q(Exists(restrict(related, scope)))
    return condition


def _json_all_in_scope(model: Any, field: str, scope: ChannelScope) -> list[Any]:
    """Primary keys of rows whose JSON list `field` is non-empty and wholly in scope.

    A JSON list is no relation the database can join portably (SQLite and PostgreSQL spell
    "every element of" differently), so this reads the lists — one query over a small table
    (webhook subscriptions) — and the caller filters by primary key.
    """
    return [
        pk
        for pk, channel_ids in model._base_manager.values_list("pk", field)
        if isinstance(channel_ids, list) and channel_ids and scope.covers(channel_ids)
    ]


OUTSIDE_SCOPE = "You may only use the sales channels you are scoped to"


def require_channels_in_scope(scope: ChannelScope, channel_ids: Iterable[str]) -> None:
    """Refuse (403) channels outside the scope."""
    from commerce.exceptions import PermissionRefused

    if not scope.covers(channel_ids):
        raise PermissionRefused(OUTSIDE_SCOPE)


def require_unrestricted(scope: ChannelScope, what: str) -> None:
    """Refuse (403) what only users with every channel may do (the store, others' scopes)."""
    from commerce.exceptions import PermissionRefused

    if scope.restricted:
        raise PermissionRefused(f"A user scoped to sales channels cannot {what}")
