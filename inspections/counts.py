"""Keep :class:`inspections.models.SiteCount` in step with the public sites, and with it
:class:`~inspections.models.AssessmentMonthCount` and
:class:`~inspections.models.DamageYearCount` (the sites assessed by month, the sites
damaged by year).

A change recounts the places it touches, whole: the sites of one place are few (a village's,
a town's), so a recount costs little and cannot drift the way added and subtracted deltas
can. ``refresh_site_counts`` recounts some places, ``rebuild_site_counts`` every place.

The receivers recount a site's place, and the place it left, whenever a site is saved or
deleted; ``inspections.status`` recounts after it refreshes the latest assessments, and an
import's bulk writes (``heritage.imports.writing``) announce their records with
``pre_bulk_save`` and ``post_bulk_save``, since bulk queries send no ``post_save``.
"""

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from heritage.base import PublicationStatus
from heritage.cache import bump_version
from heritage.imports.writing import post_bulk_save, pre_bulk_save
from heritage.models import Site
from inspections.models import (
    Assessment,
    AssessmentMonthCount,
    DamageDating,
    DamageYearCount,
    Disturbance,
    SiteCount,
)

#: The fields of a site that decide where it is counted.
COUNTED_FIELDS = ("place_id", "category", "publication_status")


def count_rows(sites):
    """SiteCount rows (unsaved) counting the public sites among ``sites``."""
    rows = (
        sites.public()
        .order_by()
        .values("place_id", "category", "status__condition_id", "status__verification")
        .annotate(sites=Count("id"))
    )
    return [
        SiteCount(
            place_id=row["place_id"],
            category=row["category"],
            condition_id=row["status__condition_id"],
            verification=row["status__verification"] or "",
            sites=row["sites"],
        )
        for row in rows
    ]


def month_rows(assessments):
    """AssessmentMonthCount rows (unsaved) of the public ``assessments``, by site's place."""
    rows = (
        assessments.annotate(year=ExtractYear("assessed_on"), month=ExtractMonth("assessed_on"))
        .values("site__place_id", "year", "month")
        .order_by()
        .annotate(sites=Count("site_id", distinct=True))
    )
    return [
        AssessmentMonthCount(
            place_id=row["site__place_id"],
            year=row["year"],
            month=row["month"],
            sites=row["sites"],
        )
        for row in rows
    ]


def damage_rows(assessments):
    """DamageYearCount rows (unsaved) of the disturbances of the public ``assessments``."""
    disturbances = Disturbance.objects.filter(assessment__in=assessments)
    kinds = [
        (DamageDating.BEGAN, disturbances.exclude(date_from=None), "date_from"),
        (
            DamageDating.BEFORE,
            disturbances.filter(date_from=None).exclude(occurred_before=None),
            "occurred_before",
        ),
        (DamageDating.UNDATED, disturbances.filter(date_from=None, occurred_before=None), None),
    ]
    result = []
    for dating, queryset, date_field in kinds:
        if date_field:
            queryset = queryset.annotate(year=ExtractYear(date_field))
        fields = ["assessment__site__place_id", *(["year"] if date_field else [])]
        rows = (
            queryset.values(*fields)
            .order_by()
            .annotate(sites=Count("assessment__site_id", distinct=True))
        )
        result += [
            DamageYearCount(
                place_id=row["assessment__site__place_id"],
                year=row.get("year"),
                dating=dating,
                sites=row["sites"],
            )
            for row in rows
        ]
    return result


COUNT_MODELS = (SiteCount, AssessmentMonthCount, DamageYearCount)


def refresh_site_counts(place_ids):
    """Recount the public sites of the places with these ids."""
    place_ids = {place_id for place_id in place_ids if place_id is not None}
    if not place_ids:
        return
    assessments = Assessment.objects.public().filter(site__place_id__in=place_ids)
    with transaction.atomic():
        for model in COUNT_MODELS:
            model.objects.filter(place_id__in=place_ids).delete()
        SiteCount.objects.bulk_create(count_rows(Site.objects.filter(place_id__in=place_ids)))
        AssessmentMonthCount.objects.bulk_create(month_rows(assessments))
        DamageYearCount.objects.bulk_create(damage_rows(assessments))


