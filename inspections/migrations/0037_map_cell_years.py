from django.db import migrations, models

from inspections import cell_migrations


def compress_with_lz4(apps, schema_editor):
    """The rows' counts are compressed as the cells' are (migration 0035), before the count
    writes them."""
    cell_migrations.compress_with_lz4(
        schema_editor.connection, ["counts"], table="inspections_mapcellyear"
    )


class Migration(migrations.Migration):
    """The map cells' rows of years (each site under each month of its published
    assessments, each two months in a row of them and each year of them by category), and
    every cell counted again in one transaction: a count that fails leaves no table behind
    (migration 0038 then refreshes the planner's statistics, outside one)."""

    dependencies = [
        ('inspections', '0036_map_from_sites_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='MapCellYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zoom', models.PositiveSmallIntegerField()),
                ('row', models.IntegerField()),
                ('column', models.IntegerField()),
                ('year', models.IntegerField()),
                ('counts', models.JSONField()),
            ],
            options={
                'verbose_name': "map cell's year",
                'verbose_name_plural': "map cells' years",
                'ordering': ['zoom', 'row', 'column', 'year'],
                'constraints': [models.UniqueConstraint(fields=('zoom', 'year', 'row', 'column'), name='inspections_mapcellyear_unique')],
            },
        ),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop),
        migrations.RunPython(cell_migrations.count_every_cell_again, migrations.RunPython.noop),
    ]
