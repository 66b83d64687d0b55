"""Store collections, product categories, and the product list filters a storefront uses."""

from datetime import timedelta

import pytest

from catalog.models import ProductCategory, ProductCollection, ProductTag
from catalog.services import (
    TagInput,
    category_create,
    category_products_add,
    collection_create,
    collection_delete,
    product_create,
)
from tests.catalog.factories import ProductFactory
from tests.helpers import JSON_BUILT, ms
from tests.saleschannels.factories import PublishableApiKeyFactory, SalesChannelFactory

pytestmark = pytest.mark.django_db

KEY = "HTTP_X_PUBLISHABLE_API_KEY"
COLLECTIONS = "/api/store/collections"
CATEGORIES = "/api/store/product-categories"
PRODUCTS = "/api/store/products"


def _collection_json(collection):
    return {
        "id": collection.pk,
        "created_at": ms(collection.created_at),
        "updated_at": ms(collection.updated_at),
        "deleted_at": None,
        "title": collection.title,
        "handle": collection.handle,
        "metadata": collection.metadata,
    }


def _category_json(category):
    category.refresh_from_db()
    return {
        "id": category.pk,
        "created_at": ms(category.created_at),
        "updated_at": ms(category.updated_at),
        "name": category.name,
        "description": category.description,
        "handle": category.handle,
        "parent_category_id": category.parent_category_id,
        "rank": category.rank,
        "metadata": category.metadata,
    }


def _published(title, channels, **kwargs):
    return product_create(
        title=title, status="published", sales_channel_ids=[c.pk for c in channels], **kwargs
    )


def _ids(response, key="products"):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()[key]]


# ---- COLLECTIONS ----


def test_collections_list_is_medusas_envelope_oldest_first_limit_10(api_client):
    summer = collection_create(title="Summer", metadata={"hero": True})
    winter = collection_create(title="Winter")
    collection_delete(collection_id=collection_create(title="Gone").pk)
    response = api_client.get(COLLECTIONS)
    assert response.status_code == 200
    assert response.json() == {
        "collections": [_collection_json(summer), _collection_json(winter)],
        "count": 2,
        "offset": 0,
        "limit": 10,
    }


def test_collections_list_as_the_starter_calls_it(api_client):
    # home (limit 3), footer (limit 6), the collection page (handle[0]=…)
    collections = [collection_create(title=f"Collection {n}") for n in range(4)]
    page = api_client.get(COLLECTIONS, {"limit": 3, "offset": 0}).json()
    assert [c["id"] for c in page["collections"]] == [c.pk for c in collections[:3]]
    assert page["count"] == 4
    assert _ids(api_client.get(COLLECTIONS + "?handle[0]=collection-2"), "collections") == [
        collections[2].pk
    ]
    assert _ids(
        api_client.get(COLLECTIONS + "?handle[]=collection-1&handle[]=collection-3"),
        "collections",
    ) == [collections[1].pk, collections[3].pk]
    assert _ids(api_client.get(COLLECTIONS + "?q=TION 0"), "collections") == [collections[0].pk]


def test_collections_date_ranges_use_the_list_syntax(api_client):
    old = collection_create(title="Old")
    new = collection_create(title="New")
    # a day apart, so the millisecond the wire format keeps cannot tie them
    ProductCollection.objects.filter(pk=old.pk).update(
        created_at=new.created_at - timedelta(days=1)
    )
    since = ms(new.created_at)
    assert _ids(api_client.get(COLLECTIONS, {"created_at[gte]": since}), "collections") == [new.pk]
    assert _ids(api_client.get(COLLECTIONS, {"created_at[lt]": since}), "collections") == [old.pk]
    response = api_client.get(COLLECTIONS, {"created_at[gt]": "yesterday"})
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"


