"""Full-text trigram indexes for the text search over names, on SQLite only.

SQLite cannot index ``LIKE '%text%'``; its FTS5 extension with the trigram tokenizer can
find substrings of three characters or more. Two external-content FTS5 tables mirror the
folded names (``heritage_sitename.folded`` and ``heritage_site.folded_name``), kept in step by
triggers, and ``heritage.filters.SiteFilter`` queries them. PostgreSQL uses trigram GIN
indexes instead (migration 0004).

A later migration that rebuilds one of these two tables on SQLite (Django does so for many
column changes) drops its triggers: ``tests/heritage/test_name_search_index.py`` fails if
that happens, and this migration's statements must then be run again.
"""

from django.db import migrations

MIRRORS = [
    # (FTS table, source table, column)
    ("heritage_sitename_fts", "heritage_sitename", "folded"),
    ("heritage_site_fts", "heritage_site", "folded_name"),
]


def statements(fts, table, column):
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"{column}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for mirror in MIRRORS:
        for statement in statements(*mirror):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for fts, _table, _column in MIRRORS:
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")


class Migration(migrations.Migration):
    dependencies = [("heritage", "0004_trigram_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
