"""One real request per admin authentication mechanism (no force_authenticate), on a real admin route."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from commerce.services import api_token_create
from saleschannels.models import SalesChannel
from tests.helpers import UNAUTHORIZED, ms

pytestmark = pytest.mark.django_db

LIST_URL = "/api/admin/sales-channels"
AUTH_URL = "/api/admin/auth"
LOGIN = {"email": "admin@example.com", "password": "secret-password"}


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    # Logins here count towards the admin_login throttle, which lives in the cache.
    cache.clear()
    yield
    cache.clear()


def _list_body(channel):
    return {
        "sales_channels": [
            {
                "id": channel.pk,
                "created_at": ms(channel.created_at),
                "updated_at": ms(channel.updated_at),
                "deleted_at": None,
                "name": "Default Sales Channel",
                "description": "Created by Medusa",
                "is_disabled": False,
                "metadata": None,
            }
        ],
        "count": 1,
        "offset": 0,
        "limit": 20,
    }


def test_session_from_login_opens_admin_routes(admin_user, default_channel):
    client = APIClient()
    assert client.post(AUTH_URL, LOGIN).status_code == 200

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == _list_body(default_channel)


def test_api_token_header_opens_admin_routes(api_client, admin_user, default_channel):
    # Medusa accepts the user's API token in the x-medusa-access-token header (medusa-js sends it)
    issued = api_token_create(user=admin_user, name="CI")
    response = api_client.get(LIST_URL, HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)
    assert response.status_code == 200
    assert response.json() == _list_body(default_channel)


def test_an_empty_token_is_401(api_client, admin_user):
    # (A wrong, a revoked, a bearer and a no-longer-staff token, and no credentials at all, are
    # refused on every admin route by tests/security/test_access.py.)
    api_token_create(user=admin_user)
    response = api_client.get(LIST_URL, HTTP_X_MEDUSA_ACCESS_TOKEN="")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_session_write_without_csrf_token_is_refused(admin_user):
    # given: a real session, with CSRF checks on as in a browser
    client = APIClient(enforce_csrf_checks=True)
    assert client.post(AUTH_URL, LOGIN).status_code == 200
    before = SalesChannel.all_objects.count()

    # when
    response = client.post(LIST_URL, {"name": "Wholesale"})

    # then
    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "CSRF Failed: CSRF token missing.",
    }
    assert SalesChannel.all_objects.count() == before


def test_session_write_with_the_csrf_token_works(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    assert client.post(AUTH_URL, LOGIN).status_code == 200
    token = client.cookies["csrftoken"].value

    response = client.post(LIST_URL, {"name": "Wholesale"}, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200
    assert response.json()["sales_channel"]["name"] == "Wholesale"


def test_session_write_with_a_wrong_csrf_token_is_refused(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.post(AUTH_URL, LOGIN)
    response = client.post(LIST_URL, {"name": "Wholesale"}, HTTP_X_CSRFTOKEN="x" * 64)
    assert response.status_code == 403
    assert response.json() == {
        "type": "not_allowed",
        "message": "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    }
    assert SalesChannel.objects.filter(name="Wholesale").exists() is False


def test_token_writes_need_no_csrf_token(admin_user):
    # A header token is not sent by browsers on their own, so it is not a CSRF vector.
    client = APIClient(enforce_csrf_checks=True)
    issued = api_token_create(user=admin_user)
    response = client.post(LIST_URL, {"name": "Wholesale"}, HTTP_X_MEDUSA_ACCESS_TOKEN=issued.raw)
    assert response.status_code == 200
