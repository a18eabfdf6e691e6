"""Who says what about an assessment: the assessor, kept apart from who reports it.

An assessment names who assessed (``assessed_by``) and cites the sources that report it. The
register says "according to X" only when a cited source is published by X itself; otherwise
the assessment is "reported by" the publishers of its sources, and the assessor is shown as
the reports name it. So a news report about ICESCO's visit never becomes ICESCO's word.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format

from heritage.base import DatePrecision


def source_publisher_name(source):
    """The name a reader knows the publisher by: its organisation's acronym or name, else
    the publisher (or author) as written."""
    organisation = getattr(source, "publisher_organisation", None)
    if source.publisher_organisation_id is not None and organisation is not None:
        return organisation.short_name
    return source.publisher or source.author or source.title


def dated_publisher(source):
    """ "AzerNews (15 January 2021)": the publisher with the source's date at its precision."""
    name = source_publisher_name(source)
    if source.published_on is None:
        return name
    if source.published_precision == DatePrecision.YEAR:
        when = str(source.published_on.year)
    elif source.published_precision == DatePrecision.MONTH:
        when = date_format(source.published_on, "YEAR_MONTH_FORMAT")
    else:
        when = date_format(source.published_on, "DATE_FORMAT")
    return f"{name} ({when})"


@dataclass
class Attribution:
    """``assessor``: the organisation said to have assessed, or None; ``assessor_cited``: a
    cited source is published by the assessor itself; ``reporters``: the publishers of the
    cited sources, each once, with their dates."""

    assessor: object = None
    assessor_cited: bool = False
    reporters: list = field(default_factory=list)

    @property
    def according_to(self):
        """The name for "according to X", or "" when X has no cited source of its own."""
        return self.assessor.short_name if self.assessor_cited else ""


def assessment_attribution(assessment, citations=None):
    """The :class:`Attribution` of ``assessment`` from its public citations (as prefetched
    in ``public_citations`` unless ``citations`` is given): no query."""
    if citations is None:
        citations = getattr(assessment, "public_citations", [])
    sources = [citation.source for citation in citations]
    assessor = assessment.assessed_by if assessment.assessed_by_id is not None else None
    reporters, seen = [], set()
    for source in sources:
        key = (source.publisher_organisation_id, source_publisher_name(source))
        if key in seen:
            continue
        seen.add(key)
        reporters.append(dated_publisher(source))
    cited = assessor is not None and any(
        source.publisher_organisation_id == assessor.pk for source in sources
    )
    return Attribution(assessor=assessor, assessor_cited=cited, reporters=reporters)
