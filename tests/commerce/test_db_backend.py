"""Our PostgreSQL backend (commerce.db.postgresql): psycopg's compiled timestamp loader on UTC
sessions, statement conversions kept for statements with many parameters."""

import datetime as dt

import pytest
from django.db import connection
from psycopg.types.datetime import TimestamptzLoader

from commerce.models import Store

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the backend is for PostgreSQL only"
    ),
]
TIMESTAMPTZ_OID = 1184


def _text_loader(cursor) -> type:
    return cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, 0)


def test_engine_is_ours_for_postgres_urls():
    assert connection.settings_dict["ENGINE"] == "commerce.db.postgresql"
    assert connection.vendor == "postgresql"


def test_utc_session_cursor_uses_psycopgs_own_loader_with_django_s_values():
    written = dt.datetime(2026, 11, 26, 13, 45, 7, 123456, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        loader = _text_loader(cursor)
        cursor.execute("SELECT %s::timestamptz, NULL::timestamptz", [written])
        value, null = cursor.fetchone()
    assert loader.__name__ == TimestamptzLoader.__name__
    assert loader.__module__ != "django.db.backends.postgresql.psycopg_any"
    assert value == written
    assert value.tzinfo is dt.UTC  # what Django's own loader sets
    assert null is None


def test_orm_reads_come_back_aware_in_utc():
    store = Store.objects.get()
    stored = Store.objects.values_list("created_at", flat=True).get()
    assert stored.tzinfo is dt.UTC
    assert stored == store.created_at


def test_non_utc_session_keeps_djangos_loader():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Amsterdam'")
    try:
        with connection.cursor() as cursor:
            assert _text_loader(cursor).__module__ == "django.db.backends.postgresql.psycopg_any"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")


def test_a_statement_with_hundreds_of_parameters_is_split_once_and_binds_each_call_s_values():
    from psycopg import _queries

    values = [f"v{n}" for n in range(512)]
    sql = "SELECT count(*) FROM (VALUES {}) AS t(v) WHERE v <> %s".format(  # noqa: S608
        ", ".join(["(%s)"] * len(values))
    )
    before = _queries._query2pg_client.cache_info()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, "v0"])
        first = cursor.fetchone()[0]
        cursor.execute(sql, [*values, "v1"])
        second = cursor.fetchone()[0]
        cursor.execute(sql, [*reversed(values), "none"])
        third = cursor.fetchone()[0]
    after = _queries._query2pg_client.cache_info()
    assert (first, second, third) == (511, 511, 512)
    assert after.hits - before.hits >= 2  # the second and third calls reuse the first's split


def test_long_statements_are_still_split_each_time():
    from psycopg import _queries

    sql = "SELECT %s::int AS n /* {} */".format("x" * _queries.MAX_CACHED_STATEMENT_LENGTH)
    before = _queries._query2pg_client.cache_info()
    with connection.cursor() as cursor:
        cursor.execute(sql, [7])
        assert cursor.fetchone()[0] == 7
    after = _queries._query2pg_client.cache_info()
    assert (after.hits, after.misses, after.currsize) == (
        before.hits,
        before.misses,
        before.currsize,
    )


def _collation(table: str, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
            [table, column],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("catalog_product", "id"),
        ("catalog_productsaleschannel", "product_id"),
        ("catalog_productsaleschannel", "sales_channel_id"),
        ("orders_orderitem", "order_id"),
        ("commerce_user_groups", "user_id"),  # an auto-created many-to-many table
    ],
)
def test_ids_and_foreign_keys_to_ids_use_the_c_collation(table, column):
    assert _collation(table, column) == "C"


def test_other_text_columns_keep_the_database_collation():
    assert _collation("catalog_product", "handle") is None
    assert _collation("commerce_currency", "code") is None  # a primary key, but not an id


def test_the_migration_converts_a_column_left_in_the_locale_and_is_idempotent():
    from django.apps import apps
    from django.db import connection as conn

    from commerce.db.collation import ids_to_c_collation

    with conn.cursor() as cursor:
        cursor.execute(
            'ALTER TABLE "catalog_productsaleschannel" ALTER COLUMN "product_id" '
            'TYPE varchar(64) COLLATE "default"'
        )
    assert _collation("catalog_productsaleschannel", "product_id") is None
    operation = ids_to_c_collation("catalog")
    with conn.schema_editor() as editor:
        operation.code(apps, editor)
        operation.code(apps, editor)  # again: nothing left to do
    assert _collation("catalog_productsaleschannel", "product_id") == "C"


@pytest.mark.postgres_only
def test_a_prepared_reusable_query_is_prepared_once_per_connection_and_logged():
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Product
    from commerce.reusable_sql import ReusableQuery

    query = ReusableQuery(
        lambda ids: Product.objects.filter(pk__in=ids).values_list("pk"), prepared=True
    )
    with CaptureQueriesContext(connection) as captured:
        assert query.rows(["nope"]) == []
        assert query.rows(["still-nope"]) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%catalog_product%"],
        )
        prepared = cursor.fetchone()[0]
        cursor.execute("SELECT %s::int", [7])  # Django's own cursors still bind on the client
        assert cursor.fetchone()[0] == 7
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == prepared
    assert prepared == 1
    assert len(captured.captured_queries) == 2
    assert all("catalog_product" in q["sql"] for q in captured.captured_queries)


@pytest.mark.postgres_only
def test_prepared_statements_can_be_turned_off_for_a_pooler(settings):
    from catalog.models import Product
    from commerce.reusable_sql import ReusableQuery
    from tests.catalog.factories import ProductFactory

    settings.DATABASE_PREPARED_STATEMENTS = False
    product = ProductFactory(title="Unprepared")
    query = ReusableQuery(
        lambda ids: Product.objects.filter(pk__in=ids).values_list("title"), prepared=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        before = cursor.fetchone()[0]

    assert query.rows([product.pk]) == [("Unprepared",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == before
