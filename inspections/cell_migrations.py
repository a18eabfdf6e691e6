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


#: The prefixes of the labels each migration added to the cells, in the migrations' order.
ADDED_LABELS = (
    # The year, the month and the day of a site's earliest published assessment.
    ("0046", ("e:", "f:", "g:")),
    # An organisation with the verification level of one and the same assessment.
    ("0048", ("w:",)),
)


def labels_added_from(migration):
    """The prefixes of the labels ``migration`` added and of those every later one added."""
    names = [name for name, _prefixes in ADDED_LABELS]
    later = ADDED_LABELS[names.index(migration) :]
    return tuple(prefix for _name, prefixes in later for prefix in prefixes)


def count_every_cell_before(migration):
    """The reverse of a migration of ``ADDED_LABELS``: count every cell again without its
    labels, which the code before it cannot read (it knows no such key), nor those of the
    later ones, which the code that runs the undoing writes too."""

    def undo(apps, schema_editor):
        count_every_cell_again(apps, schema_editor, left_out=labels_added_from(migration))

    return undo


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


#: The kinds of key (label prefixes) that migration 0050 moved out of a field of the cells
#: into one of their own: (the field it left, the field of their own, the prefix).
OWN_FIELDS = (
    ("facets", "organisation_levels", "w:"),
    ("years", "latest_years", "l:"),
    ("years", "earliest_years", "e:"),
)


def entries_sql(vendor, field, prefix, keep):
    """SQL of the object of the entries of the cell's JSON ``field`` whose keys start with
    ``prefix`` (with ``keep`` False: those whose keys do not), ``{}`` for none."""
    test = "=" if keep else "<>"
    if vendor == "postgresql":
        return (
            "COALESCE((SELECT jsonb_object_agg(entry.key, entry.value) "
            f'FROM jsonb_each("{field}") AS entry '
            f"WHERE left(entry.key, {len(prefix)}) {test} '{prefix}'), '{{}}'::jsonb)"
        )
    return (
        "COALESCE((SELECT json_group_object(entry.key, json(entry.value)) "
        f'FROM json_each("{field}") AS entry '
        f"WHERE substr(entry.key, 1, {len(prefix)}) {test} '{prefix}'), '{{}}')"
    )


def move_keys_to_own_fields(apps, schema_editor):
    """Move the keys of each kind of ``OWN_FIELDS`` out of the field that held them into its
    own, in every cell: one statement a kind, in the database."""
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for former, own, prefix in OWN_FIELDS:
            cursor.execute(
                f'UPDATE inspections_mapcell SET "{own}" = '
                f"{entries_sql(vendor, former, prefix, keep=True)}, "
                f'"{former}" = {entries_sql(vendor, former, prefix, keep=False)}'
            )


def move_keys_back(apps, schema_editor):
    """Undo ``move_keys_to_own_fields``: each kind's keys back into the field that held them,
    its own field emptied (the migration then drops it)."""
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for former, own, _prefix in OWN_FIELDS:
            if vendor == "postgresql":
                merged = f'"{former}" || "{own}"'
                empty = "'{}'::jsonb"
            else:
                merged = f'json_patch("{former}", "{own}")'
                empty = "'{}'"
            cursor.execute(
                f'UPDATE inspections_mapcell SET "{former}" = {merged}, "{own}" = {empty}'
            )
