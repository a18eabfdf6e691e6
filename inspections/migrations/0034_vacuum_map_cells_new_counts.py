from django.db import migrations

from inspections.sqlite_statistics import refresh_after_rewrite


def refresh_statistics(apps, schema_editor):
    """Every cell was written again: refresh the table's planner statistics."""
    refresh_after_rewrite(schema_editor.connection, "inspections_mapcell")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0033_map_cells_category_facets_year_pairs"),
    ]

    operations = [
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, atomic=False),
    ]
