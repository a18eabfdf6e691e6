from itertools import groupby
from operator import itemgetter

from django.db import migrations, models
from django.db.models import Q

from inspections.crosswalk import crosswalk

BATCH = 5000


def mark_disputed_sites(apps, schema_editor):
    """Mark the sites whose assessing organisations' latest verdicts disagree, as
    ``inspections.status.disputed_sites`` does from then on (written out here against the
    models as this migration knows them)."""
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
    disputed = []
    for site_id, verdicts in groupby(rows.iterator(chunk_size=10_000), key=itemgetter(0)):
        assessors, classes = set(), set()
        for _site_id, assessor, label in verdicts:
            if assessor in assessors:
                continue
            assessors.add(assessor)
            unosat = crosswalk(label)[0]
            if unosat is not None:
                classes.add(unosat)
        if len(classes) > 1:
            disputed.append(site_id)
    for start in range(0, len(disputed), BATCH):
        SiteStatus.objects.filter(site_id__in=disputed[start : start + BATCH]).update(
            disputed=True
        )


def refresh_sqlite_statistics(apps, schema_editor):
    """SQLite adds the column by making the table again, and the new table's indexes have no
    statistics: where SQLite keeps some (a database once analysed, as ``generate_register``
    leaves it), give them theirs, or it reads every site of a condition and sorts them for
    the first page of ``/sites/?condition=…`` (see ``0023``: 118 ms at 500,000 sites,
    against 12)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute('ANALYZE "inspections_sitestatus"')


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
