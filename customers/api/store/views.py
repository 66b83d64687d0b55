"""Store auth and account routes (Medusa v1): register, sign in, profile, addresses, password reset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.api.admin.throttles import AdminLoginRateThrottle
from commerce.api.mixins import validated_input
from commerce.api.schema import Operation, envelope, operation
from commerce.api.store.views import StoreMixin
from customers import selectors, services
from customers.api.store.auth import (
    request_customer_required,
    session_origin_check,
    store_session_close,
    store_session_open,
)
from customers.api.store.serializers import (
    AuthInputSerializer,
    CustomerAddressCreateInputSerializer,
    CustomerCreateInputSerializer,
    CustomerSerializer,
    CustomerUpdateInputSerializer,
    NewAddressInputSerializer,
    PasswordResetInputSerializer,
    PasswordTokenInputSerializer,
)
from customers.exceptions import CustomerNotSignedIn
from customers.models import Customer
from customers.tokens import customer_access_token

CustomerEnvelope = envelope("StoreCustomerResponse", CustomerSerializer, key="customer")
BEARER = OpenApiParameter(
    "authorization",
    str,
    OpenApiParameter.HEADER,
    description="`Bearer <access_token>` from `POST /store/auth/token` (or the store session cookie).",
)


def signed_in_operation(summary: str, *, errors: tuple[int, ...], **words: Any) -> Operation:
    """Return the `operation()` of a route of the signed-in customer that answers `{customer}`.

    `words`: operation()'s other arguments (request, description, operation_id).
    """
    return operation(summary, errors=errors, parameters=[BEARER], answer=CustomerEnvelope, **words)


class StoreLoginRateThrottle(AdminLoginRateThrottle):
    """The admin login throttle, counted apart: `DEFAULT_THROTTLE_RATES["store_login"]`."""

    scope = "store_login"


def _authenticated(data: dict[str, Any]) -> Customer:
    """Return the customer of a sign-in body (`AuthInputSerializer`'s), or refuse it (401)."""
    customer = services.customer_authenticate(email=data["email"], password=data["password"])
    if customer is None:
        raise CustomerNotSignedIn()
    return customer


def _render(customer_id: str, status: int = 200) -> Response:
    customer = selectors.customer_get(customer_id=customer_id)
    return Response({"customer": CustomerSerializer(customer).data}, status=status)


class StoreCustomerView(StoreMixin, APIView):
    """`POST /store/customers`: register, and sign in with the store session (as Medusa v1)."""

    @operation(
        "Register a customer account",
        errors=(400, 422),
        description=(
            "Creates an account (a guest customer of the same email stays as it is) and opens "
            "the store session. An email that already has an account: 422."
        ),
        request=CustomerCreateInputSerializer,
        answer=CustomerEnvelope,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(CustomerCreateInputSerializer, request.data)
        session_origin_check(request)
        customer = services.customer_create(**data)
        response = _render(customer.pk)
        store_session_open(request, response, customer)
        return response


class StoreAuthView(StoreMixin, APIView):
    """`/store/auth`: the cookie session. Signing in is throttled per client address."""

    def get_throttles(self):
        return [StoreLoginRateThrottle()]

    @operation(
        "Sign in (store session cookie)",
        errors=(400, 401, 429),
        request=AuthInputSerializer,
        answer=CustomerEnvelope,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(AuthInputSerializer, request.data)
        session_origin_check(request)
        customer = _authenticated(data)
        response = _render(customer.pk)
        store_session_open(request, response, customer)
        return response

    @signed_in_operation("The signed-in customer", errors=(401,))
    def get(self, request: Request) -> Response:
        return _render(request_customer_required(request).pk)

    @operation(
        "Sign out (end the store session)",
        errors=(),
        request=None,
        answer=OpenApiResponse(OpenApiTypes.OBJECT, description="`{}`"),
    )
    def delete(self, request: Request) -> Response:
        response = Response({})
        store_session_close(request, response)
        return response


class StoreAuthTokenView(StoreMixin, APIView):
    """`POST /store/auth/token` → `{access_token}`, a signed JWT with an expiry."""

    throttle_classes = [StoreLoginRateThrottle]

    @operation(
        "Get a bearer token",
        errors=(400, 401, 429),
        description=(
            "A signed token valid for `STORE_JWT_EXPIRY` seconds; send it as "
            "`Authorization: Bearer <token>`. Throttled per client address (429)."
        ),
        request=AuthInputSerializer,
        answer=inline_serializer(
            "StoreAuthTokenResponse", fields={"access_token": serializers.CharField()}
        ),
    )
    def post(self, request: Request) -> Response:
        customer = _authenticated(validated_input(AuthInputSerializer, request.data))
        return Response({"access_token": customer_access_token(customer=customer)})


class StoreAuthEmailView(StoreMixin, APIView):
    """`GET /store/auth/{email}` → `{exists}`: Medusa's account check, off with a setting."""

    @operation(
        "Does an account exist for this email?",
        errors=(404,),
        operation_id="store_auth_email_exists",
        description=(
            "Medusa v1's route: it tells anyone whether an email has an account. Turn it off "
            "with `STORE_AUTH_EMAIL_LOOKUP=false` (then 404)."
        ),
        answer=inline_serializer(
            "StoreAuthEmailResponse", fields={"exists": serializers.BooleanField()}
        ),
    )
    def get(self, request: Request, email: str) -> Response:
        if not settings.STORE_AUTH_EMAIL_LOOKUP:
            raise NotFound("Not Found")
        return Response({"exists": selectors.customer_account_exists(email=email)})


class StoreCustomerMeView(StoreMixin, APIView):
    """`GET|POST /store/customers/me`: the signed-in customer's profile."""

    @signed_in_operation("The signed-in customer, with addresses", errors=(401,))
    def get(self, request: Request) -> Response:
        return _render(request_customer_required(request).pk)

    @signed_in_operation(
        "Update the signed-in customer",
        errors=(400, 401, 404, 422),
        description=(
            "`billing_address` is an address object or the id of one of the customer's saved "
            "addresses. A new password ends the customer's store sessions."
        ),
        request=CustomerUpdateInputSerializer,
    )
    def post(self, request: Request) -> Response:
        customer = request_customer_required(request)
        data = validated_input(CustomerUpdateInputSerializer, request.data)
        services.customer_update(customer_id=customer.pk, **data)
        return _render(customer.pk)


class StoreCustomerAddressesView(StoreMixin, APIView):
    @signed_in_operation(
        "Save a shipping address",
        errors=(400, 401),
        request=CustomerAddressCreateInputSerializer,
    )
    def post(self, request: Request) -> Response:
        customer = request_customer_required(request)
        data = validated_input(CustomerAddressCreateInputSerializer, request.data)
        services.customer_address_add(customer_id=customer.pk, address=data["address"])
        return _render(customer.pk)


class StoreCustomerAddressView(StoreMixin, APIView):
    @signed_in_operation(
        "Change a saved address",
        errors=(400, 401, 404),
        operation_id="store_customers_me_address_update",
        request=NewAddressInputSerializer,
    )
    def post(self, request: Request, address_id: str) -> Response:
        customer = request_customer_required(request)
        payload = NewAddressInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.customer_address_update(
            customer_id=customer.pk, address_id=address_id, address=dict(payload.validated_data)
        )
        return _render(customer.pk)

    @signed_in_operation("Remove a saved address", errors=(401,), request=None)
    def delete(self, request: Request, address_id: str) -> Response:
        customer = request_customer_required(request)
        services.customer_address_delete(customer_id=customer.pk, address_id=address_id)
        return _render(customer.pk)


class StorePasswordTokenView(StoreMixin, APIView):
    """Always 204, whether or not the email has an account: it tells nobody anything."""

    throttle_classes = [StoreLoginRateThrottle]

    @operation(
        "Email a password reset token",
        errors=(400, 429),
        request=PasswordTokenInputSerializer,
        status=204,
        answer=None,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(PasswordTokenInputSerializer, request.data)
        services.customer_password_token_send(email=data["email"])
        return Response(status=204)


class StorePasswordResetView(StoreMixin, APIView):
    throttle_classes = [StoreLoginRateThrottle]

    @operation(
        "Set a new password with a reset token",
        errors=(400, 401, 429),
        request=PasswordResetInputSerializer,
        answer=CustomerEnvelope,
    )
    def post(self, request: Request) -> Response:
        data = validated_input(PasswordResetInputSerializer, request.data)
        customer = services.customer_password_reset(**data)
        return _render(customer.pk)
