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
"""

from __future__ import annotations

import datetime as dt

from django.db.backends.postgresql import base
from psycopg import _queries
from psycopg.types.datetime import TimestamptzLoader

# Statements still longer than psycopg's MAX_CACHED_STATEMENT_LENGTH (4,096 bytes: bulk inserts,
# imports) are converted each time, as before. 1,024 covers a page of 100 products' relations.
CACHED_STATEMENT_PARAMS = 1024
_queries.MAX_CACHED_STATEMENT_PARAMS = max(
    _queries.MAX_CACHED_STATEMENT_PARAMS, CACHED_STATEMENT_PARAMS
)


class DatabaseWrapper(base.DatabaseWrapper):
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
