"""Search by place names, other scripts and near-misses; names as sources report them.

- ``pg_trgm`` (PostgreSQL only) for the close matches, and the table of search words they
  are looked for among, with its trigram index: a GIN index on PostgreSQL, an FTS5 trigram
  mirror kept in step by triggers on SQLite (as migration 0005 does for the names);
- an index for "name starts with" on PostgreSQL (``text_pattern_ops`` serves ``LIKE 'x%'``
  whatever the database's collation);
- the name kind "as a source reports it", with the source that uses the name;
- the search forms of every existing name computed again by the new folding
  (``heritage.text.fold``), and their words recorded.

The backfill reads and writes the rows in batches of plain SQL. On SQLite the name mirrors'
triggers are dropped while it runs and the mirrors rebuilt once at the end (the table rebuild
that adds the check constraints drops them anyway); on PostgreSQL the trigram indexes are
dropped while it runs and built again once.
"""

import importlib

from django.contrib.postgres.operations import TrigramExtension
import django.db.models.deletion
from django.db import migrations, models

from heritage.text import fold

name_mirrors = importlib.import_module("heritage.migrations.0005_sqlite_name_search")
trigram_indexes = importlib.import_module("heritage.migrations.0004_trigram_search_indexes")

#: Rows read and written at a time.
BATCH = 20_000
#: (table, name column, search-form column) of every folded name.
FOLDED = [
    ("heritage_site", "name", "folded_name"),
    ("heritage_sitename", "name", "folded"),
    ("heritage_placename", "name", "folded"),
]
SEARCH_WORDS_FTS = ("heritage_searchword_fts", "heritage_searchword", "word")
POSTGRESQL_INDEXES = [
    "CREATE INDEX IF NOT EXISTS heritage_searchword_word_trgm ON heritage_searchword "
    "USING gin (word gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS heritage_sitename_folded_prefix ON heritage_sitename "
    "(folded text_pattern_ops)",
]


def before_rebuild(apps, schema_editor):
    """Put the name search indexes aside: the backfill rewrites every search form."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for fts, _table, _column in name_mirrors.MIRRORS:
            for suffix in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
    elif vendor == "postgresql":
        for name, _table, _column in trigram_indexes.INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def refold(cursor, vendor, table, source, target, words):
    """Write the new search forms of ``table`` in batches; collect their words."""
    last = 0
    while True:
        cursor.execute(
            f"SELECT id, {source}, {target} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",
            [last, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        changed = []
        for pk, name, old in rows:
            new = fold(name)
            words.update(new.split())
            if new != old:
                changed.append((pk, new))
        if not changed:
            continue
        if vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET {target} = v.f FROM (SELECT unnest(%s::bigint[]) AS id, "
                f"unnest(%s::text[]) AS f) AS v WHERE {table}.id = v.id",
                [[pk for pk, _f in changed], [f for _pk, f in changed]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {target} = %s WHERE id = %s",
                [(f, pk) for pk, f in changed],
            )


def backfill(apps, schema_editor):
    """Fold every name again, record the search words, and build the search indexes."""
    connection = schema_editor.connection
    vendor = connection.vendor
    words = set()
    with connection.cursor() as cursor:
        for table, source, target in FOLDED:
            refold(cursor, vendor, table, source, target, words)
        cursor.execute("SELECT name FROM heritage_place")
        for (name,) in cursor.fetchall():
            words.update(fold(name).split())
        ordered = sorted(word[:200] for word in words)
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start : start + BATCH]
            if vendor == "postgresql":
                cursor.execute(
                    "INSERT INTO heritage_searchword (word) SELECT unnest(%s::text[]) "
                    "ON CONFLICT (word) DO NOTHING",
                    [batch],
                )
            else:
                cursor.executemany(
                    "INSERT OR IGNORE INTO heritage_searchword (word) VALUES (%s)",
                    [(word,) for word in batch],
                )
    if vendor == "sqlite":
        for mirror in [*name_mirrors.MIRRORS, SEARCH_WORDS_FTS]:
            for statement in name_mirrors.statements(*mirror):
                schema_editor.execute(statement)
    elif vendor == "postgresql":
        # Checks of deferred foreign keys pending in this transaction would stop CREATE INDEX.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        trigram_indexes.create_indexes(apps, schema_editor)
        for statement in POSTGRESQL_INDEXES:
            schema_editor.execute(statement)


def restore_name_indexes(apps, schema_editor):
    """Back, once the tables are as before: the name indexes as migrations 0004 and 0005
    made them. The search forms keep the new folding, which the earlier search also reads."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for mirror in name_mirrors.MIRRORS:
            for statement in name_mirrors.statements(*mirror):
                schema_editor.execute(statement)
    elif vendor == "postgresql":
        trigram_indexes.create_indexes(apps, schema_editor)


def drop_search_words_index(apps, schema_editor):
    """Back: the search words' own index goes (its table goes with the model)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        fts = SEARCH_WORDS_FTS[0]
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS heritage_searchword_word_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS heritage_sitename_folded_prefix")


class Migration(migrations.Migration):

    dependencies = [
        ('heritage', '0009_import_jobs'),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(before_rebuild, restore_name_indexes),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=200, unique=True, verbose_name='word')),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
            },
        ),
        migrations.RemoveConstraint(
            model_name='placename',
            name='heritage_placename_kind_valid',
        ),
        migrations.RemoveConstraint(
            model_name='sitename',
            name='heritage_sitename_kind_valid',
        ),
        migrations.AddField(
            model_name='historicalsitename',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='For a name “as a source reports it”: the source that uses it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='heritage.source', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='sitename',
            name='source',
            field=models.ForeignKey(blank=True, help_text='For a name “as a source reports it”: the source that uses it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='site_names', to='heritage.source', verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='historicalplacename',
            name='kind',
            field=models.CharField(choices=[('official', 'Official'), ('transliteration', 'Transliteration'), ('alternative', 'Alternative or popular'), ('translation', 'Translation'), ('historical', 'Historical'), ('other_language', 'Other language'), ('as_reported', 'As a source reports it')], default='official', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalsitename',
            name='kind',
            field=models.CharField(choices=[('official', 'Official'), ('transliteration', 'Transliteration'), ('alternative', 'Alternative or popular'), ('translation', 'Translation'), ('historical', 'Historical'), ('other_language', 'Other language'), ('as_reported', 'As a source reports it')], default='official', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='placename',
            name='kind',
            field=models.CharField(choices=[('official', 'Official'), ('transliteration', 'Transliteration'), ('alternative', 'Alternative or popular'), ('translation', 'Translation'), ('historical', 'Historical'), ('other_language', 'Other language'), ('as_reported', 'As a source reports it')], default='official', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='sitename',
            name='kind',
            field=models.CharField(choices=[('official', 'Official'), ('transliteration', 'Transliteration'), ('alternative', 'Alternative or popular'), ('translation', 'Translation'), ('historical', 'Historical'), ('other_language', 'Other language'), ('as_reported', 'As a source reports it')], default='official', max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='placename',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['official', 'transliteration', 'alternative', 'translation', 'historical', 'other_language', 'as_reported'])), name='heritage_placename_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='sitename',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['official', 'transliteration', 'alternative', 'translation', 'historical', 'other_language', 'as_reported'])), name='heritage_sitename_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='sitename',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'as_reported'), _negated=True), ('source__isnull', False), _connector='OR'), name='heritage_sitename_reported_has_source'),
        ),
        migrations.RunPython(backfill, drop_search_words_index),
    ]
