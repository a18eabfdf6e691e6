from django.conf import settings
from django.db import migrations, models

from inspections.sqlite_statistics import analyse_where_kept


def refresh_sqlite_statistics(apps, schema_editor):
    """Give the new index its statistics where SQLite keeps some (see
    ``inspections.sqlite_statistics``)."""
    analyse_where_kept(schema_editor.connection, "inspections_assessment")


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0019_site_name_source_index"),
        ("inspections", "0023_site_status_condition_by_site"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                models.F("assessed_by"),
                models.OrderBy(models.F("assessed_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("publication_status", "published")),
                name="inspections_assess_by_idx",
            ),
        ),
        migrations.RunPython(refresh_sqlite_statistics, migrations.RunPython.noop),
    ]
