"""A limit on the time the database may take for one piece of work, on PostgreSQL and SQLite.

Most reads go through an index that bounds their cost. A few cannot: a word of one or two
letters is looked for in every name of the register (no index finds so few letters), and a
search of several such words that rarely meet tests site after site. :func:`within` gives a
block's queries so many seconds in all: a query still running when they are spent is
stopped, and :class:`OverBudget` raised, so that such a search is answered with a message
rather than keep a worker for a second or more. Only the queries' time counts, not the
Python work between them (the first request of a process compiles its templates).

PostgreSQL stops a query through ``statement_timeout``, set before each query of the block
to the time left (``SET LOCAL``, in a transaction or savepoint of the block's own, which a
stopped query rolls back); SQLite through a progress handler that interrupts a query once
the time left when it started has passed. On both, no query starts once the time is spent.
"""

import time
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

#: PostgreSQL's code for a query cancelled by ``statement_timeout``.
QUERY_CANCELED = "57014"
#: SQLite calls the progress handler after this many steps of its virtual machine.
SQLITE_STEPS = 10_000


class OverBudget(Exception):
    """The database did not finish the block's queries within their time."""


class Budget:
    """The seconds left to a block's queries, spent as each query runs."""

    def __init__(self, seconds):
        self.left = seconds
        #: When the running query must end (``time.monotonic()``), for SQLite's handler.
        self.deadline = None

    def run(self, execute, before=None):
        if self.left <= 0:
            raise OverBudget
        started = time.monotonic()
        self.deadline = started + self.left
        if before is not None:
            before(self.left)
        try:
            return execute()
        finally:
            self.left -= time.monotonic() - started


@contextmanager
def within(seconds, using=DEFAULT_DB_ALIAS):
    """Run the block with ``seconds`` of query time on the database ``using``."""
    connection = connections[using]
    budget = Budget(seconds)
    if connection.vendor == "postgresql":
        with _postgresql_limit(connection, budget):
            yield
    elif connection.vendor == "sqlite":
        with _sqlite_limit(connection, budget):
            yield
    else:
        yield


@contextmanager
def _postgresql_limit(connection, budget):
    def limit(execute, sql, params, many, context):
        def set_timeout(left):
            # The driver's own cursor: Django's would call this wrapper again.
            context["cursor"].cursor.execute(
                f"SET LOCAL statement_timeout = {max(1, round(left * 1000))}"
            )

        return budget.run(lambda: execute(sql, params, many, context), set_timeout)

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
def _sqlite_limit(connection, budget):
    def limit(execute, sql, params, many, context):
        return budget.run(lambda: execute(sql, params, many, context))

    def past_deadline():
        return budget.deadline is not None and time.monotonic() > budget.deadline

    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(past_deadline, SQLITE_STEPS)
    try:
        with connection.execute_wrapper(limit):
            yield
    except DatabaseError as error:
        if "interrupted" in str(error):
            raise OverBudget from error
        raise
    finally:
        raw.set_progress_handler(None, SQLITE_STEPS)
