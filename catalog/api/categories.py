"""What the store and admin category routes share: filters, tree loading, tree rendering."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import selectors
from catalog.models import ProductCategory
from commerce.api.filters import (
    ContractFilterSet,
    ContractOrderingFilter,
    SearchFilter,
    StrictBooleanFilter,
    date_fields,
    view_query,
)
from commerce.api.mixins import ContractViewHost

CATEGORY_RELATIONS = ("parent_category", "category_children")


class CategoryFilterBase(ContractFilterSet):
    handle = filters.CharFilter(
        field_name="handle", lookup_expr="exact", help_text="Only the category with this handle."
    )
    q = SearchFilter(
        fields=("name", "handle", "description"),
        help_text="Case-insensitive match on name, handle or description.",
    )
    parent_category_id = filters.CharFilter(
        method="filter_parent",
        help_text="Only the children of this category; `null` for the top level.",
    )
    include_descendants_tree = StrictBooleanFilter(
        method="filter_nothing", help_text="`category_children` holds every category below, nested."
    )
    # Tree order by default: each category right after its parent (siblings in the order they
    # were made), so a short first page (a storefront footer) holds the top-level categories
    # first. Children inside `category_children` follow their rank.
    order = ContractOrderingFilter(
        fields=("rank", "handle", "name", "mpath", "created_at", "updated_at", "id"),
        default=("mpath",),
    )

    class Meta:
        model = ProductCategory
        fields = date_fields("created_at", "updated_at")

    def filter_parent(self, queryset, name, value):
        """`parent_category_id=null` (as Medusa takes it): the top-level categories."""
        if value == "null":
            return queryset.filter(parent_category__isnull=True)
        return queryset.filter(parent_category_id=value)

    def filter_nothing(self, queryset, name, value):
        """`include_descendants_tree` changes what `category_children` holds, not the list."""
        return queryset


# A category's retrieve reads `include_descendants_tree` too, described as the FilterSet has it.
TREE_PARAMETER = OpenApiParameter(
    "include_descendants_tree",
    bool,
    description=str(CategoryFilterBase.base_filters["include_descendants_tree"].extra["help_text"]),
)


class CategoryViewMixin(ContractViewHost):
    """List and retrieve of categories: relations loaded per page in a fixed number of queries.

    `store_scope`: only active, non-internal categories, and hidden parents render as null.
    """

    store_scope = False
    default_limit = 100
    default_relations = CATEGORY_RELATIONS
    allowed_relations = CATEGORY_RELATIONS

    def _tree(self) -> bool:
        raw = view_query(self.request, self).scalars.get("include_descendants_tree", "")
        return raw.lower() in ("true", "1")

    def get_queryset(self) -> QuerySet[ProductCategory]:
        categories = (
            selectors.category_qs_for_store() if self.store_scope else ProductCategory.objects.all()
        )
        if "parent_category" in self.resolved_relations():
            categories = categories.select_related("parent_category")
        return categories

    def _load(self, categories: list[ProductCategory]) -> None:
        selectors.categories_load_relations(
            categories,
            relations=self.resolved_relations(),
            store=self.store_scope,
            tree=self._tree(),
        )

    def paginate_queryset(self, queryset: QuerySet[ProductCategory]) -> list[Any] | None:  # type: ignore[override]  # the stubs' row type: pages of models here
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._load(page)
        return page

    def retrieve(self, request: Request, pk: str) -> Response:
        view_query(request, self)  # unknown params are a 400 here too
        category = selectors.category_get(category_id=pk, store=self.store_scope)
        self._load([category])
        return self.envelope(self.get_serializer(category).data)


class CategoryTreeMixin(serializers.Serializer):
    """Renders `parent_category` and `category_children` from what the selectors loaded.

    Children are the category's own children (`loaded_children`); in a descendants tree each
    child has its own `category_children`, nested to the bottom.
    """

    # (Not in the docstring: that is the OpenAPI description of the admin category.) A surface's
    # category serializer names its `summary_serializer_class` (how a parent and a child render,
    # and their OpenAPI type) and its `Meta.fields` (its columns, then CATEGORY_RELATIONS).
    summary_serializer_class: type[serializers.Serializer]
    parent_category = serializers.SerializerMethodField()
    category_children = serializers.SerializerMethodField()

    class Meta:
        model = ProductCategory
        relation_fields = list(CATEGORY_RELATIONS)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        summary = cls.summary_serializer_class

        # New functions per subclass: their OpenAPI types are the subclass's summary serializer.
        @extend_schema_field(summary(allow_null=True))
        def get_parent_category(
            self: CategoryTreeMixin, category: ProductCategory
        ) -> dict[str, Any] | None:
            return self.parent_json(category)

        @extend_schema_field(summary(many=True))
        def get_category_children(
            self: CategoryTreeMixin, category: ProductCategory
        ) -> list[dict[str, Any]]:
            return self.children_json(category)

        cls.get_parent_category = get_parent_category  # type: ignore[attr-defined]  # see above
        cls.get_category_children = get_category_children  # type: ignore[attr-defined]  # see above

    @cached_property
    def _summary(self) -> Any:
        return self.summary_serializer_class(context=self.context)

    def parent_json(self, category: ProductCategory) -> dict[str, Any] | None:
        parent = category.parent_category if category.parent_category_id else None
        if parent is None or getattr(category, "hidden_parent", False):
            return None
        return self._summary.to_representation(parent)

    def children_json(self, category: ProductCategory) -> list[dict[str, Any]]:
        return [self._node(child) for child in getattr(category, "loaded_children", None) or []]

    def _node(self, category: ProductCategory) -> dict[str, Any]:
        data = self._summary.to_representation(category)
        children = getattr(category, "loaded_children", None)
        if children is not None:
            data["category_children"] = [self._node(child) for child in children]
        return data
