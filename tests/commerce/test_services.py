import pytest

from commerce.exceptions import InvalidData
from commerce.models import ApiToken, hash_api_token
from commerce.services import api_token_create, api_token_revoke
from tests.commerce.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed():
    issued = api_token_create(user=StaffUserFactory(), name="CI")
    stored = ApiToken.objects.get()
    assert stored.token_hash == hash_api_token(issued.raw)
    assert issued.raw not in (stored.token_hash, stored.hint * 10)
    assert stored.hint == issued.raw[:8]
    assert stored.matches(issued.raw) is True
    assert stored.matches(issued.raw + "x") is False


def test_only_staff_get_tokens():
    user = UserFactory(email="shopper@example.com")
    with pytest.raises(InvalidData) as error:
        api_token_create(user=user)
    assert error.value.message == (
        "shopper@example.com is not an active staff user; only staff can have admin API tokens"
    )
    assert ApiToken.objects.exists() is False


def test_revoke_is_idempotent():
    issued = api_token_create(user=StaffUserFactory())
    api_token_revoke(token_id=issued.token.pk)
    api_token_revoke(token_id=issued.token.pk)
    assert ApiToken.objects.exists() is False
