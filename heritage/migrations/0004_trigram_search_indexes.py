"""Trigram indexes for the text search over names, on PostgreSQL only.

The listing's ``q`` filter matches ``LIKE '%text%'`` on the folded names; a B-tree index
cannot serve a pattern that starts with a wildcard, a trigram GIN index can. Creating the
``pg_trgm`` extension needs a role allowed to create extensions (the database owner on
PostgreSQL 13 and later, for this trusted extension). Other databases are left alone.
"""

from django.db import migrations

INDEXES = [
    ("heritage_sitename_folded_trgm", "heritage_sitename", "folded"),
    ("heritage_site_folded_name_trgm", "heritage_site", "folded_name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("heritage", "0003_editor_and_reviewer_groups")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
