from django.db import migrations

from inspections.cell_migrations import refresh_cells_statistics


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0050_map_cell_fields_of_their_own"),
    ]

    operations = [
        migrations.RunPython(refresh_cells_statistics, migrations.RunPython.noop, atomic=False),
    ]
