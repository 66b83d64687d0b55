import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from commerce.services import api_token_create
from tests.commerce.factories import StaffUserFactory, UserFactory
from tests.helpers import UNAUTHORIZED, ms

pytestmark = pytest.mark.django_db

AUTH_URL = "/api/admin/auth"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The login throttle counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def _user_json(user, role):
    return {
        "id": user.pk,
        "created_at": ms(user.created_at),
        "updated_at": ms(user.updated_at),
        "deleted_at": None,
        "role": role,
        "email": user.email,
        "first_name": user.first_name or None,
        "last_name": user.last_name or None,
        "api_token": None,
        "metadata": user.metadata,
    }


def test_route_is_named_for_reverse():
    assert reverse("admin-api:auth") == AUTH_URL


def test_login_answers_the_user_and_starts_a_session(api_client, admin_user):
    # given: the user has an API token, which must never be shown
    api_token_create(user=admin_user)

    # when
    response = api_client.post(
        AUTH_URL, {"email": "admin@example.com", "password": "secret-password"}
    )

    # then: Medusa answers 200 `{user}` and starts a cookie session; role "admin" for a superuser
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert response.json() == {"user": _user_json(admin_user, "admin")}
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["csrftoken"].value
    check = api_client.get(AUTH_URL)  # Medusa: 200 {user} with the cookie
    assert check.status_code == 200
    assert check.json() == {"user": _user_json(admin_user, "admin")}


def test_login_of_a_staff_member_has_role_member_and_names(api_client):
    user = StaffUserFactory(
        email="ops@example.com", is_superuser=False, first_name="Grace", last_name="Hopper"
    )
    response = api_client.post(
        AUTH_URL, {"email": "OPS@example.com ", "password": "secret-password"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert response.json() == {"user": _user_json(user, "member")}
    assert response.json()["user"]["first_name"] == "Grace"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "admin@example.com", "password": "wrong"},
        {"email": "nobody@example.com", "password": "secret-password"},
        {"email": "shopper@example.com", "password": "secret-password"},
        {"email": "gone@example.com", "password": "secret-password"},
    ],
    ids=["wrong-password", "unknown-email", "not-staff", "inactive"],
)
def test_login_refusals_are_401_json_and_start_no_session(api_client, admin_user, body):
    UserFactory(email="shopper@example.com")
    StaffUserFactory(email="gone@example.com", is_active=False)

    response = api_client.post(AUTH_URL, body)

    assert response.status_code == 401  # Medusa: 401 (plain text there, JSON here)
    assert response.json() == UNAUTHORIZED
    assert "sessionid" not in response.cookies
    assert api_client.get(AUTH_URL).status_code == 401


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"password": "x"}, "email must be a string"),
        ({"email": "admin@example.com", "password": 5}, "password must be a string"),
        (
            {"email": "a@b.c", "password": "x", "remember": True},
            "property remember should not exist",
        ),
        (["admin@example.com"], "request body must be a JSON object"),
    ],
)
def test_login_with_a_bad_body_is_400(api_client, admin_user, body, message):
    response = api_client.post(AUTH_URL, body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}


def test_login_missing_both_fields_lists_both(api_client):
    response = api_client.post(AUTH_URL, {})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "email must be a string, password must be a string",
        "errors": ["email must be a string", "password must be a string"],
    }


def test_login_is_throttled_after_ten_attempts(api_client, admin_user, monkeypatch):
    # A fixed clock: on a slow machine the ten attempts can take seconds, which would shorten the wait.
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: 1_000_000.0)
    for _ in range(10):
        response = api_client.post(AUTH_URL, {"email": "admin@example.com", "password": "wrong"})
        assert response.status_code == 401

    response = api_client.post(
        AUTH_URL, {"email": "admin@example.com", "password": "secret-password"}
    )

    assert response.status_code == 429
    assert response.json() == {
        "type": "too_many_requests",
        "message": "Request was throttled. Expected available in 60 seconds.",
    }
    assert response["Retry-After"] == "60"
    assert "sessionid" not in response.cookies


def test_login_throttle_counts_per_client_address(api_client, admin_user):
    for _ in range(10):
        api_client.post(AUTH_URL, {"email": "admin@example.com", "password": "wrong"})
    assert api_client.post(AUTH_URL, {"email": "x@example.com", "password": "x"}).status_code == 429

    response = APIClient(REMOTE_ADDR="10.0.0.2").post(
        AUTH_URL, {"email": "admin@example.com", "password": "secret-password"}
    )

    assert response.status_code == 200


def test_session_checks_are_not_throttled(admin_api_client):
    for _ in range(12):
        assert admin_api_client.get(AUTH_URL).status_code == 200


def test_session_check_accepts_an_api_token(api_client, admin_user):
    issued = api_token_create(user=admin_user)
    response = api_client.get(AUTH_URL, HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)
    assert response.status_code == 200
    assert response.json() == {"user": _user_json(admin_user, "admin")}


def test_session_check_without_credentials_is_401(api_client):
    response = api_client.get(AUTH_URL)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_session_check_for_a_non_staff_user_is_401(api_client):
    api_client.force_authenticate(UserFactory())
    response = api_client.get(AUTH_URL)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_bearer_token_is_refused(api_client, admin_user):
    # Medusa: the API token sent as a bearer token is a 401
    issued = api_token_create(user=admin_user)
    response = api_client.get(AUTH_URL, HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_logout_ends_the_session(admin_user):
    client = APIClient()
    client.post(AUTH_URL, {"email": "admin@example.com", "password": "secret-password"})
    csrf = client.cookies["csrftoken"].value

    response = client.delete(AUTH_URL, HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 200
    assert response.json() == {}
    assert client.get(AUTH_URL).status_code == 401


def test_logout_without_credentials_is_401(api_client):
    response = api_client.delete(AUTH_URL)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_logout_with_a_session_needs_the_csrf_token(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.post(AUTH_URL, {"email": "admin@example.com", "password": "secret-password"})

    response = client.delete(AUTH_URL)

    assert response.status_code == 403
    assert response.json() == {"type": "not_allowed", "message": "CSRF Failed: CSRF token missing."}
    assert client.get(AUTH_URL).status_code == 200
