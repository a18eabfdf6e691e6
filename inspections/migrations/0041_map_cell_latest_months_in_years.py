from django.db import migrations

from inspections import cell_migrations


class Migration(migrations.Migration):
    """The counts of the sites under the month of their latest published assessment
    (``latest_month_label``) move from ``MapCell.months``, which held every year's, to the
    rows of the years (``MapCellYear``), beside the days of the same assessments: the map of
    the sites assessed since a day reads one row of its year for both, rather than a year of
    ``months`` picked out of the whole field (64 KB a cell of a country's box at 500,000
    sites, SQLite) and the year's row besides. Every map cell is counted again; migration
    0042 then refreshes the planner's statistics, outside a transaction."""

    dependencies = [
        ("inspections", "0040_vacuum_map_cell_latest_days"),
    ]

    operations = [
        migrations.RemoveField(model_name="mapcell", name="months"),
        migrations.RunPython(cell_migrations.count_every_cell_again, migrations.RunPython.noop),
    ]
