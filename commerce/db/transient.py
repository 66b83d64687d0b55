"""Which database errors are transient: the request was fine, the database could not serve it now.

Those are answered 503 with `Retry-After` (commerce.api.exceptions, commerce.api.middleware), not
500: a client, a proxy or a load balancer can tell "retry later" from "broken". Everything else
stays a bug (500).
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
DEADLOCK = "deadlock"
SERIALIZATION = "serialization_failure"
LOCK_TIMEOUT = "lock_timeout"
STATEMENT_TIMEOUT = "statement_timeout"
CONNECTION = "connection"
OVERLOAD = "overload"

_BY_SQLSTATE = {
    "40P01": DEADLOCK,
    "40001": SERIALIZATION,
    "55P03": LOCK_TIMEOUT,  # lock_not_available (lock_timeout, NOWAIT)
    "57014": STATEMENT_TIMEOUT,  # query_canceled (statement_timeout)
    "57P01": CONNECTION,  # admin_shutdown: the server is stopping
    "57P02": CONNECTION,  # crash_shutdown
    "57P03": CONNECTION,  # cannot_connect_now: the server is starting
    "53300": OVERLOAD,  # too_many_connections
}

# Causes after which nothing was written (the transaction was rolled back or never began), so a
# safe request (GET, HEAD) may run once more. Timeouts are not retried: a second wait as long as
# the first would hold the worker twice as long for a likely second timeout.
RETRYABLE = frozenset({DEADLOCK, SERIALIZATION, CONNECTION})


def transient_cause(exc: BaseException) -> str | None:
    """Return why a database error is transient (a short name), or None if it is not transient."""
    if isinstance(exc, InterfaceError):
        return CONNECTION  # e.g. "connection already closed"
    if not isinstance(exc, OperationalError):
        return None
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is None:
        if "database is locked" in str(exc):  # SQLite's busy timeout ran out
            return LOCK_TIMEOUT
        if exc.__cause__ is not None and type(exc.__cause__).__module__.startswith("psycopg"):
            return CONNECTION  # refused, reset or lost: the client library has no SQLSTATE
        return None
    if sqlstate.startswith("08"):  # connection_exception
        return CONNECTION
    return _BY_SQLSTATE.get(sqlstate)


def first_line(exc: BaseException) -> str:
    """Return the error's first line, for a one-line log record (no traceback, no query)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
