"""Races on PostgreSQL: real threads, each on its own connection, started together.

Each test names the guard it proves in its docstring; docs/reliability.md records how each test
was seen to fail with that guard removed.
"""

import random
import threading
import time
from functools import partial

import pytest
from django.db import connection, transaction
from django.db.models import Count

from carts.exceptions import ProductsNotInCartChannel
from carts.models import Cart, LineItem
from carts.services import ItemInput, cart_line_items_add
from catalog.models import Product, ProductSalesChannel, ProductStatus
from catalog.selectors import product_count_in_channels, product_count_live_in_channels
from catalog.services import (
    product_delete,
    product_update,
    sales_channel_products_add,
    sales_channel_products_remove,
)
from commerce.exceptions import Conflict
from commerce.models import Region, Store
from orders.exceptions import IdempotencyKeyReused
from orders.models import Order, OrderItem
from orders.services import cart_complete
from saleschannels.exceptions import (
    DefaultSalesChannelMustBeEnabled,
    DefaultSalesChannelNotDeletable,
    DefaultSalesChannelNotDisableable,
    SalesChannelNotFound,
)
from saleschannels.models import SalesChannel
from saleschannels.services import (
    sales_channel_delete,
    sales_channel_update,
    store_default_sales_channel_set,
)
from tests.catalog.factories import ProductFactory
from tests.commerce.factories import RegionFactory
from tests.helpers import pay
from tests.reliability.concurrency import errors_of, pause_before, run_concurrently
from tests.reliability.shop import linked, ready_cart, variant_in
from tests.saleschannels.factories import SalesChannelFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINK_TABLE = ProductSalesChannel._meta.db_table
LINE_TABLE = LineItem._meta.db_table
ORDER_TABLE = Order._meta.db_table  # also matches the display-id and item tables written first
ROUNDS = 30


# ---- 1. many completions of one cart ----


def test_twenty_simultaneous_completions_place_exactly_one_order(shop):
    """Guard: the cart row lock (`carts.locks.cart_qs_for_update`) taken first by `cart_complete`."""
    # given: 2 tees at 19.50 (stock 5) and the last mug at 8.00 (stock 1)
    channel = shop.channel
    tee = variant_in(channel, title="Tee", amount=1950, stock=5)
    mug = variant_in(channel, title="Mug", amount=800, stock=1)
    cart_id = ready_cart(shop, [ItemInput(tee.pk, 2), ItemInput(mug.pk, 1)])

    # when: 20 shoppers' tabs press "complete" at the same moment
    outcomes = run_concurrently(*[partial(cart_complete, cart_id=cart_id)] * 20)

    # then: one order; every caller got it (or a clear conflict), nobody got anything else
    order = Order.objects.get()
    assert [e for e in errors_of(outcomes) if not isinstance(e, Conflict)] == []
    assert {o.value.pk for o in outcomes if o.error is None} == {order.pk}
    assert (order.cart_id, order.sales_channel_id) == (cart_id, channel.pk)
    # 4700 items + 1000 shipping, 25 % tax on both = 1425
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        4700,
        1000,
        1425,
        7125,
    )
    assert sorted(
        OrderItem.objects.filter(order=order).values_list("title", "unit_price", "quantity")
    ) == [("Mug", 800, 1), ("Tee", 1950, 2)]
    tee.refresh_from_db()
    mug.refresh_from_db()
    assert (tee.inventory_quantity, mug.inventory_quantity) == (3, 0)  # counted once


