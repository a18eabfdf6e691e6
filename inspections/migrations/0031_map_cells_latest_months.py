from django.db import migrations, models

from inspections.cell_migrations import count_every_cell_again


class Migration(migrations.Migration):
    """The new field, the month of each site's latest published assessment, and the cells
    counted again in one transaction: a count that fails leaves no field behind (migration
    0032 then refreshes the planner's statistics, outside one)."""

    dependencies = [
        ("inspections", "0030_map_cells_latest_years"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="months",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(count_every_cell_again, migrations.RunPython.noop),
    ]
