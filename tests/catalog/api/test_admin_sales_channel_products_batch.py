import pytest
from django.urls import reverse

from catalog.models import Product, ProductSalesChannel
from tests.catalog.factories import ProductFactory
from tests.helpers import BODY_ERRORS, channel_json
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = pytest.mark.django_db


def _url(channel_id):
    return f"/api/admin/sales-channels/{channel_id}/products/batch"


def _body(*products):
    return {"product_ids": [{"id": p if isinstance(p, str) else p.pk} for p in products]}


def _linked(channel):
    return set(
        ProductSalesChannel.objects.filter(sales_channel=channel).values_list(
            "product_id", flat=True
        )
    )


def test_route_is_named_in_the_admin_namespace():
    assert reverse("admin-api:sales-channel-products-batch", args=["sc_1"]) == _url("sc_1")


def test_add_answers_the_channel_without_relations(admin_api_client):
    # given: Medusa answers a batch add with 200 and the channel alone, without its products
    channel = SalesChannelFactory(name="Wholesale")
    shirt, mug = ProductFactory(), ProductFactory()

    # when
    response = admin_api_client.post(_url(channel.pk), _body(shirt, mug))

    # then
    assert response.status_code == 200
    assert response.json() == {"sales_channel": channel_json(channel)}
    assert _linked(channel) == {shirt.pk, mug.pk}


def test_add_is_idempotent(admin_api_client):
    # given: Medusa answers 200 when a product already in the channel is added again
    shirt = ProductFactory()
    channel = SalesChannelFactory()
    admin_api_client.post(_url(channel.pk), _body(shirt))

    # when
    response = admin_api_client.post(_url(channel.pk), _body(shirt, shirt))

    # then
    assert response.status_code == 200
    assert response.json() == {"sales_channel": channel_json(channel)}
    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == 1


def test_add_keeps_other_channels_links(admin_api_client, default_channel):
    shirt = ProductFactory(sales_channels=[default_channel])
    channel = SalesChannelFactory()
    admin_api_client.post(_url(channel.pk), _body(shirt))
    assert set(shirt.sales_channels.values_list("pk", flat=True)) == {
        default_channel.pk,
        channel.pk,
    }


def test_add_to_a_disabled_channel_is_allowed(admin_api_client):
    # Medusa does not check is_disabled here (spec §11.16); only carts are refused.
    channel = SalesChannelFactory(is_disabled=True)
    shirt = ProductFactory()
    response = admin_api_client.post(_url(channel.pk), _body(shirt))
    assert response.status_code == 200
    assert _linked(channel) == {shirt.pk}


def test_unknown_products_are_listed_and_nothing_is_linked(admin_api_client):
    # given: Medusa answers 400 `Products <ids> do not exist` in the validator's `errors` body and
    # links nothing; here two unknown ids and one good one
    channel = SalesChannelFactory()
    shirt = ProductFactory()

    # when
    response = admin_api_client.post(_url(channel.pk), _body("prod_x", shirt, "prod_y"))

    # then
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": BODY_ERRORS,
        "errors": ["Products prod_x, prod_y do not exist"],
    }
    assert _linked(channel) == set()


def test_deleted_products_count_as_unknown(admin_api_client):
    channel = SalesChannelFactory()
    gone = ProductFactory(deleted_at="2026-01-01T00:00:00Z")
    response = admin_api_client.post(_url(channel.pk), _body(gone))
    assert response.status_code == 400
    assert response.json()["errors"] == [f"Products {gone.pk} do not exist"]
    assert _linked(channel) == set()


@pytest.mark.parametrize("method", ["post", "delete"])
def test_unknown_channel_is_404(admin_api_client, method):
    """Medusa answers POST with the foreign-key wording "Sales_channel with sales_channel_id X does
    not exist." (a 404) and DELETE with "Sales channel with id: X was not found". We answer
    both with the retrieve wording, on purpose: one message per missing channel."""
    shirt = ProductFactory()
    response = getattr(admin_api_client, method)(_url("sc_doesnotexist"), _body(shirt))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": "Sales channel with id: sc_doesnotexist was not found",
    }
    assert ProductSalesChannel.objects.filter(product=shirt).exists() is False


@pytest.mark.parametrize("method", ["post", "delete"])
def test_deleted_channel_is_404(admin_api_client, method):
    channel = SalesChannelFactory(deleted_at="2026-01-01T00:00:00Z")
    shirt = ProductFactory()
    response = getattr(admin_api_client, method)(_url(channel.pk), _body(shirt))
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Sales channel with id: {channel.pk} was not found",
    }
    assert ProductSalesChannel.objects.filter(product=shirt).exists() is False


@pytest.mark.parametrize("method", ["post", "delete"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        # Medusa: 400 invalid_data for plain string ids
        (
            {"product_ids": ["prod_1"]},
            "each value in nested property product_ids must be either object or array",
        ),
        ({}, "product_ids must be an array"),
        ({"product_ids": None}, "product_ids must be an array"),
        ({"product_ids": "prod_1"}, "product_ids must be an array"),
        ({"product_ids": [{"id": 5}]}, "id must be a string"),
        ({"product_ids": [{}]}, "id must be a string"),
        ({"product_ids": [{"id": "prod_1", "x": 1}]}, "property x should not exist"),
        ({"product_ids": [], "foo": 1}, "property foo should not exist"),
    ],
)
def test_bad_bodies_are_400_and_change_nothing(admin_api_client, method, body, message):
    channel = SalesChannelFactory()
    linked = ProductFactory(sales_channels=[channel])
    response = getattr(admin_api_client, method)(_url(channel.pk), body)
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": message}
    assert _linked(channel) == {linked.pk}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_more_than_20000_ids_is_a_clear_400(admin_api_client, method):
    channel = SalesChannelFactory()
    body = {"product_ids": [{"id": f"prod_{n}"} for n in range(20_001)]}
    response = getattr(admin_api_client, method)(_url(channel.pk), body)
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "product_ids must contain no more than 20000 elements",
    }


