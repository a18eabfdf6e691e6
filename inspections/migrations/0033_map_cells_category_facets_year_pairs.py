from django.db import migrations, models


def count_new_counts(apps, schema_editor):
    """Count the cells again (as ``manage.py rebuild_map_cells`` does, on the historical
    models): they gain each organisation's and verification level's sites by category, and
    each site once more under each two years in a row of its assessed years."""
    from inspections.map_cells import count_every_cell

    count_every_cell(
        apps.get_model("heritage", "Site"),
        apps.get_model("inspections", "Assessment"),
        apps.get_model("inspections", "MapCell"),
    )


class Migration(migrations.Migration):
    """The new fields and their counts in one transaction: a count that fails leaves no field
    behind (migration 0034 then refreshes the planner's statistics, outside one)."""

    dependencies = [
        ("inspections", "0032_vacuum_map_cells_months"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="category_facets",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="mapcell",
            name="year_pairs",
            field=models.JSONField(blank=True, default=dict),
        ),
        # A cell's sites may have no published assessment, or none in two years.
        *(
            migrations.AlterField(
                model_name="mapcell",
                name=name,
                field=models.JSONField(blank=True, default=dict),
            )
            for name in ("facets", "years", "months")
        ),
        migrations.RunPython(count_new_counts, migrations.RunPython.noop),
    ]
