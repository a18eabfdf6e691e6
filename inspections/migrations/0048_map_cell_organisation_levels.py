from django.db import migrations

from inspections import cell_migrations


class Migration(migrations.Migration):
    """The map's cells count each site under each organisation of a published assessment
    together with that assessment's verification level too (``organisation_level_label`` in
    ``MapCell.facets``), so that the map of an organisation's assessments of one level reads
    cells: counted from the sites, at 500,000 sites, the map of an organisation's verified
    assessments was refused after its half second on SQLite at every zoom tried, and its
    extent took 209-440 ms on PostgreSQL. Every map cell is counted again; migration 0049
    then refreshes the planner's statistics, outside a transaction. Undone, every cell is
    counted again without those labels, which the code before this migration does not
    know."""

    dependencies = [
        ("inspections", "0047_vacuum_map_cell_earliest_assessments"),
    ]

    operations = [
        migrations.RunPython(
            cell_migrations.count_every_cell_again,
            cell_migrations.count_every_cell_before("0048"),
        ),
    ]
