from django.db import migrations

from inspections import cell_migrations


class Migration(migrations.Migration):
    """The map's cells count each site under the year, the month and the day of its earliest
    published assessment too (``earliest_year_label`` in ``MapCell.years``, the month in its
    year's row of ``MapCellYear``, the day in its month's), so that the map of the sites
    assessed up to a day (``assessed_to`` alone) reads cells: counted from the sites, at
    500,000 sites, a country's clusters of the sites assessed up to 1 January 2010 took more
    than the map's half second on both databases, and the extent of those up to 13 May 2005
    235 ms on PostgreSQL and more than the half second on SQLite. Every map cell is counted again; migration 0047 then refreshes the
    planner's statistics, outside a transaction. Undone, every cell is counted again without
    those labels, which the code before this migration does not know."""

    dependencies = [
        ("inspections", "0045_vacuum_map_cell_days"),
    ]

    operations = [
        migrations.RunPython(
            cell_migrations.count_every_cell_again,
            cell_migrations.count_every_cell_before("0046"),
        ),
    ]
