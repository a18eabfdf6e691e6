from django.db import migrations

from inspections.sqlite_statistics import refresh_after_rewrite


def count_latest_years(apps, schema_editor):
    """Count the cells again (as ``manage.py rebuild_map_cells`` does, on the historical
    models): their years gain the year of each site's latest published assessment."""
    from inspections.map_cells import count_every_cell

    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
    )


def refresh_statistics(apps, schema_editor):
    """Every cell was written again: refresh the table's planner statistics."""
    refresh_after_rewrite(schema_editor.connection, "inspections_mapcell")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0029_assessed_year_counts"),
    ]

    operations = [
        migrations.RunPython(count_latest_years, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, atomic=False),
    ]
