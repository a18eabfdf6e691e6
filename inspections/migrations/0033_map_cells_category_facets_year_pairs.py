from django.db import migrations, models

from inspections.cell_migrations import count_every_cell_again


class Migration(migrations.Migration):
    """The new fields, each organisation's and verification level's sites by category and
    each site once more under each two years in a row of its assessed years, and the cells
    counted again in one transaction: a count that fails leaves no field behind (migration
    0034 then refreshes the planner's statistics, outside one)."""

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
        migrations.RunPython(count_every_cell_again, migrations.RunPython.noop),
    ]