def test_one_idempotency_key_sent_for_two_carts_at_once_places_one_order(shop):
    """Guard: completions carrying the same idempotency key are serialised on that key.

    Five callers per cart complete two different carts with the same key at the same moment.
    Sent one after the other, the second cart is refused (409); sent at once, too.
    """
    tee = variant_in(shop.channel, title="Tee", amount=1950, stock=1000)
    for round_no in range(5):
        # given (one commit)
        with transaction.atomic():
            carts = [ready_cart(shop, [ItemInput(tee.pk, 1)]) for _ in range(2)]
        key = f"checkout-{round_no}"
        callers = carts * 5

        # when
        outcomes = run_concurrently(
            *[partial(cart_complete, cart_id=cart_id, idempotency_key=key) for cart_id in callers]
        )

        # then: one order with the key; its cart's callers get it, the other cart's get a conflict
        order = Order.objects.get(idempotency_key=key)
        for cart_id, outcome in zip(callers, outcomes, strict=True):
            if cart_id == order.cart_id:
                assert (outcome.error, outcome.value.pk) == (None, order.pk)
            else:
                assert isinstance(outcome.error, IdempotencyKeyReused), outcome
        loser = next(cart_id for cart_id in carts if cart_id != order.cart_id)
        assert Cart.objects.get(pk=loser).completed_at is None
    tee.refresh_from_db()
    assert tee.inventory_quantity == 995


# ---- 2. adding items while the product leaves the channel ----


def test_items_added_while_the_product_leaves_the_channel_never_reach_an_order(shop):
    """Guards: the link-row lock in `_add_items` and the channel re-check in `cart_complete`.

    Each round, one thread adds a product to the cart while another removes that product from
    the cart's channel. The remover pauses right before its DELETE on the link table; the adder
    pauses right before its channel check (even rounds: the two statements collide) or right
    after it, before it writes the line (odd rounds: the removal lands in between). The adder
    also reads, inside its own transaction, whether the link still exists: an add that commits
    must have held the product in the channel until its commit. Then the cart is completed: if
    the line made it in, completion must refuse it.
    """
    channel = shop.channel
    staple = variant_in(channel, title="Staple", amount=500, stock=1000)
    added = refused = 0
    for round_no in range(ROUNDS):
        # given: a ready cart with a staple, and a product of the channel (one commit)
        with transaction.atomic():
            product = variant_in(channel, title=f"Gadget {round_no}", amount=700, stock=10)
            cart_id = ready_cart(shop, [ItemInput(staple.pk, 1)])
        collide = threading.Barrier(2)
        adder_pause = LINK_TABLE if round_no % 2 == 0 else LINE_TABLE

        def add(cart_id=cart_id, product=product, collide=collide, adder_pause=adder_pause):
            with pause_before(adder_pause, collide), transaction.atomic():
                cart_line_items_add(cart_id=cart_id, items=[ItemInput(product.pk, 1)])
                return linked(channel.pk, product.product_id)  # still linked as we commit?

        def remove(product=product, collide=collide):
            with pause_before(LINK_TABLE, collide):
                sales_channel_products_remove(
                    channel_id=channel.pk, product_ids=[product.product_id]
                )

        # when
        add_outcome, remove_outcome = run_concurrently(add, remove)

        # then: the removal always succeeds; an add either held the link to its commit or was refused
        assert remove_outcome.error is None
        assert linked(channel.pk, product.product_id) is False
        if add_outcome.error is None:
            added += 1
            assert add_outcome.value is True, f"round {round_no}: line added after the removal"
        else:
            refused += 1
            assert isinstance(add_outcome.error, ProductsNotInCartChannel)
            assert add_outcome.error.message == (
                f"The products [Gadget {round_no}] must belong to the sales channel on which the "
                "cart has been created."
            )
        in_cart = LineItem.objects.filter(cart_id=cart_id, variant=product).exists()
        assert in_cart is (add_outcome.error is None)

        # when: the shopper checks out afterwards (adding items dropped the payment session)
        with transaction.atomic():
            pay(cart_id)
        if in_cart:
            with pytest.raises(ProductsNotInCartChannel):
                cart_complete(cart_id=cart_id)
            assert Order.objects.filter(cart_id=cart_id).exists() is False
        else:
            order = cart_complete(cart_id=cart_id)
            assert list(order.items.values_list("title", flat=True)) == ["Staple"]

    # then: no order anywhere holds a product that is not in its channel
    for item in OrderItem.objects.select_related("order"):
        assert linked(item.order.sales_channel_id, item.product_id), item.title
    assert added + refused == ROUNDS


