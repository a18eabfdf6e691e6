from django.db import migrations

#: The cells' large JSON fields: an edit writes a few of their entries, and the database the
#: whole value again (100 KB of months in a coarse cell at 500,000 sites).
COMPRESSED = ("counts", "facets", "category_facets", "years", "year_pairs", "months")


def compress_with_lz4(apps, schema_editor):
    """On PostgreSQL built with lz4, the cells' large fields are compressed with it from now
    on rather than with pglz, whose compression took most of an edit's writing of them: at
    500,000 sites a site's category saved 113 -> 101 ms, a condition changed 186 -> 155.
    Values already stored stay as they are until written again; reading them costs the same
    either way. Elsewhere (SQLite, a server without lz4) nothing changes."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        if not row or not row[0]:
            return
        columns = ", ".join(f'ALTER COLUMN "{name}" SET COMPRESSION lz4' for name in COMPRESSED)
        cursor.execute(f"ALTER TABLE inspections_mapcell {columns}")


def compress_with_the_default(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    columns = ", ".join(f'ALTER COLUMN "{name}" SET COMPRESSION DEFAULT' for name in COMPRESSED)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE inspections_mapcell {columns}")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0034_vacuum_map_cells_new_counts"),
    ]

    operations = [
        migrations.RunPython(compress_with_lz4, compress_with_the_default),
    ]
