from django.db import migrations

from inspections.cell_migrations import refresh_cells_statistics


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0048_map_cell_organisation_levels"),
    ]

    operations = [
        migrations.RunPython(refresh_cells_statistics, migrations.RunPython.noop, atomic=False),
    ]
