"""``/sites/<slug>/``: a published site's dossier.

The dossier shows what the register holds about one site, each statement with its source:
names, place and public location, datings and other claims side by side, published
assessments newest first with their disturbances and attributions of responsibility, the
published visits that saw the site, the sources that cite it, and the published photos and
documents of the site and of each assessment. Only published records appear, and only those
whose source is published.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import DetailView

from heritage.models import ClaimKind, SiteFact, site_identifiers
from inspections.evidence.gallery import attach_public_evidence
from public import comparison, selectors
from public.views.moved import FollowsOldSlugs

#: Claims other than datings, in the order the dossier shows them.
OTHER_CLAIM_KINDS = [ClaimKind.IDENTITY, ClaimKind.USE, ClaimKind.DESCRIPTION, ClaimKind.OTHER]


def coordinate_text(value):
    """A coordinate without trailing zeros, in the same form in every language."""
    return format(value.normalize(), "f")


def claims_by_kind(claims):
    """(datings, [(kind label, claims)] of the other kinds that have claims), in the order
    the dossier shows them."""
    datings = [claim for claim in claims if claim.kind == ClaimKind.DATING]
    others = [
        (kind.label, of_kind)
        for kind in OTHER_CLAIM_KINDS
        if (of_kind := [claim for claim in claims if claim.kind == kind])
    ]
    return datings, others


class SiteDetailView(FollowsOldSlugs, DetailView):
    """``/sites/<slug>/``: a published site's dossier (404 for any other site; a 301 to the
    current address for a slug the site had before)."""

    template_name = "public/site_detail.html"
    context_object_name = "site"

    def get_queryset(self):
        return selectors.site_dossier_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.object
        assessments = site.public_assessments
        attach_public_evidence([site, *assessments])
        visits = selectors.public_visits_of_assessments(assessments)
        visits_by_id = {visit.pk: visit for visit in visits}
        for assessment in assessments:
            # A visit that is not published is never loaded, so it cannot be shown.
            assessment.public_visit = visits_by_id.get(assessment.visit_id)
        verdicts = comparison.latest_verdicts(assessments)
        coordinates = site.public_coordinates()
        dating_claims, other_claims = claims_by_kind(site.public_claims)
        supporting = {fact: [] for fact in SiteFact.values}
        for claim in site.public_claims:
            if claim.supports:
                supporting[claim.supports].append(claim)
        context.update(
            {
                "site_name": site.display_name(),
                "ancestors": site.place.ancestors(),
                "coordinates": (
                    tuple(coordinate_text(value) for value in coordinates) if coordinates else None
                ),
                "location_withheld": site.location_precision == site.Precision.WITHHELD,
                "geojson_url": reverse("site-export-geojson")
                + "?"
                + urlencode({"site": site.slug}),
                "dating_claims": dating_claims,
                # The sources of the register's factual fields (see SiteClaim.supports).
                "registry_sources": supporting[SiteFact.REGISTRY],
                "description_sources": supporting[SiteFact.DESCRIPTION],
                "other_claims": other_claims,
                "identifiers": site_identifiers(site),
                "assessments": assessments,
                "has_responsibility_claims": any(
                    disturbance.public_responsibility_claims
                    for assessment in assessments
                    for disturbance in assessment.public_disturbances
                ),
                "visits": visits,
                "verdicts": verdicts,
                "verdicts_agree": comparison.agreement(verdicts),
            }
        )
        return context
