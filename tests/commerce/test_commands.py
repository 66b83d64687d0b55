import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commerce.models import ApiToken, hash_api_token
from tests.commerce.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_admin_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_only_the_raw_token_on_stdout():
    # given
    user = StaffUserFactory(email="ops@example.com")

    # when
    out, err = _run("OPS@example.com", "--name", "CI")

    # then: one line, the token; only its hash is stored
    raw = out.removesuffix("\n")
    assert out == raw + "\n"
    token = ApiToken.objects.get()
    assert (token.user_id, token.name, token.token_hash) == (user.pk, "CI", hash_api_token(raw))
    assert err == (
        f"Admin API token {token.pk} for ops@example.com. Send it as the x-medusa-access-token "
        "header. It is shown only this once; only its hash is stored.\n"
    )


def test_the_printed_token_opens_the_admin_api(api_client):
    StaffUserFactory(email="ops@example.com")
    out, _ = _run("ops@example.com")
    response = api_client.get("/api/admin/auth", HTTP_X_MEDUSA_ACCESS_TOKEN=out.strip())
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "ops@example.com"


def test_unknown_email_is_a_command_error():
    with pytest.raises(CommandError) as error:
        _run("nobody@example.com")
    assert str(error.value) == "No user with email nobody@example.com"
    assert ApiToken.objects.exists() is False


def test_non_staff_user_is_a_command_error():
    UserFactory(email="shopper@example.com")
    with pytest.raises(CommandError) as error:
        _run("shopper@example.com")
    assert str(error.value) == (
        "shopper@example.com is not an active staff user; only staff can have admin API tokens"
    )
    assert ApiToken.objects.exists() is False
