"""Independent verdicts side by side: the latest condition each assessor gives a site, and
whether they agree (by ``inspections.crosswalk``).

An assessor is the organisation said to have assessed; an assessment without one is
the verdict of whoever reports it (the publishers of its cited sources). Nothing here
queries the database: it reads the assessments a page has already loaded, newest first.
"""

from dataclasses import dataclass

from heritage.models import Site
from inspections.crosswalk import crosswalk, verdicts_agree
from inspections.models import Assessment
from public.attribution import source_publisher_name


@dataclass
class Verdict:
    assessor: str
    assessment: object

    @property
    def label(self):
        condition = self.assessment.overall_condition
        return condition.label if condition is not None else None


def assessor_name(assessment):
    if assessment.assessed_by_id is not None:
        return assessment.assessed_by.short_name
    names = []
    for citation in getattr(assessment, "public_citations", []):
        name = source_publisher_name(citation.source)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def latest_verdicts(assessments):
    """[Verdict] of each assessor's latest assessment that states a condition, in the order
    of ``assessments`` (newest first)."""
    verdicts, seen = [], set()
    for assessment in assessments:
        if assessment.overall_condition_id is None:
            continue
        name = assessor_name(assessment)
        if name in seen:
            continue
        seen.add(name)
        verdicts.append(Verdict(assessor=name, assessment=assessment))
    return verdicts


def agreement(verdicts):
    """True when every comparable verdict falls in one UNOSAT class, False when two differ,
    None with fewer than two comparable verdicts."""
    comparable = [verdict for verdict in verdicts if crosswalk(verdict.label)[0] is not None]
    if len(comparable) < 2:
        return None
    first = comparable[0].label
    return all(verdicts_agree(first, verdict.label) for verdict in comparable[1:])


def disputed_sites():
    """The published sites whose assessors' latest verdicts disagree, by name: marked so in
    their status as their assessments change (``inspections.status.disputed_sites``)."""
    return Site.objects.public().filter(status__disputed=True).order_by("name", "id")


def verdicts_of(sites):
    """[(site, [Verdict])] for ``sites`` (a page of them), in their order: each assessor's
    latest verdict, from their public assessments that name the assessor and state a
    condition (one query)."""
    sites = list(sites)
    assessments = (
        Assessment.objects.public()
        .filter(
            overall_condition__isnull=False,
            assessed_by__isnull=False,
            site_id__in=[site.pk for site in sites],
        )
        .select_related("assessed_by", "overall_condition")
        .order_by("site_id", "-assessed_on", "-id")
    )
    by_site = {}
    for assessment in assessments:
        by_site.setdefault(assessment.site_id, []).append(assessment)
    return [(site, latest_verdicts(by_site.get(site.pk, []))) for site in sites]
