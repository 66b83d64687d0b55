"""Read replicas (commerce/db/replicas.py): store catalogue reads go to a replica, carts never.

`replica_0` is a second connection to the test database (config/settings/test.py, TEST MIRROR),
so these tests commit for real (`transaction=True`): what a connection reads is what another
one committed, as with a streaming replica with no lag. They prove the routing, which is what
makes a cart never stale: a cart, and everything read in a request that wrote, is read on the
primary, whatever the replica's lag. What a lagging replica does to a catalogue reader is
measured by `make bench-replica` (docs/deployment.md, "Replicas").
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.carts.api.store_helpers import shop

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica_0"]
)

CARTS = "/api/store/carts"


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica_0"]


def _queries(method, *args, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_0"]) as replica,
    ):
        response = method(*args, **kwargs)
    return response, len(primary), len(replica)


def test_store_catalogue_reads_run_on_the_replica(api_client, default_channel, replicas):
    s = shop(default_channel)
    response, primary, replica = _queries(
        api_client.get, f"/api/store/products?sales_channel_id[]={s.wholesale.pk}"
    )
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert (primary, replica > 0) == (0, True)


def test_without_replicas_everything_runs_on_the_primary(api_client, default_channel):
    shop(default_channel)
    response, primary, replica = _queries(api_client.get, "/api/store/products")
    assert response.status_code == 200
    assert (primary > 0, replica) == (True, 0)


def test_a_cart_is_read_on_the_primary_always(api_client, default_channel, replicas):
    s = shop(default_channel)
    created, _, on_replica = _queries(
        api_client.post, CARTS, {"region_id": s.eu.pk, "sales_channel_id": s.wholesale.pk}
    )
    assert (created.status_code, on_replica) == (200, 0)
    cart_id = created.json()["cart"]["id"]
    variant = s.shirt.variants.first()

    added, _, on_replica = _queries(
        api_client.post, f"{CARTS}/{cart_id}/line-items", {"variant_id": variant.pk, "quantity": 2}
    )
    assert (added.status_code, on_replica) == (200, 0)
    read, primary, on_replica = _queries(api_client.get, f"{CARTS}/{cart_id}")

    # the read right after the write sees it, and only the primary was asked
    assert (read.status_code, primary > 0, on_replica) == (200, True, 0)
    assert [(i["variant_id"], i["quantity"]) for i in read.json()["cart"]["items"]] == [
        (variant.pk, 2)
    ]


def test_a_write_to_a_store_path_runs_on_the_primary(api_client, default_channel, replicas):
    # A POST under a replica path (none exists today) would still be a write request: primary.
    shop(default_channel)
    response, primary, replica = _queries(api_client.post, "/api/store/products", {})
    assert response.status_code == 405
    assert replica == 0
