from django.db import migrations, models
from django.db.models import Q

from inspections.crosswalk import disputed_among
from inspections.sqlite_statistics import analyse_where_kept

BATCH = 5000


def mark_disputed_sites(apps, schema_editor):
    """Mark the sites whose assessing organisations' latest verdicts disagree, as
    ``inspections.status.disputed_sites`` does from then on (its query written out here
    against the models as this migration knows them)."""
    Assessment = apps.get_model("inspections", "Assessment")
    SiteStatus = apps.get_model("inspections", "SiteStatus")
    rows = (
        Assessment.objects.filter(
            Q(visit__isnull=True) | Q(visit__publication_status="published"),
            publication_status="published",
            overall_condition__isnull=False,
            assessed_by__isnull=False,
        )
        .order_by("site_id", "-assessed_on", "-id")
        .values_list("site_id", "assessed_by_id", "overall_condition__label")
    )
    disputed = sorted(disputed_among(rows.iterator(chunk_size=10_000)))
    for start in range(0, len(disputed), BATCH):
        SiteStatus.objects.filter(site_id__in=disputed[start : start + BATCH]).update(
            disputed=True
        )


def refresh_sqlite_statistics(apps, schema_editor):
    """SQLite adds the column by making the table again, whose indexes then have
    no statistics: give them theirs where SQLite keeps some (see
    ``inspections.sqlite_statistics``)."""
    analyse_where_kept(schema_editor.connection, "inspections_sitestatus")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0024_assessments_by_organisation_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitestatus",
            name="disputed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="sitestatus",
            index=models.Index(
                condition=models.Q(("disputed", True)),
                fields=["site"],
                name="inspections_status_dispute_idx",
            ),
        ),
        migrations.RunPython(mark_disputed_sites, migrations.RunPython.noop),
        migrations.RunPython(refresh_sqlite_statistics, migrations.RunPython.noop),
    ]
