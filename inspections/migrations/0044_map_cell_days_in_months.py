from django.db import migrations, models

from inspections import cell_migrations


class Migration(migrations.Migration):
    """The counts of the sites under the day of their latest published assessment
    (``latest_day_label``) move from the rows of their years (``MapCellYear``) to rows of
    their months (``month`` 1 to 12; a year's own row is month 0): at 500,000 sites the days
    were 26,052 of the 37,841 entries of a year's rows of a country's box at zoom 7, read
    through by every map of a year's months. The map of the sites assessed since a day reads
    the days of its month alone. Every map cell is counted again; migration 0045 then
    refreshes the planner's statistics, outside a transaction."""

    dependencies = [
        ("inspections", "0043_site_count_sums_index"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="mapcellyear",
            options={
                "ordering": ["zoom", "row", "column", "year", "month"],
                "verbose_name": "map cell's year",
                "verbose_name_plural": "map cells' years",
            },
        ),
        migrations.RemoveConstraint(
            model_name="mapcellyear",
            name="inspections_mapcellyear_unique",
        ),
        migrations.AddField(
            model_name="mapcellyear",
            name="month",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="mapcellyear",
            constraint=models.UniqueConstraint(
                fields=("zoom", "year", "month", "row", "column"),
                name="inspections_mapcellyear_unique",
            ),
        ),
        migrations.RunPython(cell_migrations.count_every_cell_again, migrations.RunPython.noop),
    ]