@pytest.mark.parametrize("method", ["post", "delete"])
def test_empty_list_is_200(admin_api_client, method):
    # Medusa answers an empty product_ids list with 200
    channel = SalesChannelFactory()
    response = getattr(admin_api_client, method)(_url(channel.pk), {"product_ids": []})
    assert response.status_code == 200
    assert response.json() == {"sales_channel": channel_json(channel)}


def test_remove_unlinks_only_those_products(admin_api_client, default_channel):
    # given: Medusa's DELETE batch takes the same body and answers 200 with the channel
    channel = SalesChannelFactory()
    shirt = ProductFactory(sales_channels=[channel, default_channel])
    mug = ProductFactory(sales_channels=[channel])

    # when
    response = admin_api_client.delete(_url(channel.pk), _body(mug))

    # then
    assert response.status_code == 200
    assert response.json() == {"sales_channel": channel_json(channel)}
    assert _linked(channel) == {shirt.pk}
    assert _linked(default_channel) == {shirt.pk}


def test_remove_of_unlinked_or_unknown_products_is_a_no_op(admin_api_client):
    channel = SalesChannelFactory()
    shirt = ProductFactory(sales_channels=[channel])
    other = ProductFactory()
    response = admin_api_client.delete(_url(channel.pk), _body(other, "prod_doesnotexist"))
    assert response.status_code == 200
    assert _linked(channel) == {shirt.pk}


def test_add_sends_its_event_after_commit(admin_api_client, django_capture_on_commit_callbacks):
    channel = SalesChannelFactory()
    shirt = ProductFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        admin_api_client.post(_url(channel.pk), _body(shirt))
    assert len(callbacks) == 2  # the signal, and the outbox's hand-over to the webhooks


def _bulk_products(count):
    return Product.objects.bulk_create(
        [Product(title=f"Bulk {n}", handle=f"bulk-{n}") for n in range(count)], batch_size=2000
    )


@pytest.mark.parametrize("count", [10, 10_000])
def test_add_issues_a_constant_number_of_queries(
    admin_api_client, django_assert_num_queries, count
):
    # given
    channel = SalesChannelFactory()
    products = _bulk_products(count)
    body = _body(*products)

    # when: 1 SAVEPOINT; 2 the channel row, locked; 3 the ids that are not live products (the
    # ids as one JSON array parameter); 4 SAVEPOINT; 5 one INSERT … SELECT of the pairs not yet
    # linked, from the same array; 6 RELEASE; 7 the products' render versions bumped (issue 23:
    # one upsert from the same array); 8 the listings version bumped (the channels' cached
    # counts); 9 INSERT of the outbox event (issue 21: one row with the product ids); 10 RELEASE.
    with django_assert_num_queries(10) as captured:
        response = admin_api_client.post(_url(channel.pk), body)

    # then
    assert response.status_code == 200
    assert ProductSalesChannel.objects.filter(sales_channel=channel).count() == count
    insert = captured.captured_queries[4]["sql"]
    assert insert.startswith("INSERT INTO")
    assert "NOT EXISTS" in insert
    assert "ON CONFLICT" not in insert  # the retry only follows a unique violation


def test_add_skips_pairs_already_linked_without_the_retry(
    admin_api_client, django_assert_num_queries
):
    # given: two of three products already in the channel
    channel = SalesChannelFactory()
    products = _bulk_products(3)
    admin_api_client.post(_url(channel.pk), _body(*products[:2]))

    # when (the 10 statements of the test above)
    with django_assert_num_queries(10) as captured:
        response = admin_api_client.post(_url(channel.pk), _body(*products))

    # then: no unique violation, so no ON CONFLICT statement; each pair once
    assert response.status_code == 200
    links = [
        q["sql"] for q in captured.captured_queries if "catalog_productsaleschannel" in q["sql"]
    ]
    assert not any("ON CONFLICT" in sql for sql in links)
    linked = ProductSalesChannel.objects.filter(sales_channel=channel)
    assert sorted(linked.values_list("product_id", flat=True)) == sorted(p.pk for p in products)


@pytest.mark.parametrize("count", [10, 10_000])
def test_remove_issues_a_constant_number_of_queries(
    admin_api_client, django_assert_num_queries, count
):
    # given
    channel = SalesChannelFactory()
    products = _bulk_products(count)
    admin_api_client.post(_url(channel.pk), _body(*products))
    body = _body(*products)

    # when: 1 SAVEPOINT; 2 the channel row, locked; 3 one DELETE … IN (…); 4 the products'
    # render versions bumped (issue 23: one upsert); 5 the listings version bumped; 6 INSERT of
    # the outbox event (issue 21); 7 RELEASE.
    with django_assert_num_queries(7):
        response = admin_api_client.delete(_url(channel.pk), body)

    # then
    assert response.status_code == 200
    assert ProductSalesChannel.objects.filter(sales_channel=channel).exists() is False


@pytest.mark.parametrize("method", ["post", "delete"])
def test_route_is_404_with_the_flag_off(admin_api_client, flags_off, method):
    channel = SalesChannelFactory()
    shirt = ProductFactory(sales_channels=[channel])
    flags_off("sales_channels")
    response = getattr(admin_api_client, method)(_url(channel.pk), _body(shirt))
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "message": "Not Found"}
    assert _linked(channel) == {shirt.pk}
