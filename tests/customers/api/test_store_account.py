import logging

import pytest
from django.core import mail

from customers.models import Customer, CustomerAddress
from tests.customers.api.helpers import bearer, customer_json
from tests.customers.factories import PASSWORD, CustomerFactory, GuestFactory
from tests.helpers import UNAUTHORIZED

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/store/customers"
ME = "/api/store/customers/me"
AUTH = "/api/store/auth"
TOKEN = "/api/store/auth/token"
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address_1": "1 Main St",
    "city": "Copenhagen",
    "country_code": "dk",
    "postal_code": "1000",
}
REGISTER = {
    "email": "Ada@Example.com",
    "password": "s3cret-Pass",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "phone": "+45 1234",
}


@pytest.fixture
def ada(db):
    return CustomerFactory(email="ada@example.com")


def _no_password_anywhere(body, password):
    text = str(body)
    assert "password" not in text
    assert password not in text


# ---- REGISTER ----


def test_register_answers_the_customer_and_opens_a_store_session(api_client, caplog):
    caplog.set_level(logging.DEBUG)
    response = api_client.post(CUSTOMERS, REGISTER)
    assert response.status_code == 200, response.json()
    customer = Customer.objects.get()
    assert response.json() == {"customer": customer_json(customer)}
    assert response.json()["customer"]["email"] == "ada@example.com"
    assert response.json()["customer"]["has_account"] is True
    _no_password_anywhere(response.json(), REGISTER["password"])
    assert REGISTER["password"] not in caplog.text
    assert "store_session" in response.cookies
    assert "sessionid" not in response.cookies  # never the staff session
    cookie = response.cookies["store_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert api_client.get(AUTH).json() == {"customer": customer_json(customer)}


def test_register_an_email_with_an_account_is_a_422_and_changes_nothing(api_client, ada):
    response = api_client.post(CUSTOMERS, {**REGISTER, "email": "ADA@example.com"})
    assert response.status_code == 422
    assert response.json() == {
        "type": "duplicate_error",
        "code": "invalid_request_error",
        "message": "A customer with the given email already has an account. Log in instead",
    }
    assert Customer.objects.count() == 1


def test_register_with_a_bad_body_is_a_400(api_client):
    response = api_client.post(CUSTOMERS, {**REGISTER, "foo": 1})
    assert response.status_code == 400
    assert response.json()["message"] == "property foo should not exist"
    response = api_client.post(CUSTOMERS, {**REGISTER, "email": "nope"})
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"
    assert not Customer.objects.exists()


def test_register_from_a_foreign_browser_origin_is_refused(api_client):
    response = api_client.post(CUSTOMERS, REGISTER, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 400
    assert response.json()["type"] == "not_allowed"
    assert not Customer.objects.exists()


# ---- TOKEN ----


def test_token_signs_in_with_bearer(api_client, ada):
    headers = bearer(api_client, "ADA@example.com", PASSWORD)
    response = api_client.get(ME, **headers)
    assert response.status_code == 200
    assert response.json() == {"customer": customer_json(ada)}
    assert api_client.get(AUTH, **headers).json() == {"customer": customer_json(ada)}


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        (
            {"email": "ada@example.com", "password": "wrong"},
            401,
            UNAUTHORIZED,
        ),
        (
            {"email": "nobody@example.com", "password": PASSWORD},
            401,
            UNAUTHORIZED,
        ),
        (
            {"email": "guest@example.com", "password": PASSWORD},
            401,
            UNAUTHORIZED,
        ),
        (
            {"email": "guest@example.com", "password": ""},
            400,
            {"type": "invalid_data", "message": "password should not be empty"},
        ),
    ],
)
def test_wrong_credentials_sign_nobody_in(api_client, ada, body, status, answer):
    GuestFactory(email="guest@example.com")
    for route in (TOKEN, AUTH):
        response = api_client.post(route, body)
        assert (response.status_code, response.json()) == (status, answer)
        assert "store_session" not in response.cookies


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer not-a-jwt", "Basic abc", "Token x"],
)
def test_me_without_a_valid_token_is_a_401(api_client, ada, header):
    response = api_client.get(ME, HTTP_AUTHORIZATION=header, HTTP_NEXT='{"tags":["customer"]}')
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_expired_token_is_a_401(api_client, ada, settings):
    settings.STORE_JWT_EXPIRY = -1
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    assert api_client.get(ME, **headers).status_code == 401