# ---- 3. completing a cart while the product leaves the channel ----


def test_completion_racing_a_removal_never_sells_outside_the_channel(shop):
    """Guard: `cart_complete` locks the product↔channel link rows it checks (`lock=True`).

    Each round, one thread completes a cart holding a product while another removes that product
    from the channel. The remover pauses right before its DELETE on the link table; the completion
    pauses right before its channel check (even rounds: the two statements collide) or right after
    it, before it writes the order (odd rounds: the removal lands in between). The remover reads,
    inside its own transaction after its DELETE, whether the order exists. An order holding the
    product may exist only if it committed before the removal, i.e. the remover saw it.
    """
    channel = shop.channel
    sold = refused = 0
    for round_no in range(ROUNDS):
        # given (one commit)
        with transaction.atomic():
            product = variant_in(channel, title=f"Gizmo {round_no}", amount=700, stock=10)
            cart_id = ready_cart(shop, [ItemInput(product.pk, 2)])
        collide = threading.Barrier(2)
        completer_pause = LINK_TABLE if round_no % 2 == 0 else ORDER_TABLE

        def complete(cart_id=cart_id, collide=collide, completer_pause=completer_pause):
            with pause_before(completer_pause, collide):
                return cart_complete(cart_id=cart_id)

        def remove(cart_id=cart_id, product=product, collide=collide):
            with pause_before(LINK_TABLE, collide), transaction.atomic():
                sales_channel_products_remove(
                    channel_id=channel.pk, product_ids=[product.product_id]
                )
                return Order.objects.filter(cart_id=cart_id).exists()  # committed before us?

        # when
        complete_outcome, remove_outcome = run_concurrently(complete, remove)

        # then
        assert remove_outcome.error is None
        product.refresh_from_db()
        if complete_outcome.error is None:
            sold += 1
            assert remove_outcome.value is True, f"round {round_no}: sold after the removal"
            assert complete_outcome.value.items.get().product_id == product.product_id
            assert product.inventory_quantity == 8
        else:
            refused += 1
            assert isinstance(complete_outcome.error, ProductsNotInCartChannel)
            assert Order.objects.filter(cart_id=cart_id).exists() is False
            assert product.inventory_quantity == 10
    assert sold + refused == ROUNDS


# ---- 4. overlapping batch adds and removes ----


def _take_ticket(counter_id: str) -> int:
    """Number this transaction in commit order: the counter row stays locked until commit."""
    counter = Region.all_objects.select_for_update().get(pk=counter_id)
    ticket = counter.metadata["n"] + 1
    counter.metadata = {"n": ticket}
    counter.save(update_fields=["metadata"])
    return ticket


