"""The admin and store viewsets' one flow, and its OpenAPI declaration.

A write reads its body with the action's input serializer, calls a service (the view's
perform_* hooks) and answers with the object read again through the view's selector
(`get_detail_object`), in Medusa's envelope. `contract_schema` documents such a view's actions
(`operation()`s) from the same declarations (its envelope, `serializer_class`, its input
serializers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.utils import extend_schema_view
from rest_framework.fields import empty
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import GenericViewSet

from commerce.api.mixins import EnvelopeMixin, ExpandMixin, validated_input
from commerce.api.schema import DeleteResponseSerializer, Operation
from commerce.api.schema import envelope as envelope_schema

# DRF's Retrieve/Create/Update/DestroyModelMixin for views whose writes are services and whose
# reads are selectors: the body goes through the view's input serializer
# (`create_input_serializer_class`, `update_input_serializer_class`) to its hooks
# perform_create(data), perform_update(get_update_target(pk), data) and perform_destroy(pk),
# and the answer is the object read again (`detail_response`) or Medusa's delete object.
# Each view writes its hooks out, as with DRF's perform_*: most are one service call, but the
# services name their object differently (`collection_id=`, `key_id=`, a loaded `region=`) and
# some take the user's channel scope (saleschannels', which commerce does not import).
# Comments, not docstrings: see EnvelopeMixin.


class ContractRetrieveMixin(EnvelopeMixin):
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.detail_response(pk)


class ContractCreateMixin(EnvelopeMixin):
    # perform_create(data) returns the new object.
    create_input_serializer_class: type[BaseSerializer]

    def create(self, request: Request) -> Response:
        data = validated_input(self.create_input_serializer_class, request.data)
        return self.detail_response(self.perform_create(data).pk)

    def perform_create(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError


class ContractUpdateMixin(EnvelopeMixin):
    # `POST /resource/{id}` (MedusaRouter maps it to partial_update). get_update_target(pk) runs
    # before the body is read, as DRF's get_object() does: a view that must load the object, or
    # check that the user may reach it, answers its 404 before any 400.
    update_input_serializer_class: type[BaseSerializer]

    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_update_target(pk)
        data = validated_input(self.update_input_serializer_class, request.data)
        self.perform_update(target, data)
        return self.detail_response(pk)

    def get_update_target(self, pk: str) -> Any:
        return pk

    def perform_update(self, target: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError


class ContractDestroyMixin(EnvelopeMixin):
    # `{"id", "object": delete_object_name, "deleted": true}`, as Medusa answers a delete.
    def destroy(self, request: Request, pk: str) -> Response:
        self.perform_destroy(pk)
        return self.deleted(pk)

    def perform_destroy(self, pk: str) -> None:
        raise NotImplementedError


class ContractViewSet(ContractRetrieveMixin, ExpandMixin, ListModelMixin, GenericViewSet):
    # list (FilterSet, envelope pagination, `expand`/`fields`) and retrieve (get_detail_object).
    pass


class ContractModelViewSet(
    ContractCreateMixin, ContractUpdateMixin, ContractDestroyMixin, ContractViewSet
):
    # The whole resource: list, retrieve, create, update, delete.
    pass


View = TypeVar("View", bound=type)
INPUT_SERIALIZER_ATTRIBUTES = {
    "create": "create_input_serializer_class",
    "partial_update": "update_input_serializer_class",
}


def batch_schema(
    operation_id: str,
    *,
    request: type[BaseSerializer],
    answer: Any,
    add: Operation,
    remove: Operation,
    removed: Any = None,
) -> list[Callable[..., Any]]:
    """Return the POST (add) and DELETE (remove) schemas of a `…/batch` route, from two `operation()`s.

    Both take the same body (`request`) and answer `answer`, or the DELETE `removed` when given;
    their operation ids are `<operation_id>_add` and `<operation_id>_remove`. A `contract_schema`
    action (or an `extend_schema_view` one) takes the list as it is.
    """
    return [
        declared.schema(
            body, methods=[method], operation_id=f"{operation_id}_{verb}", request=request
        )
        for method, verb, declared, body in (
            ("POST", "add", add, answer),
            ("DELETE", "remove", remove, answer if removed is None else removed),
        )
    ]


def contract_schema(
    envelope: BaseSerializer | None = None,
    **actions: Operation | list[Callable[..., Any]],
) -> Callable[[View], View]:
    """`extend_schema_view` for a Contract* viewset: `operation()`s, with bodies and answers from the view.

    `envelope` is the detail envelope: by default `{envelope_singular: serializer_class}`, named
    from the view's surface and key (`AdminShippingOptionResponse` for `shipping_option` in an
    `api/admin` module), or an envelope serializer of its own. Unless the operation names its
    own answer, the 200 of `list` is a page of `serializer_class`, of `destroy` Medusa's delete
    object, of any other action the envelope; the request body is the action's input
    serializer, if any. An action may also be given the list `batch_schema` returns.
    """

    def decorate(view: View) -> View:
        detail = envelope
        if detail is None:
            key = view.envelope_singular  # type: ignore[attr-defined]
            surface = "Store" if ".api.store." in view.__module__ else "Admin"
            name = "".join(word.capitalize() for word in key.split("_"))
            detail = envelope_schema(
                f"{surface}{name}Response",
                view.serializer_class,  # type: ignore[attr-defined]
                key=key,
            )
        schemas: dict[str, Any] = {}
        for action, declared in actions.items():
            if not isinstance(declared, Operation):
                schemas[action] = declared
                continue
            if declared.answer is not empty:  # its own
                answer: Any = declared.answer
            elif action == "list":
                answer = view.serializer_class(many=True)  # type: ignore[attr-defined]
            elif action == "destroy":
                answer = DeleteResponseSerializer
            else:
                answer = detail
            defaults = {}
            body = getattr(view, INPUT_SERIALIZER_ATTRIBUTES.get(action, ""), None)
            if body is not None:
                defaults["request"] = body
            schemas[action] = declared.schema(answer, **defaults)
        return extend_schema_view(**schemas)(view)

    return decorate
