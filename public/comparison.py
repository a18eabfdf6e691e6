"""Independent verdicts side by side: the latest condition each assessor gives a site, and
whether they agree (by ``inspections.crosswalk``).

An assessor is the organisation said to have assessed; an assessment without one is
the verdict of whoever reports it (the publishers of its cited sources). Nothing here
queries the database: it reads the assessments a page has already loaded, newest first.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

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


def disagreeing_sites():
    """[(site, [Verdict])] of the published sites whose assessors' latest verdicts disagree.

    Only the assessments of sites assessed publicly by at least two different
    organisations are read: one query, the sites found by a grouped subquery."""
    public = Assessment.objects.public().filter(overall_condition__isnull=False)
    site_ids = (
        public.filter(assessed_by__isnull=False)
        .values("site_id")
        .annotate(assessors=Count("assessed_by", distinct=True))
        .filter(assessors__gt=1)
        .values("site_id")
    )
    assessments = (
        public.filter(Q(site_id__in=site_ids), assessed_by__isnull=False)
        .select_related("site", "assessed_by", "overall_condition")
        .order_by("site__name", "site_id", "-assessed_on", "-id")
    )
    by_site = {}
    for assessment in assessments:
        by_site.setdefault(assessment.site_id, []).append(assessment)
    result = []
    for rows in by_site.values():
        verdicts = latest_verdicts(rows)
        if agreement(verdicts) is False:
            result.append((rows[0].site, verdicts))
    return result
