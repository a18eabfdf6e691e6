"""Statistics for the planners after a migration changes a table's indexes or rewrites its rows.

SQLite plans from the statistics ``ANALYZE`` leaves in ``sqlite_stat1``. A database once
analysed (as ``manage.py generate_register`` leaves it) that gains an index, or a table
made again (as adding a column is on SQLite), has statistics for the other indexes and
none for the new ones, and SQLite then makes poor choices: ``/sites/?condition=…`` read
every site of a condition and sorted them (90-118 ms at 500,000 sites, against 12-18).
"""

from heritage.planner_statistics import analyse_where_kept

__all__ = ["analyse_where_kept", "refresh_after_rewrite", "refresh_database", "refresh_rewritten"]


def refresh_after_rewrite(connection, table):
    """Give ``table``, every row of which a migration wrote again, its planner statistics
    back: on PostgreSQL vacuum and analyse it (outside a transaction), so that its old rows
    leave and an index answers alone again, rather than when autovacuum comes; on SQLite
    ``analyse_where_kept``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    else:
        analyse_where_kept(connection, table)


def refresh_rewritten(connection, models):
    """``refresh_after_rewrite`` for the table of each of ``models``, which a command wrote
    again whole, when ``connection`` is in no transaction: VACUUM cannot run in one, and
    inside one (a test, a caller's atomic block) the tables are left to autovacuum."""
    if connection.in_atomic_block:
        return
    for model in models:
        refresh_after_rewrite(connection, model._meta.db_table)


def refresh_database(connection):
    """Give every table of the database ``connection`` opens its planner statistics, after a
    load of the whole database (a restore), when in no transaction: on PostgreSQL vacuum and
    analyse it, so that the planner knows the tables' new sizes and an index answers alone
    without waiting for autovacuum; on SQLite ``ANALYZE``, which it runs only when told (without
    statistics it scans the listing in name order for a search that matches a handful)."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
