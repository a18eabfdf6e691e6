from django.db import migrations, models

from inspections import cell_migrations

#: The fields this migration adds.
ADDED = ("organisation_levels", "latest_years", "earliest_years")


def compress_with_lz4(apps, schema_editor):
    """The new fields are compressed as the cells' others are (migration 0035)."""
    cell_migrations.compress_with_lz4(schema_editor.connection, ADDED)


class Migration(migrations.Migration):
    """An organisation's sites with a level (``w:``), the sites by the year of their latest
    (``l:``) and of their earliest (``e:``) assessment get a field of the map cells of their
    own (``MapCell.organisation_levels``, ``latest_years``, ``earliest_years``), their keys
    moved out of ``facets`` and ``years`` in the database: the map reads a field's keys of one
    kind by unpacking the whole field, so every map of an organisation or a level read the
    pairs too, and every map of dates the three kinds of years. Migration 0051 then refreshes
    the planner's statistics, outside a transaction. Undone, the keys go back."""

    dependencies = [
        ("inspections", "0049_vacuum_map_cell_organisation_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="organisation_levels",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="mapcell",
            name="latest_years",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="mapcell",
            name="earliest_years",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop),
        migrations.RunPython(
            cell_migrations.move_keys_to_own_fields, cell_migrations.move_keys_back
        ),
    ]
