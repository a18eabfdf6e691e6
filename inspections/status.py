"""Keep :class:`inspections.models.SiteStatus` in step with the published assessments.

``refresh_site_status`` recomputes the rows of some sites (one query to read, one write per
site); ``rebuild_site_status`` recomputes every row in batches, for the synthetic generator
and as a repair. The receivers below refresh a site whenever one of its assessments is
saved or deleted, or a visit they were made on is saved (its publication decides whether its
assessments are public), by any route: the admin, the services, an import or a fixture load
(raw saves send the signals too). An import's bulk writes announce their assessments with
``pre_bulk_save`` and ``post_bulk_save`` instead. Every refresh recounts the places of its
sites (``inspections.counts``) and their cells of the map (``inspections.map_cells``), and
copies each site's latest date to ``Site.last_assessed_on`` (the listing's sort by date), in
the same transaction.
"""

from itertools import groupby

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from heritage.imports.writing import post_bulk_save, pre_bulk_save, stored_values
from heritage.models import Site, SiteClaim
from heritage.upkeep import not_while_loading
from inspections.counts import rebuild_site_counts, refresh_counts_of_sites
from inspections.crosswalk import disputed_among
from inspections.map_cells import rebuild_map_cells, refresh_map_cells_of_sites
from inspections.models import (
    AssessedYearCount,
    Assessment,
    AssessmentMonthCount,
    DamageYearCount,
    SiteCount,
    SiteStatus,
    Visit,
)

#: The counts an assessment's change can touch (see ``inspections.counts``).
ASSESSED_COUNTS = (SiteCount, AssessmentMonthCount, AssessedYearCount, DamageYearCount)

STATUS_FIELDS = (
    "disputed",
    "assessment_id",
    "condition_id",
    "assessed_on",
    "date_precision",
    "verification",
    "inferred",
)


def latest_public_assessments():
    """Rows of (site_id, assessment_id, condition_id, assessed_on, date_precision,
    verification, inferred), one per
    site that has a published assessment (on a published visit if on any): the latest, by
    date and then by id."""
    # Published assessments whatever their site's state: a site published later must find
    # its status ready. ``published()`` leaves out those of a visit that is not published.
    ranked = Assessment.objects.published().annotate(
        inferred=Coalesce(F("identification__is_inference"), Value(False)),
        rank=Window(
            RowNumber(),
            partition_by=[F("site_id")],
            order_by=[F("assessed_on").desc(), F("id").desc()],
        ),
    )
    return (
        ranked.filter(rank=1)
        .order_by()
        .values_list(
            "site_id",
            "id",
            "overall_condition_id",
            "assessed_on",
            "date_precision",
            "verification",
            "inferred",
        )
    )


def disputed_sites(site_ids=None):
    """The ids of the sites (of ``site_ids``, or of all) whose assessing organisations'
    latest verdicts disagree: of the published assessments that state a condition and name
    the organisation that made them, each organisation's latest; among those whose condition
    the crosswalk places in a UNOSAT class, two classes or more. (The pages compare
    assessors by the names they show, ``public.comparison``: two organisations sharing one
    short name are one assessor there.)"""
    rows = Assessment.objects.published().filter(
        overall_condition__isnull=False, assessed_by__isnull=False
    )
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    rows = rows.order_by("site_id", "-assessed_on", "-id").values_list(
        "site_id", "assessed_by_id", "overall_condition__label"
    )
    # Every published assessment, for a rebuild, is read in chunks.
    return disputed_among(rows if site_ids is not None else rows.iterator(chunk_size=10_000))


def status_for(row, disputed=frozenset()):
    site_id, assessment_id, condition_id, assessed_on, precision, verification, inferred = row
    return SiteStatus(
        disputed=site_id in disputed,
        inferred=inferred,
        site_id=site_id,
        assessment_id=assessment_id,
        condition_id=condition_id,
        assessed_on=assessed_on,
        date_precision=precision,
        verification=verification,
    )


def copy_dates_to_sites(dates):
    """Write ``Site.last_assessed_on`` from ``dates`` ({site id: date or None}), one update
    per date, of the sites whose copy differs only."""
    by_date = sorted(dates.items(), key=lambda item: (item[1] is None, item[1] or 0))
    for date, items in groupby(by_date, key=lambda item: item[1]):
        differs = (
            ~Q(last_assessed_on=date) if date is not None else Q(last_assessed_on__isnull=False)
        )
        Site.objects.filter(differs, pk__in=[site_id for site_id, _ in items]).update(
            last_assessed_on=date
        )


