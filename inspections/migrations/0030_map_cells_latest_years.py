from django.db import migrations

from inspections.sqlite_statistics import analyse_where_kept


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
    """Every cell was written again: give the table back its planner statistics, and on
    PostgreSQL vacuum it, outside a transaction (see migration 0028)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE inspections_mapcell")
    else:
        analyse_where_kept(connection, "inspections_mapcell")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0029_assessed_year_counts"),
    ]

    operations = [
        migrations.RunPython(count_latest_years, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, atomic=False),
    ]
