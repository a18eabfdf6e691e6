"""Reads of the register of sources (``/sources/``) and of its comparison of sources.

A source counts as *cited* when a public record rests on it: a citation of a published
site, of a public assessment or of a published visit, a published claim about a published
site, a published figure, a public statement, a dated event of a published visit, or a
site's name variant. Whether the sources of a page are cited is read in one query (an
``Exists`` per kind of record), so that the count does not grow with the number of sources.
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
    """A ``Q`` true for sources that some public record cites (see the module's doc).

    Each kind of record is read from the source's side: its rows citing the source, through
    their index of sources, each then checked for a public record (a correlated ``EXISTS``
    on its key). Written as ``site__in=<public sites>``, SQLite read the public sites (all
    of them, 500,000) to look each up among a source's citations, for every source."""
    source = OuterRef("pk")

    def of_public(rows, parent_field, parents):
        """``rows`` citing the source whose ``parent_field`` is one of ``parents``."""
        return rows.filter(source=source).filter(
            Exists(parents.filter(pk=OuterRef(f"{parent_field}_id")))
        )

    sites = Site.objects.public()
    visits = Visit.objects.public()
    reads = [
        of_public(SiteCitation.objects.all(), "site", sites),
        of_public(SiteClaim.objects.public(), "site", sites),
        of_public(SiteName.objects.all(), "site", sites),
        of_public(AssessmentCitation.objects.all(), "assessment", Assessment.objects.public()),
        of_public(VisitCitation.objects.all(), "visit", visits),
        of_public(VisitEvent.objects.all(), "visit", visits),
        Statement.objects.public().filter(source=source),
        ReportedFigure.objects.public().filter(source=source),
    ]
    condition = Q()
    for read in reads:
        condition |= Q(Exists(read))
    return condition


def source_register():
    """Published sources with their publisher organisation, newest first;
    :func:`mark_cited` tells which of a page of them are cited (the filter ``cited`` asks
    :func:`cited_condition` itself).

    Annotated on every row, whether each source is cited was worked out for all of them
    before the page was sorted out of them on SQLite (5,000 sources at 500,000 sites)."""
    return (
        Source.objects.public()
        .select_related("publisher_organisation")
        .order_by("-published_on", "title", "id")
    )


def mark_cited(sources):
    """Set ``is_cited`` on each of ``sources`` (a page of the register): one query."""
    sources = list(sources)
    ids = [source.pk for source in sources]
    cited = (
        set(Source.objects.filter(cited_condition(), pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    for source in sources:
        source.is_cited = source.pk in cited
    return sources
