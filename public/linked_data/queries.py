"""What the linked data reads: published sites with their public names and places, and
their published assessments with terms, visit and citations of published sources, in a fixed
number of queries however many sites (so that the data package can stream them in chunks)."""

from django.db.models import Prefetch

from heritage.models import Site, SiteName, with_public_source
from heritage.models.site_queries import PLACE_WITH_ANCESTORS
from heritage.models.site_search import public_variants
from inspections.models import Assessment, AssessmentCitation


def linked_data_sites():
    """Published sites, each with ``names`` (public variants) and ``public_assessments``
    (published, newest first, each with ``public_citations``)."""
    citations = with_public_source(AssessmentCitation.objects.order_by("id"))
    assessments = (
        Assessment.objects.public()
        .select_related(
            "visit",
            "assessed_by",
            "assessment_type",
            "overall_condition",
            "damage_extent",
            "damage_trend",
        )
        .prefetch_related(Prefetch("citations", queryset=citations, to_attr="public_citations"))
        .order_by("-assessed_on", "-id")
    )
    names = public_variants(SiteName.objects.order_by("language", "name"))
    return (
        Site.objects.public()
        .select_related(PLACE_WITH_ANCESTORS)
        .prefetch_related(
            Prefetch("names", queryset=names),
            Prefetch("assessments", queryset=assessments, to_attr="public_assessments"),
        )
        .order_by("name", "id")
    )
