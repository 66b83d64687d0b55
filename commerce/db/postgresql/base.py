"""Django's PostgreSQL backend, reading `timestamptz` columns with psycopg's compiled loader.

Django (5.2, psycopg 3) registers its own `timestamptz` loader on every connection so that
datetimes carry the connection's timezone object. It subclasses psycopg's pure-Python loader,
so every timestamp of every row is parsed in Python: on a store product page (about 900
timestamps) that was half of the time spent fetching rows. When both Django's connection
timezone and the server session's `TimeZone` are UTC, psycopg's own loader returns exactly the
same values (aware datetimes with `datetime.timezone.utc`), and with `psycopg[binary]` it is
the compiled one, so each cursor gets it instead. Any other set-up keeps Django's loader.

Selected by `config.settings.base` for every `postgres://` DATABASE_URL.
Speed layer: docs/speed-layer.md "psycopg's compiled timestamp loader".

It also lets psycopg keep the conversion of statements with up to `CACHED_STATEMENT_PARAMS`
parameters (psycopg: 50). With client-side binding psycopg splits each statement on its
placeholders before binding it, and keeps the result only for short statements with few
parameters; the relations of a store page of 100 products have 128 to 512 (an `IN` list per
id, `commerce.reusable_sql` pads them to a power of two), so every request split them again.
Speed layer: docs/speed-layer.md "psycopg's statement conversions kept".

And it runs the statements a `ReusableQuery(prepared=True)` asks for as prepared statements
(`prepared_rows`): a store page's products JSON (`commerce.api.sql_json`) is one statement of
~17 KB that PostgreSQL planned in 1.4-2.4 ms and psycopg split in ~2.3 ms on every request.
Speed layer: docs/speed-layer.md "Product JSON built by PostgreSQL".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import _queries
from psycopg.types.datetime import TimestamptzLoader

# Statements still longer than psycopg's MAX_CACHED_STATEMENT_LENGTH (4,096 bytes: bulk inserts,
# imports) are converted each time, as before. 1,024 covers a page of 100 products' relations.
CACHED_STATEMENT_PARAMS = 1024
_queries.MAX_CACHED_STATEMENT_PARAMS = max(
    _queries.MAX_CACHED_STATEMENT_PARAMS, CACHED_STATEMENT_PARAMS
)


# The conversions of the prepared statements, whatever their length (a few shapes each).
_prepared_conversion = lru_cache(maxsize=64)(_queries._query2pg_nocache)


class _KeptConversionQuery(_queries.PostgresQuery):
    """psycopg's statement conversion for server-side binding, kept for any length."""

    def convert(self, query: Any, vars: Any) -> None:
        query = self._ensure_bytes(query)
        self.query, self._want_formats, self._order, self._parts = _prepared_conversion(
            query, self._tx.encoding
        )
        self.dump(vars)


class _PreparingCursor(psycopg.Cursor):
    """A cursor binding on the server that has psycopg prepare every statement it runs."""

    _query_cls = _KeptConversionQuery

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        kwargs["prepare"] = True
        return super().execute(query, params, **kwargs)

    def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
        # psycopg keeps the statement it ran (`_query`, which Django logs) only when it is not
        # prepared: keep it here too, so the statement shows in Django's query log.
        self._query = pgq
        super()._send_query_prepared(name, pgq, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    def prepared_rows(self, cursor: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """Run `sql` as a statement prepared on this connection and return its rows.

        `cursor` is a Django cursor of this connection; the statement runs on a psycopg cursor
        binding on the server, wrapped as Django wraps its own (errors translated, the query
        logged). psycopg keeps the prepared statements of a connection (at most
        `prepared_max`, 100) and prepares again after a reconnection. With PgBouncer in
        transaction mode this needs its `max_prepared_statements` (docs/deployment.md);
        `DATABASE_PREPARED_STATEMENTS=false` runs it as any other statement.
        """
        if not settings.DATABASE_PREPARED_STATEMENTS:  # behind a pooler that cannot follow them
            cursor.execute(sql, params)
            return cursor.fetchall()
        raw = self.connection
        if raw.prepare_threshold is None:
            # Django sets None, which keeps psycopg from preparing at all. Its own cursors
            # bind on the client and never prepare; a threshold no count reaches leaves them
            # so and lets this cursor prepare what it asks for.
            raw.prepare_threshold = 2**31 - 1
        server_cursor = _PreparingCursor(raw)
        try:
            wrapped = type(cursor)(server_cursor, self)
            wrapped.execute(sql, params)
            return wrapped.fetchall()
        finally:
            server_cursor.close()

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if (
            name is None
            and self.timezone is dt.UTC
            and self.connection.info.parameter_status("TimeZone") == "UTC"
        ):
            # psycopg swaps in the compiled class when psycopg[binary] is installed.
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor
