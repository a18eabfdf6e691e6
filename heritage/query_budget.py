"""A limit on the time the database may take for one piece of work, on PostgreSQL and SQLite.

Most reads go through an index that bounds their cost. A few cannot: a word of one or two
letters is looked for in every name of the register (no index finds so few letters), and a
search of several such words that rarely meet tests site after site. :func:`within` gives a
block a deadline: a query still running when it passes is stopped, and :class:`OverBudget`
raised, so that such a search is answered with a message rather than keep a worker for a
second or more.

PostgreSQL stops a query through ``statement_timeout``, set before each query of the block
to the time left (``SET LOCAL``, in a transaction or savepoint of the block's own, which a
stopped query rolls back); SQLite through a progress handler that interrupts a query once
the deadline has passed. On both, a query is not started once the deadline has passed.
"""

import time
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

#: PostgreSQL's code for a query cancelled by ``statement_timeout``.
QUERY_CANCELED = "57014"
#: SQLite calls the progress handler after this many steps of its virtual machine.
SQLITE_STEPS = 10_000


class OverBudget(Exception):
    """The database did not finish the block's queries within its time."""


@contextmanager
def within(seconds, using=DEFAULT_DB_ALIAS):
    """Run the block with a deadline ``seconds`` from now for its queries on ``using``."""
    connection = connections[using]
    deadline = time.monotonic() + seconds
    if connection.vendor == "postgresql":
        with _postgresql_deadline(connection, deadline):
            yield
    elif connection.vendor == "sqlite":
        with _sqlite_deadline(connection, deadline):
            yield
    else:
        yield


@contextmanager
def _postgresql_deadline(connection, deadline):
    def limit(execute, sql, params, many, context):
        left = deadline - time.monotonic()
        if left <= 0:
            raise OverBudget
        # The driver's own cursor: Django's would call this wrapper again.
        context["cursor"].cursor.execute(
            f"SET LOCAL statement_timeout = {max(1, round(left * 1000))}"
        )
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(using=connection.alias):
            with connection.execute_wrapper(limit):
                yield
            with connection.cursor() as cursor:
                # An enclosing transaction (a test's) goes on without the limit.
                cursor.execute("SET LOCAL statement_timeout = DEFAULT")
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            raise OverBudget from error
        raise


@contextmanager
def _sqlite_deadline(connection, deadline):
    def limit(execute, sql, params, many, context):
        # A query too short for the progress handler to be called is not started late.
        if time.monotonic() > deadline:
            raise OverBudget
        return execute(sql, params, many, context)

    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_STEPS)
    try:
        with connection.execute_wrapper(limit):
            yield
    except DatabaseError as error:
        if "interrupted" in str(error):
            raise OverBudget from error
        raise
    finally:
        raw.set_progress_handler(None, SQLITE_STEPS)
