from django.db import migrations
from django.db.models import OuterRef, Subquery

from inspections.sqlite_statistics import analyse_where_kept


def copy_dates_to_sites(apps, schema_editor):
    """Give each site the date of its latest published assessment, as its status row holds
    it, as ``inspections.status`` does from then on."""
    Site = apps.get_model("heritage", "Site")
    SiteStatus = apps.get_model("inspections", "SiteStatus")
    Site.objects.update(
        last_assessed_on=Subquery(
            SiteStatus.objects.filter(site=OuterRef("pk")).values("assessed_on")[:1]
        )
    )


def refresh_sqlite_statistics(apps, schema_editor):
    """The sites' new indexes have no statistics: give them theirs where SQLite keeps some
    (see ``inspections.sqlite_statistics``)."""
    analyse_where_kept(schema_editor.connection, "heritage_site")


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0020_site_last_assessed_on"),
        ("inspections", "0025_site_status_disputed"),
    ]

    operations = [
        migrations.RunPython(copy_dates_to_sites, migrations.RunPython.noop),
        migrations.RunPython(refresh_sqlite_statistics, migrations.RunPython.noop),
    ]
