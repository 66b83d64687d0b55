"""Date comparisons (`created_at[gt]=…`) take any instant Python can read, and refuse the rest with a 400."""

import pytest

from catalog.services import collection_create

pytestmark = pytest.mark.django_db

COLLECTIONS = "/api/admin/collections"


def test_an_offset_past_what_postgresql_takes_is_read_as_its_instant_in_utc(admin_api_client):
    # given: a collection made now; -21:05 is a valid ISO 8601 offset PostgreSQL would refuse
    collection_create(title="Summer")

    # when
    after = admin_api_client.get(COLLECTIONS, {"created_at[gt]": "2020-01-01T00:00:00-21:05"})
    before = admin_api_client.get(COLLECTIONS, {"created_at[lt]": "2020-01-01T00:00:00-21:05"})

    # then
    assert after.status_code == 200, after.json()
    assert after.json()["count"] == 1
    assert before.status_code == 200
    assert before.json()["count"] == 0


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "99999999999999",  # Unix seconds past year 9999
        "2026-13-01",
    ],
)
def test_an_instant_out_of_range_is_a_400(admin_api_client, value):
    response = admin_api_client.get(COLLECTIONS, {"created_at[gt]": value})

    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "created_at[gt] must be a valid ISO 8601 date or a Unix timestamp",
    }
