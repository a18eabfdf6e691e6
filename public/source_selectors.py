"""Reads of the register of sources (``/sources/``) and of its comparison of sources.

A source counts as *cited* when a public record rests on it: a citation of a published
site, of a public assessment or of a published visit, a published claim about a published
site, a published figure, a public statement, a dated event of a published visit, or a
site's name variant. Everything is read in one query per page (an ``Exists`` per kind of
record) so that the count does not grow with the number of sources.
"""

from django.db.models import Exists, OuterRef, Q

from heritage.models import ReportedFigure, Site, SiteCitation, SiteClaim, SiteName, Source
from inspections.models import (
    Assessment,
    AssessmentCitation,
    Statement,
    Visit,
    VisitCitation,
    VisitEvent,
)


def cited_condition():
    """A ``Q`` true for sources that some public record cites (see the module's doc)."""
    sites = Site.objects.public()
    source = OuterRef("pk")
    reads = [
        SiteCitation.objects.filter(site__in=sites, source=source),
        SiteClaim.objects.public().filter(site__in=sites, source=source),
        SiteName.objects.filter(site__in=sites, source=source),
        AssessmentCitation.objects.filter(
            assessment__in=Assessment.objects.public(), source=source
        ),
        VisitCitation.objects.filter(visit__in=Visit.objects.public(), source=source),
        VisitEvent.objects.filter(visit__in=Visit.objects.public(), source=source),
        Statement.objects.public().filter(source=source),
        ReportedFigure.objects.public().filter(source=source),
    ]
    condition = Q()
    for read in reads:
        condition |= Q(Exists(read))
    return condition


def source_register():
    """Published sources with their publisher organisation and ``is_cited``, newest first."""
    return (
        Source.objects.public()
        .select_related("publisher_organisation")
        .annotate(is_cited=cited_condition())
        .order_by("-published_on", "title", "id")
    )
