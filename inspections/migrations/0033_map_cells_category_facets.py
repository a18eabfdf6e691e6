from django.db import migrations, models


def count_category_facets(apps, schema_editor):
    """Count the cells again (as ``manage.py rebuild_map_cells`` does, on the historical
    models): they gain each organisation's and verification level's sites by category."""
    from inspections.map_cells import count_every_cell

    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
    )


class Migration(migrations.Migration):
    """The new field and its counts in one transaction: a count that fails leaves no field
    behind (migration 0034 then refreshes the planner's statistics, outside one)."""

    dependencies = [
        ("inspections", "0032_vacuum_map_cells_months"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="category_facets",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(count_category_facets, migrations.RunPython.noop),
    ]
