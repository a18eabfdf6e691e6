"""Reads for public pages. Every function here returns published records only."""

from django.db.models import Count, OuterRef, Subquery

from heritage.base import PublicationStatus
from heritage.models import ReportedFigure, Site, SiteCategory
from inspections.models import Assessment, OverallCondition, Visit


def public_sites_with_latest_condition():
    """Published sites annotated with the id of the overall condition of their latest
    published assessment (``latest_condition_id``, None if never assessed)."""
    latest = (
        Assessment.objects.public()
        .filter(site=OuterRef("pk"))
        .order_by("-assessed_on", "-id")
        .values("overall_condition_id")[:1]
    )
    return Site.objects.public().annotate(latest_condition_id=Subquery(latest))


def sites_by_category():
    """[(category label, count)] for published sites, largest first."""
    labels = dict(SiteCategory.choices)
    rows = (
        Site.objects.public()
        .values("category")
        .annotate(count=Count("id"))
        .order_by("-count", "category")
    )
    return [(labels.get(row["category"], row["category"]), row["count"]) for row in rows]


def sites_by_condition():
    """[(condition term or None, count)] by the latest published assessment, in scale order."""
    rows = (
        public_sites_with_latest_condition()
        .order_by()
        .values("latest_condition_id")
        .annotate(count=Count("id"))
    )
    counts = {row["latest_condition_id"]: row["count"] for row in rows}
    terms = OverallCondition.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    result = [(term, counts[term.pk]) for term in terms]
    if None in counts:
        result.append((None, counts[None]))
    return result


def public_figures():
    """Published reported figures whose source is published too, with source and reporter."""
    return (
        ReportedFigure.objects.public()
        .filter(source__publication_status=PublicationStatus.PUBLISHED)
        .select_related("source", "reported_by", "area")
        .order_by("figure_set", "id")
    )


def latest_visits(limit=5):
    return (
        Visit.objects.public()
        .prefetch_related("organisations", "places")
        .order_by("-start_date", "-id")[:limit]
    )


def register_overview():
    """Everything the home page shows, as template context."""
    figures = list(public_figures())
    figure_sets = {}
    for figure in figures:
        figure_sets.setdefault(figure.figure_set, []).append(figure)
    by_category = sites_by_category()
    return {
        "site_count": sum(count for _label, count in by_category),
        "sites_by_category": by_category,
        "sites_by_condition": sites_by_condition(),
        "figure_sets": list(figure_sets.items()),
        "latest_visits": list(latest_visits()),
    }
