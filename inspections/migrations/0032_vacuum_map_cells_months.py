from django.db import migrations

from inspections.sqlite_statistics import analyse_where_kept


def refresh_statistics(apps, schema_editor):
    """Every cell was written again (migration 0031): give the table back its planner
    statistics, and on PostgreSQL vacuum it, outside a transaction (see migration 0028)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE inspections_mapcell")
    else:
        analyse_where_kept(connection, "inspections_mapcell")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0031_map_cells_latest_months"),
    ]

    operations = [
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, atomic=False),
    ]
