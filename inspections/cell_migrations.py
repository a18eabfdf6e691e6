"""What the migrations that give the map's cells new counts run once their fields exist."""


def count_every_cell_again(apps, schema_editor, left_out=()):
    """Count every map cell again from the public sites, as ``manage.py rebuild_map_cells``
    does, on the migration's historical models, in its transaction (without the labels of
    the prefixes ``left_out``). Imported when it runs: ``inspections.map_cells`` needs the
    app registry ready."""
    from inspections.map_cells import count_every_cell

    try:
        cell_year = apps.get_model("inspections", "MapCellYear")
    except LookupError:
        # A migration before the one that made it.
        cell_year = None
    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
        cell_year,
        left_out=left_out,
    )


#: The prefixes of the labels of the sites' earliest assessments (migration 0046).
EARLIEST_LABELS = ("e:", "f:", "g:")
#: The prefixes of the labels of an organisation with a verification level (migration 0048).
ORGANISATION_LEVEL_LABELS = ("w:",)


def count_every_cell_without_earliest(apps, schema_editor):
    """Undo migration 0046: count every cell again without the labels of the sites' earliest
    assessments, which the code before it cannot read (it knows no such key), nor those of
    the later migrations, which the code that runs the undoing writes too."""
    count_every_cell_again(
        apps, schema_editor, left_out=EARLIEST_LABELS + ORGANISATION_LEVEL_LABELS
    )


def count_every_cell_without_organisation_levels(apps, schema_editor):
    """Undo migration 0048: count every cell again without the labels of an organisation
    with a verification level, which the code before it cannot read."""
    count_every_cell_again(apps, schema_editor, left_out=ORGANISATION_LEVEL_LABELS)


def compress_with_lz4(connection, columns, table="inspections_mapcell"):
    """On PostgreSQL built with lz4, compress the ``columns`` of ``table`` with it from now on
    rather than with pglz, whose compression took most of an edit's writing of them (see
    migration 0035). Elsewhere (SQLite, a server without lz4) nothing changes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        if not row or not row[0]:
            return
        altered = ", ".join(f'ALTER COLUMN "{name}" SET COMPRESSION lz4' for name in columns)
        cursor.execute(f"ALTER TABLE {table} {altered}")


def compress_with_the_default(connection, columns, table="inspections_mapcell"):
    """Undo ``compress_with_lz4``."""
    if connection.vendor != "postgresql":
        return
    altered = ", ".join(f'ALTER COLUMN "{name}" SET COMPRESSION DEFAULT' for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} {altered}")


def refresh_cells_statistics(apps, schema_editor):
    """Every cell was written again: refresh the planner statistics of the cells' tables."""
    from inspections.sqlite_statistics import refresh_after_rewrite

    for table in ("inspections_mapcell", "inspections_mapcellyear"):
        refresh_after_rewrite(schema_editor.connection, table)
