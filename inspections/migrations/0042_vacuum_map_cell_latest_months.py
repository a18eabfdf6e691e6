from django.db import migrations

from inspections.cell_migrations import refresh_cells_statistics


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0041_map_cell_latest_months_in_years"),
    ]

    operations = [
        migrations.RunPython(refresh_cells_statistics, migrations.RunPython.noop, atomic=False),
    ]