def test_overlapping_batch_adds_and_removes_end_in_the_last_writers_state(shop):
    """Guard: the channel row lock taken by `sales_channel_products_add/remove`.

    Eight workers per round add or remove overlapping random subsets of the same six products
    on the same channel. After its service call, inside the same transaction, each worker takes
    a ticket from a counter row that it then holds until commit, so ticket order is commit order.
    For each product, the final state must be the intent of the last committed worker that
    named it; no worker may fail and no link may be duplicated.
    """
    channel = shop.channel
    products = [ProductFactory(title=f"Batch {n}").pk for n in range(6)]
    counter = RegionFactory(name="ticket counter", metadata={"n": 0})
    rng = random.Random(8)  # a fixed seed: the same plans every run
    state = dict.fromkeys(products, False)
    for round_no in range(15):
        # given: eight plans over the same products
        plans = [
            (rng.choice(["add", "remove"]), rng.sample(products, k=rng.randint(2, 6)))
            for _ in range(8)
        ]

        def work(op, ids):
            service = sales_channel_products_add if op == "add" else sales_channel_products_remove
            with transaction.atomic():
                service(channel_id=channel.pk, product_ids=ids)
                return _take_ticket(counter.pk)

        # when
        outcomes = run_concurrently(*[partial(work, op, ids) for op, ids in plans])

        # then
        assert errors_of(outcomes) == []
        tickets = [o.value for o in outcomes]
        assert sorted(tickets) == list(range(8 * round_no + 1, 8 * round_no + 9))
        for _, (op, ids) in sorted(zip(tickets, plans, strict=True)):
            for pid in ids:
                state[pid] = op == "add"
        linked = set(
            ProductSalesChannel.objects.filter(sales_channel=channel).values_list(
                "product_id", flat=True
            )
        )
        assert linked == {pid for pid, on in state.items() if on}, f"round {round_no}"
        assert not (
            ProductSalesChannel.objects.values("product_id", "sales_channel_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .exists()
        )


# ---- 5. the default channel changing while it is deleted or disabled ----


def _kill(how: str, channel_id: str) -> None:
    if how == "delete":
        sales_channel_delete(channel_id=channel_id)
    else:
        sales_channel_update(channel_id=channel_id, is_disabled=True)


@pytest.mark.parametrize("how", ["delete", "disable"])
def test_default_channel_change_racing_delete_or_disable_keeps_one_live_enabled_default(how):
    """Guard: the store row lock (`_locked_store`) taken first by every service involved.

    Each round, one thread makes channel X the default while a second deletes (or disables) X and
    a third deletes (or disables) the current default. Whatever wins, the store must end with a
    live, enabled default: X if and only if the change of default succeeded.
    """
    refusals = (
        (DefaultSalesChannelNotDeletable, SalesChannelNotFound)
        if how == "delete"
        else (DefaultSalesChannelNotDisableable, DefaultSalesChannelMustBeEnabled)
    )
    for round_no in range(25):
        # given
        current = Store.objects.get().default_sales_channel_id
        target = SalesChannelFactory(name=f"Next default {round_no}").pk

        # when
        set_outcome, kill_target, kill_current = run_concurrently(
            partial(store_default_sales_channel_set, channel_id=target),
            partial(_kill, how, target),
            partial(_kill, how, current),
        )

        # then: only the expected refusals
        errors = errors_of([set_outcome, kill_target, kill_current])
        assert [e for e in errors if not isinstance(e, refusals)] == []
        default_id = Store.objects.get().default_sales_channel_id
        default = SalesChannel.all_objects.get(pk=default_id)
        assert (default.deleted_at, default.is_disabled) == (None, False), f"round {round_no}"
        assert (default_id == target) is (set_outcome.error is None)
        assert (kill_target.error is None) is (set_outcome.error is not None)
        if kill_current.error is None:  # the old default can go only once it is not the default
            assert default_id == target


# ---- 6. a batch add racing a product saved with the same channel ----


def test_a_batch_add_racing_a_product_saved_into_the_channel_links_it_once(shop):
    """Guard: the ON CONFLICT retry in `_channel_links_insert`.

    A batch add skips pairs already linked (NOT EXISTS) and inserts the rest as plain rows. A
    product saved with its channels does not take the channel lock, so its link can commit
    between the batch's snapshot and its insert: the worker saving the product links it and
    holds its transaction open; the batch starts meanwhile, waits on the unique index for that
    row, and meets a unique violation when the product's transaction commits. It must still
    succeed, with every pair linked exactly once.
    """
    channel = shop.channel
    racing, other = ProductFactory(title="Racing"), ProductFactory(title="Other")
    linked_not_committed = threading.Event()

    def save_product():
        with transaction.atomic():
            product_update(product_id=racing.pk, sales_channel_ids=[channel.pk])
            linked_not_committed.set()
            time.sleep(0.5)  # the batch's INSERT reaches the unique index meanwhile

    def batch_add():
        assert linked_not_committed.wait(timeout=5)
        sales_channel_products_add(channel_id=channel.pk, product_ids=[racing.pk, other.pk])

    # when
    outcomes = run_concurrently(save_product, batch_add)

    # then
    assert errors_of(outcomes) == []
    pairs = list(
        ProductSalesChannel.objects.filter(sales_channel=channel)
        .order_by("product__title")
        .values_list("product__title", flat=True)
    )
    assert pairs == ["Other", "Racing"]


# ---- 7. a batch add racing a status change of the same product ----


def _held_after(table: str, done: threading.Event, seconds: float):
    """Hold this thread after its first statement on `table` until `done` is set, or `seconds`."""
    seen = False

    def wrapper(execute, sql, params, many, context):
        nonlocal seen
        result = execute(sql, params, many, context)
        if not seen and table in sql:
            seen = True
            done.wait(timeout=seconds)
        return result

    return connection.execute_wrapper(wrapper)


@pytest.mark.parametrize("change", ["unpublish", "delete"])
def test_a_batch_add_racing_a_status_change_leaves_links_copying_the_final_state(shop, change):
    """Guard: `saleschannels.locks.live_channels_shared`, taken by a status change or a deletion.

    A link copies its product's state as the batch's INSERT reads it. The batch links the
    product and then holds its transaction open until the change has finished (at most 1 s);
    the change updates the product and the links it can see. Without the shared channel locks
    the change finishes at once without seeing the batch's uncommitted link, which then keeps
    `product_published` true (or `product_deleted` false) for a product the store must not
    show. With them, the change waits for the batch's channel lock, then sees its link.
    """
    channel = SalesChannelFactory()
    product = ProductFactory(status=ProductStatus.PUBLISHED)
    changed = threading.Event()
    started = threading.Event()

    def batch_add():
        with _held_after(LINK_TABLE, changed, seconds=1):
            started.set()
            sales_channel_products_add(channel_id=channel.pk, product_ids=[product.pk])

    def change_state():
        assert started.wait(timeout=5)
        time.sleep(0.2)  # the batch's INSERT has run
        if change == "unpublish":
            product_update(product_id=product.pk, status=ProductStatus.DRAFT)
        else:
            product_delete(product_id=product.pk)
        changed.set()

    # when
    outcomes = run_concurrently(batch_add, change_state)

    # then
    assert errors_of(outcomes) == []
    expected = (False, False) if change == "unpublish" else (True, True)
    assert list(
        ProductSalesChannel.objects.filter(product=product).values_list(
            "product_published", "product_deleted"
        )
    ) == [expected]


# ---- 8. two writers of one channel's links and its kept counts ----


def _link_raw(product: Product, channel: SalesChannel) -> None:
    """Insert one link row as any writer would (the triggers count it), in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LINK_TABLE} (product_id, sales_channel_id, product_created_at, "  # noqa: S608
            "product_published, product_deleted) VALUES (%s, %s, %s, true, false)",
            [product.pk, channel.pk, product.created_at],
        )


def test_two_writers_of_one_channels_links_never_wait_on_its_kept_counts():
    """Guard: the kept counts' rows are only inserted (`catalog.0015`'s triggers).

    Two transactions link a product each to one channel, with nothing else in common (raw
    inserts: no channel lock, no listings version). The first holds its transaction open after
    its insert; the second must finish meanwhile. A counter row updated per channel would make
    the second wait for the first's commit (and two such rows taken in different orders would
    deadlock). Both then count.
    """
    channel = SalesChannelFactory()
    first, second = (ProductFactory(status=ProductStatus.PUBLISHED) for _ in range(2))
    held, second_done = threading.Event(), threading.Event()

    def write_first():
        with transaction.atomic():
            _link_raw(first, channel)
            held.set()
            return second_done.wait(timeout=3)

    def write_second():
        assert held.wait(timeout=5)
        with transaction.atomic():
            _link_raw(second, channel)
        second_done.set()

    # when
    outcomes = run_concurrently(write_first, write_second)

    # then
    assert errors_of(outcomes) == []
    assert outcomes[0].value is True  # the second committed while the first held its transaction
    assert product_count_in_channels(channel_ids=[channel.pk]) == 2
    assert product_count_live_in_channels(channel_ids=[channel.pk]) == 2
