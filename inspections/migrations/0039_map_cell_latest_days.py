from django.db import migrations

from inspections import cell_migrations


class Migration(migrations.Migration):
    """Every map cell counted again, so that the rows of its years (``MapCellYear``) count its
    sites under the day of their latest published assessment too (``latest_day_label``): the
    map of the sites assessed since a day reads the days of the rest of its month from the
    cells rather than from the sites. Migration 0040 then refreshes the planner's statistics,
    outside a transaction."""

    dependencies = [
        ("inspections", "0038_vacuum_map_cell_years"),
    ]

    operations = [
        migrations.RunPython(cell_migrations.count_every_cell_again, migrations.RunPython.noop),
    ]
