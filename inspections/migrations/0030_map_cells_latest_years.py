from django.db import migrations

from inspections.cell_migrations import count_every_cell_again
from inspections.sqlite_statistics import refresh_after_rewrite


def refresh_statistics(apps, schema_editor):
    """Every cell was written again: refresh the table's planner statistics."""
    refresh_after_rewrite(schema_editor.connection, "inspections_mapcell")


class Migration(migrations.Migration):
    """The cells counted again: their years gain the year of each site's latest published
    assessment."""

    atomic = False

    dependencies = [
        ("inspections", "0029_assessed_year_counts"),
    ]

    operations = [
        migrations.RunPython(count_every_cell_again, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, atomic=False),
    ]