def test_collection_retrieve_and_not_found(api_client):
    summer = collection_create(title="Summer")
    response = api_client.get(f"{COLLECTIONS}/{summer.pk}")
    assert response.status_code == 200
    assert response.json() == {"collection": _collection_json(summer)}
    collection_delete(collection_id=summer.pk)
    response = api_client.get(f"{COLLECTIONS}/{summer.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "type": "not_found",
        "message": f"Product collection with id: {summer.pk} was not found",
    }


def test_collections_unknown_param_is_a_400(api_client):
    response = api_client.get(COLLECTIONS + "?foo=1")
    assert response.status_code == 400
    assert response.json() == {"type": "invalid_data", "message": "property foo should not exist"}


def test_collections_list_query_count_is_fixed(api_client, django_assert_num_queries):
    for n in range(3):
        collection_create(title=f"C{n}")
    # 1 = COUNT(*); 2 = the page
    with django_assert_num_queries(2):
        assert api_client.get(COLLECTIONS).status_code == 200
    for n in range(3, 9):
        collection_create(title=f"C{n}")
    with django_assert_num_queries(2):
        assert len(api_client.get(COLLECTIONS).json()["collections"]) == 9


# ---- CATEGORIES ----


@pytest.fixture
def tree():
    """gear > packs > day-packs, gear > hidden (inactive) > under-hidden, gear > staff (internal)."""
    gear = category_create(name="Gear", is_active=True)
    packs = category_create(name="Packs", parent_category_id=gear.pk, is_active=True)
    day = category_create(name="Day packs", parent_category_id=packs.pk, is_active=True)
    hidden = category_create(name="Hidden", parent_category_id=gear.pk)
    under = category_create(name="Under hidden", parent_category_id=hidden.pk, is_active=True)
    staff = category_create(
        name="Staff", parent_category_id=gear.pk, is_active=True, is_internal=True
    )
    return {
        name: ProductCategory.objects.get(pk=c.pk)
        for name, c in {
            "gear": gear,
            "packs": packs,
            "day": day,
            "hidden": hidden,
            "under": under,
            "staff": staff,
        }.items()
    }


