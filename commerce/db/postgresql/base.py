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
"""

from __future__ import annotations

import datetime as dt

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader


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