def copy_all_dates_to_sites():
    """Write ``Site.last_assessed_on`` of every site whose copy differs from its status's
    date, in one update. Only those: PostgreSQL writes every updated row again, equal or
    not, and a register whose rows all went through an update takes twice its room."""
    latest = Subquery(SiteStatus.objects.filter(site=OuterRef("pk")).values("assessed_on")[:1])
    differs = (
        Q(last_assessed_on__isnull=True, latest__isnull=False)
        | Q(last_assessed_on__isnull=False, latest__isnull=True)
        | Q(last_assessed_on__lt=F("latest"))
        | Q(last_assessed_on__gt=F("latest"))
    )
    stale = Site.objects.annotate(latest=latest).filter(differs).values("pk")
    Site.objects.filter(pk__in=stale).update(last_assessed_on=latest)


def refresh_site_status(site_ids):
    """Recompute the status rows of the sites with these ids."""
    site_ids = {site_id for site_id in site_ids if site_id is not None}
    if not site_ids:
        return
    with transaction.atomic():
        latest = {row[0]: row for row in latest_public_assessments().filter(site_id__in=site_ids)}
        SiteStatus.objects.filter(site_id__in=site_ids - latest.keys()).delete()
        disputed = disputed_sites(latest.keys()) if latest else set()
        for row in latest.values():
            status = status_for(row, disputed)
            SiteStatus.objects.update_or_create(
                site_id=status.site_id,
                defaults={field: getattr(status, field) for field in STATUS_FIELDS},
            )
        copy_dates_to_sites(
            {site_id: latest[site_id][3] if site_id in latest else None for site_id in site_ids}
        )
        # The sources a site cites do not depend on its assessments.
        refresh_counts_of_sites(site_ids, ASSESSED_COUNTS)
        refresh_map_cells_of_sites(site_ids)


def rebuild_site_status(batch_size=10_000):
    """Recompute every status row, and every count of sites; return how many sites have a
    published assessment."""
    written = 0
    with transaction.atomic():
        SiteStatus.objects.all().delete()
        disputed = disputed_sites()
        batch = []
        for row in latest_public_assessments().iterator(chunk_size=batch_size):
            batch.append(status_for(row, disputed))
            if len(batch) >= batch_size:
                SiteStatus.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        SiteStatus.objects.bulk_create(batch)
        written += len(batch)
        copy_all_dates_to_sites()
        rebuild_site_counts()
        rebuild_map_cells()
    return written


@receiver(pre_save, sender=Assessment)
@not_while_loading
def remember_previous_site(sender, instance, raw, **kwargs):
    """An assessment moved to another site must refresh the site it left too."""
    instance._previous_site_id = None
    if instance.pk is not None and not raw and not kwargs.get("bulk"):
        instance._previous_site_id = (
            Assessment.objects.filter(pk=instance.pk).values_list("site_id", flat=True).first()
        )


@receiver(post_save, sender=Assessment)
@not_while_loading
def refresh_after_save(sender, instance, **kwargs):
    refresh_site_status({instance.site_id, getattr(instance, "_previous_site_id", None)})


@receiver(post_delete, sender=Assessment)
@not_while_loading
def refresh_after_delete(sender, instance, **kwargs):
    refresh_site_status({instance.site_id})


@receiver(post_save, sender=Visit)
@not_while_loading
def refresh_after_visit_save(sender, instance, **kwargs):
    """A visit published or withdrawn makes its assessments public or hides them."""
    refresh_site_status(
        Assessment.objects.filter(visit_id=instance.pk).values_list("site_id", flat=True)
    )


@receiver(post_save, sender=SiteClaim)
@not_while_loading
def refresh_after_claim_save(sender, instance, **kwargs):
    """An identification marked or unmarked as the register's inference changes the flag of
    the assessments that rest on it."""
    refresh_site_status(
        Assessment.objects.filter(identification_id=instance.pk).values_list("site_id", flat=True)
    )


@receiver(pre_bulk_save, sender=Assessment)
@not_while_loading
def remember_sites_before_import(sender, instances, state, **kwargs):
    """The sites the imported assessments are of before the write: one may move."""
    state["assessment_sites"] = stored_values(instances, "site_id")


@receiver(post_bulk_save, sender=Assessment)
@not_while_loading
def refresh_after_import(sender, instances, state, **kwargs):
    refresh_site_status(
        {assessment.site_id for assessment in instances} | state.get("assessment_sites", set())
    )