def test_categories_list_shows_only_active_public_ones_with_parent_and_children(api_client, tree):
    response = api_client.get(CATEGORIES, {"limit": 6, "offset": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4  # gear, packs, day packs and the child of the hidden one
    assert body["limit"] == 6
    by_handle = {row["handle"]: row for row in body["product_categories"]}
    assert set(by_handle) == {"gear", "packs", "day-packs", "under-hidden"}
    assert by_handle["gear"] == {
        **_category_json(tree["gear"]),
        "parent_category": None,
        "category_children": [_category_json(tree["packs"])],
    }
    assert by_handle["packs"]["parent_category"] == _category_json(tree["gear"])
    assert by_handle["packs"]["category_children"] == [_category_json(tree["day"])]
    # a hidden parent is not shown
    assert by_handle["under-hidden"]["parent_category"] is None


def test_categories_descendants_tree_from_the_top_level(api_client, tree):
    response = api_client.get(
        CATEGORIES, {"parent_category_id": "null", "include_descendants_tree": "true"}
    )
    assert response.status_code == 200
    assert response.json()["product_categories"] == [
        {
            **_category_json(tree["gear"]),
            "parent_category": None,
            "category_children": [
                {
                    **_category_json(tree["packs"]),
                    "category_children": [{**_category_json(tree["day"]), "category_children": []}],
                }
            ],
        }
    ]


def test_categories_by_handle_and_expand(api_client, tree):
    response = api_client.get(CATEGORIES, {"handle": "packs", "expand": "category_children"})
    assert response.json()["product_categories"] == [
        {**_category_json(tree["packs"]), "category_children": [_category_json(tree["day"])]}
    ]
    response = api_client.get(CATEGORIES, {"handle": "packs", "expand": ""})
    assert response.json()["product_categories"] == [_category_json(tree["packs"])]
    assert _ids(api_client.get(CATEGORIES, {"q": "day"}), "product_categories") == [tree["day"].pk]
    assert _ids(
        api_client.get(CATEGORIES, {"parent_category_id": tree["gear"].pk}), "product_categories"
    ) == [tree["packs"].pk]


def test_category_retrieve_hides_inactive_and_internal(api_client, tree):
    response = api_client.get(f"{CATEGORIES}/{tree['packs'].pk}")
    assert response.status_code == 200
    assert response.json() == {
        "product_category": {
            **_category_json(tree["packs"]),
            "parent_category": _category_json(tree["gear"]),
            "category_children": [_category_json(tree["day"])],
        }
    }
    for name in ("hidden", "staff"):
        pk = tree[name].pk
        response = api_client.get(f"{CATEGORIES}/{pk}")
        assert response.status_code == 404
        assert response.json() == {
            "type": "not_found",
            "message": f"ProductCategory with id: {pk} was not found",
        }


def test_categories_bad_query_is_a_400(api_client):
    response = api_client.get(CATEGORIES, {"expand": "products"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "invalid_data",
        "message": "Relations [products] are not valid",
    }


def test_categories_list_query_count_is_fixed(api_client, tree, django_assert_num_queries):
    # 1 = COUNT(*); 2 = the page with its parents; 3 = the children of the page
    with django_assert_num_queries(3):
        api_client.get(CATEGORIES)
    for n in range(5):
        category_create(name=f"More {n}", parent_category_id=tree["day"].pk, is_active=True)
    with django_assert_num_queries(3):
        assert api_client.get(CATEGORIES).json()["count"] == 9
    with django_assert_num_queries(3):
        api_client.get(CATEGORIES, {"include_descendants_tree": "true"})


# ---- PRODUCTS BY COLLECTION, CATEGORY, TAG, TYPE ----


def test_products_by_category_follow_the_channel_of_the_request(api_client, default_channel, tree):
    b2b = SalesChannelFactory(name="B2B")
    key = PublishableApiKeyFactory(sales_channels=[b2b])
    web_pack = _published("Web pack", [default_channel])
    b2b_pack = _published("Trade pack", [b2b])
    both = _published("Everywhere pack", [default_channel, b2b])
    other = _published("Tent", [default_channel, b2b])
    category_products_add(category_id=tree["packs"].pk, product_ids=[web_pack.pk, b2b_pack.pk])
    category_products_add(category_id=tree["day"].pk, product_ids=[both.pk])
    category_products_add(category_id=tree["gear"].pk, product_ids=[other.pk])

    url = f"{PRODUCTS}?category_id[]={tree['packs'].pk}"
    response = api_client.get(url)
    assert _ids(response) == [web_pack.pk]
    assert response.json()["count"] == 1
    response = api_client.get(url, **{KEY: key.pk})
    assert _ids(response) == [b2b_pack.pk]
    assert response.json()["count"] == 1

    with_children = url + "&include_category_children=true"
    assert _ids(api_client.get(with_children)) == [both.pk, web_pack.pk]
    assert _ids(api_client.get(with_children, **{KEY: key.pk})) == [both.pk, b2b_pack.pk]


def test_products_of_hidden_categories_are_not_found_through_them(
    api_client, default_channel, tree
):
    product = _published("Secret", [default_channel])
    category_products_add(category_id=tree["hidden"].pk, product_ids=[product.pk])
    category_products_add(category_id=tree["under"].pk, product_ids=[product.pk])
    assert _ids(api_client.get(f"{PRODUCTS}?category_id[]={tree['hidden'].pk}")) == []
    assert (
        _ids(
            api_client.get(
                f"{PRODUCTS}?category_id[]={tree['gear'].pk}&include_category_children=true"
            )
        )
        == []
    )


def test_products_by_collection_follow_the_channel_of_the_request(api_client, default_channel):
    b2b = SalesChannelFactory(name="B2B")
    key = PublishableApiKeyFactory(sales_channels=[b2b])
    summer = collection_create(title="Summer")
    web = _published("Web hat", [default_channel], collection_id=summer.pk)
    trade = _published("Trade hat", [b2b], collection_id=summer.pk)
    _published("Other", [default_channel, b2b])
    url = f"{PRODUCTS}?collection_id[]={summer.pk}"
    assert _ids(api_client.get(url)) == [web.pk]
    response = api_client.get(url, **{KEY: key.pk})
    assert _ids(response) == [trade.pk]
    assert response.json()["count"] == 1


def test_products_by_tag_type_handle_ids_and_giftcard(api_client, default_channel):
    hat = _published(
        "Hat", [default_channel], tags=[TagInput(value="wool")], type=TagInput(value="Headwear")
    )
    card = _published("Gift card", [default_channel], is_giftcard=True)
    scarf = _published("Scarf", [default_channel], tags=[TagInput(value="wool")])
    tag_id = hat.tags.get().pk
    assert _ids(api_client.get(f"{PRODUCTS}?tags[]={tag_id}")) == [scarf.pk, hat.pk]
    assert _ids(api_client.get(f"{PRODUCTS}?type_id[]={hat.type_id}")) == [hat.pk]
    assert _ids(api_client.get(f"{PRODUCTS}?is_giftcard=false")) == [scarf.pk, hat.pk]
    assert _ids(api_client.get(f"{PRODUCTS}?is_giftcard=true")) == [card.pk]
    assert _ids(api_client.get(f"{PRODUCTS}?handle=hat")) == [hat.pk]
    assert _ids(api_client.get(f"{PRODUCTS}?id[]={hat.pk}&id[]={card.pk}")) == [card.pk, hat.pk]


def test_a_list_gives_each_product_its_own_tags_by_value(api_client, default_channel):
    hat = _published(
        "Hat", [default_channel], tags=[TagInput(value="wool"), TagInput(value="winter")]
    )
    scarf = _published("Scarf", [default_channel], tags=[TagInput(value="wool")])
    card = _published("Gift card", [default_channel])
    response = api_client.get(f"{PRODUCTS}?expand=tags&fields=id")
    assert response.status_code == 200
    tags = {
        p["id"]: [(t["value"], t["id"]) for t in p["tags"]] for p in response.json()["products"]
    }
    wool, winter = (ProductTag.objects.get(value=value).pk for value in ("wool", "winter"))
    assert tags == {
        hat.pk: [("winter", winter), ("wool", wool)],
        scarf.pk: [("wool", wool)],
        card.pk: [],
    }


def test_products_show_images_tags_type_and_categories_when_expanded(
    api_client, default_channel, tree, rf
):
    product = _published(
        "Pack",
        [default_channel],
        images=["https://cdn.example.com/a.jpg", "/media/products/b.png"],
        tags=[TagInput(value="wool")],
        type=TagInput(value="Bags"),
        category_ids=[tree["packs"].pk, tree["hidden"].pk],
        physical={"weight": 900, "material": "Nylon", "origin_country": "pt"},
    )
    response = api_client.get(f"{PRODUCTS}/{product.pk}", {"expand": "images,tags,type,categories"})
    assert response.status_code == 200
    data = response.json()["product"]
    assert data["thumbnail"] == "https://cdn.example.com/a.jpg"
    assert [image["url"] for image in data["images"]] == [
        "https://cdn.example.com/a.jpg",
        "http://testserver/media/products/b.png",
    ]
    image = product.images.order_by("rank").first()
    assert data["images"][0] == {
        "id": image.pk,
        "created_at": ms(image.created_at),
        "updated_at": ms(image.updated_at),
        "deleted_at": None,
        "url": image.url,
        "metadata": None,
    }
    assert image.pk.startswith("img_")
    assert [tag["value"] for tag in data["tags"]] == ["wool"]
    assert data["tags"][0]["id"].startswith("ptag_")
    assert data["type"]["value"] == "Bags"
    assert data["type"]["id"] == data["type_id"]
    assert data["type_id"].startswith("ptyp_")
    # the store sees only its categories: not the inactive one
    assert data["categories"] == [_category_json(tree["packs"])]
    assert (data["weight"], data["material"], data["origin_country"]) == (900, "Nylon", "pt")


def test_filtered_product_list_query_count_does_not_grow(
    api_client, default_channel, tree, django_assert_num_queries
):
    for n in range(2):
        product = _published(f"P{n}", [default_channel], images=[f"https://x/{n}.png"])
        category_products_add(category_id=tree["packs"].pk, product_ids=[product.pk])
    url = (
        f"{PRODUCTS}?category_id[]={tree['gear'].pk}&include_category_children=true"
        "&expand=images,tags,type,categories,collection"
    )
    # 1 = default channel; 2-3 = the categories asked for and those below them; 4 = COUNT(*);
    # 5 = the page's ids and versions; the misses (JSON_BUILT: 6 = their JSON built by
    # PostgreSQL, else 6 = their rows with their collection and type; 7-9 = images, tags,
    # categories)
    queries = 6 if JSON_BUILT else 9
    with django_assert_num_queries(queries):
        assert len(api_client.get(url).json()["products"]) == 2
    for n in range(2, 8):
        product = _published(f"P{n}", [default_channel], images=[f"https://x/{n}.png"])
        category_products_add(category_id=tree["day"].pk, product_ids=[product.pk])
    with django_assert_num_queries(queries):
        assert len(api_client.get(url).json()["products"]) == 8


def test_unknown_product_list_relation_or_bad_boolean_is_a_400(api_client, default_channel):
    ProductFactory()
    response = api_client.get(f"{PRODUCTS}?include_category_children=maybe&category_id[]=x")
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_data"


def test_deep_pages_with_a_category_or_collection_filter_leave_the_channel_fast_path(
    api_client, default_channel
):
    # given: 210 products in the channel, 3 of them in a category and a collection
    from catalog.models import Product, ProductSalesChannel

    summer = collection_create(title="Summer")
    products = Product.objects.bulk_create(
        [Product(title=f"P{n}", handle=f"p-{n}", status="published") for n in range(210)]
    )
    ProductSalesChannel.objects.bulk_create(
        [
            ProductSalesChannel(
                product=p, sales_channel=default_channel, product_created_at=p.created_at
            )
            for p in products
        ]
    )
    packs = category_create(name="Packs", is_active=True)
    chosen = [p.pk for p in products[:3]]
    category_products_add(category_id=packs.pk, product_ids=chosen)
    Product.objects.filter(pk__in=chosen).update(collection=summer)

    # when / then: the unfiltered deep page is the channel's; the filtered ones are not
    plain = api_client.get(PRODUCTS, {"offset": 200, "expand": ""}).json()
    assert (plain["count"], len(plain["products"])) == (210, 10)
    for query in (f"category_id[]={packs.pk}", f"collection_id[]={summer.pk}"):
        page = api_client.get(f"{PRODUCTS}?{query}&offset=200&expand=").json()
        assert (page["count"], page["products"]) == (3, [])
        first = api_client.get(f"{PRODUCTS}?{query}&expand=").json()
        assert sorted(row["id"] for row in first["products"]) == sorted(chosen)


def test_descendants_tree_of_a_whole_list_nests_children_that_are_on_the_page_too(api_client, tree):
    response = api_client.get(
        CATEGORIES, {"include_descendants_tree": "true", "expand": "category_children"}
    )
    rows = {row["handle"]: row for row in response.json()["product_categories"]}
    assert [c["handle"] for c in rows["gear"]["category_children"]] == ["packs"]
    assert [c["handle"] for c in rows["gear"]["category_children"][0]["category_children"]] == [
        "day-packs"
    ]
    assert [c["handle"] for c in rows["packs"]["category_children"]] == ["day-packs"]
    assert rows["day-packs"]["category_children"] == []