def refresh_counts_of_sites(site_ids):
    """Recount the places of the sites with these ids."""
    site_ids = {site_id for site_id in site_ids if site_id is not None}
    if site_ids:
        refresh_site_counts(
            Site.objects.filter(pk__in=site_ids).values_list("place_id", flat=True).distinct()
        )


def rebuild_site_counts():
    """Recount every place; return the number of public sites counted."""
    assessments = Assessment.objects.public()
    with transaction.atomic():
        for model in COUNT_MODELS:
            model.objects.all().delete()
        rows = count_rows(Site.objects.all())
        SiteCount.objects.bulk_create(rows, batch_size=5000)
        AssessmentMonthCount.objects.bulk_create(month_rows(assessments), batch_size=5000)
        DamageYearCount.objects.bulk_create(damage_rows(assessments), batch_size=5000)
    # Nothing else may have changed: say so to the caches (see ``heritage.cache``).
    bump_version()
    return sum(row.sites for row in rows)


def counted_state(site):
    return tuple(getattr(site, field) for field in COUNTED_FIELDS)


@receiver(pre_save, sender=Site)
def remember_counted_state(sender, instance, **kwargs):
    """Where the site was counted before this save (None for a new site). A bulk write
    reads the places of its whole batch at once (below)."""
    previous = None
    if instance.pk is not None and not kwargs.get("bulk"):
        previous = Site.objects.filter(pk=instance.pk).values_list(*COUNTED_FIELDS).first()
    instance._counted_before = previous


@receiver(post_save, sender=Site)
def recount_after_save(sender, instance, created, **kwargs):
    previous = getattr(instance, "_counted_before", None)
    if previous is not None and previous == counted_state(instance):
        return
    refresh_site_counts({instance.place_id, previous[0] if previous else None})


@receiver(post_delete, sender=Site)
def recount_after_delete(sender, instance, **kwargs):
    refresh_site_counts({instance.place_id})


@receiver(pre_bulk_save, sender=Site)
def remember_places_before_import(sender, instances, state, **kwargs):
    """The places the imported sites that are published are in before the write: a site
    may move. Only published sites are counted, so only their places may change."""
    published = [site for site in instances if site.pk is not None]
    state["site_places"] = set(
        Site.objects.filter(pk__in=[site.pk for site in published])
        .filter(publication_status=PublicationStatus.PUBLISHED)
        .values_list("place_id", flat=True)
        .distinct()
        if published
        else ()
    )


@receiver(post_bulk_save, sender=Site)
def recount_after_import(sender, instances, state, **kwargs):
    """Recount the places of the published sites written, and of those they left. An
    import's new sites are drafts: a batch of them recounts nothing (recounting their places
    batch after batch would read every site of those places again each time)."""
    places = {
        site.place_id
        for site in instances
        if site.publication_status == PublicationStatus.PUBLISHED
    }
    refresh_site_counts(places | state.get("site_places", set()))


@receiver(post_save, sender=Disturbance)
@receiver(post_delete, sender=Disturbance)
def recount_after_disturbance(sender, instance, **kwargs):
    """A disturbance's dates decide the year its site's damage is counted in."""
    refresh_counts_of_sites(
        Assessment.objects.filter(pk=instance.assessment_id).values_list("site_id", flat=True)
    )


@receiver(post_bulk_save, sender=Disturbance)
def recount_after_disturbance_import(sender, instances, **kwargs):
    refresh_counts_of_sites(
        Assessment.objects.filter(
            pk__in={disturbance.assessment_id for disturbance in instances}
        ).values_list("site_id", flat=True)
    )