def test_token_of_a_deleted_customer_is_a_401(api_client, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    Customer.objects.filter(pk=ada.pk).update(deleted_at="2026-01-01T00:00:00Z")
    assert api_client.get(ME, **headers).status_code == 401


def test_token_route_is_throttled(api_client, ada, settings):
    for _ in range(10):
        assert (
            api_client.post(TOKEN, {"email": "ada@example.com", "password": "x"}).status_code == 401
        )
    response = api_client.post(TOKEN, {"email": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "access_token" not in response.json()


def test_session_login_is_throttled(api_client, ada):
    for _ in range(10):
        api_client.post(AUTH, {"email": "ada@example.com", "password": "x"})
    assert (
        api_client.post(AUTH, {"email": "ada@example.com", "password": PASSWORD}).status_code == 429
    )
    assert api_client.get(AUTH).status_code == 401  # reads are not counted, and not signed in


# ---- COOKIE SESSION ----


def test_session_sign_in_check_and_sign_out(api_client, ada):
    response = api_client.post(AUTH, {"email": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"customer": customer_json(ada)}
    _no_password_anywhere(response.json(), PASSWORD)
    assert api_client.get(ME).status_code == 200
    response = api_client.delete(AUTH)
    assert response.status_code == 200
    assert response.json() == {}
    assert api_client.get(AUTH).status_code == 401
    assert api_client.get(ME).status_code == 401


def test_staff_session_is_not_a_store_session(api_client, admin_user, ada):
    api_client.force_login(admin_user)
    assert api_client.get(AUTH).status_code == 401
    assert api_client.get(ME).status_code == 401


def test_session_write_from_a_foreign_origin_is_refused(api_client, ada):
    api_client.post(AUTH, {"email": "ada@example.com", "password": PASSWORD})
    response = api_client.post(ME, {"first_name": "Eve"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 400
    assert response.json() == {
        "type": "not_allowed",
        "message": "Origin https://evil.example may not use the store session cookie; "
        "send a bearer token instead",
    }
    ada.refresh_from_db()
    assert ada.first_name == "Ada"
    # Our own origin, a trusted one, or no Origin at all (a server) may write.
    assert (
        api_client.post(ME, {"first_name": "A"}, HTTP_ORIGIN="http://testserver").status_code == 200
    )
    assert api_client.post(ME, {"first_name": "B"}).status_code == 200
    assert api_client.get(ME, HTTP_ORIGIN="https://evil.example").status_code == 200


def test_trusted_origin_may_write_with_the_session(api_client, ada, settings):
    settings.STORE_TRUSTED_ORIGINS = ["https://shop.example"]
    api_client.post(AUTH, {"email": "ada@example.com", "password": PASSWORD})
    response = api_client.post(ME, {"first_name": "Ann"}, HTTP_ORIGIN="https://shop.example")
    assert response.status_code == 200
    assert response.json()["customer"]["first_name"] == "Ann"


def test_a_new_password_ends_other_store_sessions(api_client, ada):
    api_client.post(AUTH, {"email": "ada@example.com", "password": PASSWORD})
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    assert api_client.post(ME, {"password": "brand-new-1"}, **headers).status_code == 200
    assert api_client.get(ME).status_code == 401  # the cookie session is over
    assert (
        api_client.post(TOKEN, {"email": "ada@example.com", "password": "brand-new-1"}).status_code
        == 200
    )


# ---- EMAIL LOOKUP ----


def test_auth_email_tells_whether_an_account_exists(api_client, ada, settings):
    GuestFactory(email="guest@example.com")
    assert api_client.get(f"{AUTH}/ada@example.com").json() == {"exists": True}
    assert api_client.get(f"{AUTH}/ADA@example.com").json() == {"exists": True}
    assert api_client.get(f"{AUTH}/guest@example.com").json() == {"exists": False}
    assert api_client.get(f"{AUTH}/nobody@example.com").json() == {"exists": False}
    settings.STORE_AUTH_EMAIL_LOOKUP = False
    response = api_client.get(f"{AUTH}/ada@example.com")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


# ---- PROFILE AND ADDRESSES ----


def test_profile_update(api_client, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    response = api_client.post(
        ME,
        {
            "first_name": "Augusta",
            "last_name": "King",
            "phone": "+44 1",
            "email": "Augusta@Example.com",
            "metadata": {"vip": True},
            "billing_address": ADDRESS,
        },
        **headers,
    )
    assert response.status_code == 200, response.json()
    ada.refresh_from_db()
    assert response.json() == {"customer": customer_json(ada)}
    assert (ada.first_name, ada.last_name, ada.phone, ada.email) == (
        "Augusta",
        "King",
        "+44 1",
        "augusta@example.com",
    )
    assert ada.billing_address.city == "Copenhagen"


def test_profile_update_with_a_bad_body_changes_nothing(api_client, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    for body, message in [
        ({"first_name": 1}, "first_name must be a string"),
        ({"has_account": False}, "property has_account should not exist"),
        ({"billing_address": 5}, "billing_address must be an object or an address id"),
    ]:
        response = api_client.post(ME, body, **headers)
        assert response.status_code == 400
        assert response.json()["message"] == message
    before = customer_json(ada)
    assert customer_json(ada) == before


def test_addresses_add_update_delete(api_client, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    response = api_client.post(f"{ME}/addresses", {"address": ADDRESS}, **headers)
    assert response.status_code == 200, response.json()
    assert response.json() == {"customer": customer_json(ada)}
    [saved] = response.json()["customer"]["shipping_addresses"]
    assert saved["customer_id"] == ada.pk
    assert saved["city"] == "Copenhagen"

    response = api_client.post(f"{ME}/addresses/{saved['id']}", {"city": "Aarhus"}, **headers)
    assert response.status_code == 200
    assert response.json()["customer"]["shipping_addresses"][0]["city"] == "Aarhus"

    response = api_client.post(ME, {"billing_address": saved["id"]}, **headers)
    assert response.json()["customer"]["billing_address"]["city"] == "Aarhus"

    response = api_client.delete(f"{ME}/addresses/{saved['id']}", **headers)
    assert response.status_code == 200
    assert response.json()["customer"]["shipping_addresses"] == []


def test_new_address_needs_its_parts(api_client, ada):
    headers = bearer(api_client, "ada@example.com", PASSWORD)
    response = api_client.post(f"{ME}/addresses", {"address": {"city": "x"}}, **headers)
    assert response.status_code == 400
    assert not CustomerAddress.objects.exists()


def test_a_customer_never_reads_or_changes_another_customers_addresses(api_client, ada):
    bob = CustomerFactory(email="bob@example.com")
    ada_headers = bearer(api_client, "ada@example.com", PASSWORD)
    bob_headers = bearer(api_client, "bob@example.com", PASSWORD)
    saved = api_client.post(f"{ME}/addresses", {"address": ADDRESS}, **ada_headers).json()[
        "customer"
    ]["shipping_addresses"][0]

    assert api_client.get(ME, **bob_headers).json()["customer"]["shipping_addresses"] == []
    response = api_client.post(f"{ME}/addresses/{saved['id']}", {"city": "Evil"}, **bob_headers)
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Could not find address for customer",
    }
    response = api_client.post(ME, {"billing_address": saved["id"]}, **bob_headers)
    assert response.status_code == 404
    response = api_client.delete(f"{ME}/addresses/{saved['id']}", **bob_headers)
    assert response.status_code == 200
    assert response.json()["customer"]["shipping_addresses"] == []
    assert api_client.get(ME, **ada_headers).json()["customer"]["shipping_addresses"] == [saved]
    bob.refresh_from_db()
    assert bob.billing_address_id is None


def test_account_routes_need_a_customer(api_client):
    for method, path in [
        ("get", ME),
        ("post", ME),
        ("post", f"{ME}/addresses"),
        ("post", f"{ME}/addresses/addr_1"),
        ("delete", f"{ME}/addresses/addr_1"),
        ("get", AUTH),
    ]:
        response = getattr(api_client, method)(path, {} if method == "post" else None)
        assert response.status_code == 401, path
        assert response.json() == UNAUTHORIZED


# ---- PASSWORD RESET ----


def test_password_token_is_a_204_whether_or_not_the_email_exists(
    api_client, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post(f"{CUSTOMERS}/password-token", {"email": "ada@example.com"})
        unknown = api_client.post(f"{CUSTOMERS}/password-token", {"email": "no@example.com"})
    assert known.status_code == unknown.status_code == 204
    assert known.content == unknown.content == b""
    assert len(mail.outbox) == 1
    token = mail.outbox[0].body.split("\n\n")[1].strip()

    bad = api_client.post(
        f"{CUSTOMERS}/password-reset",
        {"email": "ada@example.com", "token": "nope", "password": "new-pass-1"},
    )
    assert bad.status_code == 401
    assert bad.json() == {
        "type": "unauthorized",
        "message": "Invalid or expired password reset token",
    }
    response = api_client.post(
        f"{CUSTOMERS}/password-reset",
        {"email": "ada@example.com", "token": token, "password": "new-pass-1"},
    )
    assert response.status_code == 200
    assert response.json() == {"customer": customer_json(ada)}
    _no_password_anywhere(response.json(), "new-pass-1")
    assert (
        api_client.post(TOKEN, {"email": "ada@example.com", "password": "new-pass-1"}).status_code
        == 200
    )
