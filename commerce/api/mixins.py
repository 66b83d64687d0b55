"""View mixins: envelopes (and the detail a view answers with), `expand`/`fields`, feature-flag gates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from commerce import flags
from commerce.api.query import split_csv

if TYPE_CHECKING:
    # To the type checker a view mixin is the DRF view it is mixed into, so `self.request`,
    # `self.action` and `super()` calls are checked; at run time the mixins stay plain classes
    # (`object`), so no method resolution order changes.
    from rest_framework.views import APIView as APIViewHost
    from rest_framework.viewsets import GenericViewSet as ViewSetHost
else:
    APIViewHost = ViewSetHost = object


def validated_input(serializer_class: type[BaseSerializer], data: Any) -> dict[str, Any]:
    """Return `data` (a request body) validated by an input serializer; a 400 when it is not valid."""
    payload = serializer_class(data=data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class EnvelopeMixin(ViewSetHost):
    """Detail responses are `{<singular>: {...}}`; lists use the pagination envelope."""

    # Not an operation's description: the schema takes only what `operation()` says and the
    # view class's own docstrings (`ContractAutoSchema.get_description`).

    envelope_singular: str = ""
    envelope_plural: str = ""
    delete_object_name: str = ""
    # The context a detail is rendered with; None: get_serializer()'s (`expand`, `fields`).
    detail_context: dict[str, Any] | None = None
    not_found_error: type[Exception]  # what the default get_detail_object() raises

    def envelope(self, data: Any) -> Response:
        return Response({self.envelope_singular: data})

    def deleted(self, object_id: str) -> Response:
        return Response({"id": object_id, "object": self.delete_object_name, "deleted": True})

    def retrieve(self, request, *args, **kwargs):
        return self.envelope(self.get_serializer(self.get_object()).data)

    def get_detail_object(self, pk: str) -> Any:
        """Read the object a detail (or a write) answers with; views read it with their selector.

        By default the row `pk` of get_queryset(), or the view's `not_found_error(pk)`.
        """
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise self.not_found_error(pk)
        return instance

    def get_detail_serializer(self, instance: Any) -> BaseSerializer:
        if self.detail_context is None:
            return self.get_serializer(instance)
        return self.get_serializer_class()(instance, context=dict(self.detail_context))

    def detail_response(self, pk: str) -> Response:
        """`{<singular>: {...}}` of the object `pk`, read again (after a write: as it is now)."""
        return self.envelope(self.get_detail_serializer(self.get_detail_object(pk)).data)


class ExpandMixin(ViewSetHost):
    """Resolve `expand` (relations) and `fields` (columns) against the view's allow-lists.

    `expand` absent → `default_relations`; `expand=` (empty) → none; unknown names → 400
    `Relations [x] are not valid`. `fields` unknown → 400 `Fields [x] are not valid`.
    The result goes to the serializer context and to `get_queryset()` via `resolved_relations()`.
    """

    default_relations: tuple[str, ...] = ()
    allowed_relations: tuple[str, ...] = ()
    allowed_fields: tuple[str, ...] = ()
    list_always_fields: tuple[str, ...] = ("id", "created_at")

    def resolved_relations(self) -> set[str]:
        cached = getattr(self, "_resolved_relations", None)
        if cached is not None:
            return cached
        requested = split_csv(self.request.query_params.get("expand"))
        if requested is None:
            relations = set(self.default_relations)
        else:
            bad = [name for name in requested if name not in self.allowed_relations]
            if bad:
                raise ValidationError(
                    {"non_field_errors": [f"Relations [{', '.join(bad)}] are not valid"]}
                )
            relations = set(requested)
        self._resolved_relations = relations
        return relations

    def resolved_fields(self) -> set[str] | None:
        requested = split_csv(self.request.query_params.get("fields"))
        if not requested:
            return None
        bad = [name for name in requested if name not in self.allowed_fields]
        if bad:
            raise ValidationError(
                {"non_field_errors": [f"Fields [{', '.join(bad)}] are not valid"]}
            )
        fields = set(requested)
        if getattr(self, "action", None) == "list":
            fields |= set(self.list_always_fields)
        return fields

    def rendered_relations(self) -> set[str]:
        """Return the relations the serializer renders: `expand`'s (a view may narrow them)."""
        return self.resolved_relations()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and self.request.method == "GET":
            context["relations"] = self.rendered_relations()
            context["fields"] = self.resolved_fields()
        return context


def with_parent_paths(relations: set[str]) -> set[str]:
    """`variants.prices` implies `variants`, as a relation path does in Medusa."""
    expanded = set(relations)
    for name in relations:
        parts = name.split(".")
        expanded.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return expanded


class FeatureFlagRequiredMixin(APIViewHost):
    """Answer 404 for every route of the view when `required_feature_flag` is off (design §6)."""

    required_feature_flag: str = ""

    def initial(self, request, *args, **kwargs):
        if self.required_feature_flag and not flags.is_enabled(self.required_feature_flag):
            raise NotFound("Not Found")
        return super().initial(request, *args, **kwargs)


def loaded_relations_release(objects: Any) -> None:
    """Drop the relations prefetched onto a page's objects (`loaded_*`, Django's prefetch cache).

    A prefetched child points back at its parent (Django sets `item.order` when it prefetches
    `order.items`), so a rendered page is a web of reference cycles that only the cyclic garbage
    collector can free: 3 to 5 ms a request on a page of products or orders, measured. Without
    the parent-to-children lists the page is freed as soon as the response no longer needs it.
    """
    for obj in objects or ():
        state = getattr(obj, "__dict__", None)
        if state is None:
            continue
        for name in [key for key in state if key.startswith("loaded_")]:
            del state[name]
        state.pop("_prefetched_objects_cache", None)


class PageReleaseMixin(ViewSetHost):  # docs/speed-layer.md "Released pages"
    """List views: release the page's prefetched relations once it is rendered (see above)."""

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        self._rendered_page = page
        return page

    def get_paginated_response(self, data: Any) -> Response:
        loaded_relations_release(getattr(self, "_rendered_page", None))
        self._rendered_page = None
        return super().get_paginated_response(data)


if TYPE_CHECKING:

    class ContractViewHost(EnvelopeMixin, ExpandMixin):
        """For the type checker: a mixin that relies on the envelope and `expand` mixins."""

else:
    ContractViewHost = object
