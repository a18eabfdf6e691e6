from django.db import migrations, models

def count_latest_months(apps, schema_editor):
    """Count the cells again (as ``manage.py rebuild_map_cells`` does, on the historical
    models): they gain the month of each site's latest published assessment."""
    from inspections.map_cells import count_every_cell

    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
    )


class Migration(migrations.Migration):
    """The new field and its counts in one transaction: a count that fails leaves no field
    behind (migration 0032 then refreshes the planner's statistics, outside one)."""

    dependencies = [
        ("inspections", "0030_map_cells_latest_years"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="months",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(count_latest_months, migrations.RunPython.noop),
    ]
