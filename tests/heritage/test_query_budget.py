"""heritage.query_budget: a deadline for a block's queries, on both databases."""

import time

import pytest
from django.db import connection

from heritage.query_budget import OverBudget, within

pytestmark = pytest.mark.django_db


def slow_query():
    """A query of a few seconds on either database."""
    if connection.vendor == "postgresql":
        return "SELECT pg_sleep(3)"
    return (
        "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter "
        "WHERE n < 100000000) SELECT count(*) FROM counter"
    )


def run(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def statement_timeout():
    return run("SHOW statement_timeout") if connection.vendor == "postgresql" else None


def test_a_query_past_the_deadline_is_stopped_and_the_connection_goes_on():
    before = statement_timeout()

    with pytest.raises(OverBudget), within(0.05):
        run(slow_query())

    # The connection (and the test's transaction, on PostgreSQL) is usable, without limit.
    assert run("SELECT 40 + 2") == 42
    assert statement_timeout() == before


def test_no_query_starts_once_the_deadline_has_passed():
    with pytest.raises(OverBudget), within(0):
        run("SELECT 1")


def test_queries_within_the_deadline_answer_and_leave_no_limit_behind():
    before = statement_timeout()

    with within(5):
        assert run("SELECT 40 + 2") == 42
        assert run("SELECT 2 * 21") == 42

    assert statement_timeout() == before
    assert run("SELECT 1") == 1


def test_only_the_queries_time_counts_not_the_work_between_them():
    with within(0.2):
        assert run("SELECT 1") == 1
        time.sleep(0.3)  # a template compiled, say
        assert run("SELECT 2") == 2
