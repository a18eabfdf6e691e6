"""SQLite's planner statistics after a migration adds an index (see
``inspections.sqlite_statistics``, which holds the rest of what refreshes them)."""


def analyse_where_kept(connection, table):
    """Refresh the statistics of ``table`` if ``connection`` is SQLite's and keeps some; a
    database never analysed stays so (statistics of one table would skew the others')."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def analysing(table):
    """A function for a migration's ``RunPython`` that gives the indexes it added to ``table``
    their statistics where SQLite keeps some (``analyse_where_kept``)."""

    def analyse(apps, schema_editor):
        analyse_where_kept(schema_editor.connection, table)

    return analyse
