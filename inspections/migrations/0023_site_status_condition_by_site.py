from django.db import migrations, models

from inspections.sqlite_statistics import analyse_where_kept


def refresh_sqlite_statistics(apps, schema_editor):
    """Give the new index its statistics where SQLite keeps some (see
    ``inspections.sqlite_statistics``)."""
    analyse_where_kept(schema_editor.connection, "inspections_sitestatus")


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0018_import_file_in_pieces"),
        ("inspections", "0022_clean_stored_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sitestatus",
            index=models.Index(fields=["site", "condition"], name="inspections_status_site_idx"),
        ),
        migrations.RunPython(refresh_sqlite_statistics, migrations.RunPython.noop),
    ]
