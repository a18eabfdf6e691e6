"""``/sites/<slug>/``: a published site's dossier.

The dossier shows what the register holds about one site, each statement with its source:
names, place and public location, datings and other claims side by side, published
assessments newest first with their disturbances and attributions of responsibility, the
published visits that saw the site, the sources that cite it, and the published photos and
documents of the site and of each assessment. Only published records
appear, and only those whose source is published.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from heritage import selectors
from heritage.base import DatePrecision
from heritage.models import ClaimKind
from inspections.evidence.gallery import attach_public_evidence

#: ISO 15924 codes of the scripts the register's names are written in.
SCRIPTS = {
    "Arab": _("Arabic"),
    "Armn": _("Armenian"),
    "Cyrl": _("Cyrillic"),
    "Geor": _("Georgian"),
    "Grek": _("Greek"),
    "Hebr": _("Hebrew"),
    "Latn": _("Latin"),
    "Syrc": _("Syriac"),
}

#: Claims other than datings, in the order the dossier shows them.
OTHER_CLAIM_KINDS = [ClaimKind.IDENTITY, ClaimKind.USE, ClaimKind.DESCRIPTION, ClaimKind.OTHER]


def precise_date(value, precision=DatePrecision.DAY):
    """``value`` as a ``<time>`` element, shown no more precisely than it is known.

    A year-precise date shows only its year, a month-precise one its month and year, an
    approximate one "about <year>"; the ``datetime`` attribute says as much and no more.
    Formatting follows the active language.
    """
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        machine, text = f"{value.year:04d}", date_format(value, "Y")
    elif precision == DatePrecision.MONTH:
        machine, text = (
            f"{value.year:04d}-{value.month:02d}",
            date_format(value, "YEAR_MONTH_FORMAT"),
        )
    elif precision == DatePrecision.APPROXIMATE:
        machine = f"{value.year:04d}"
        text = gettext("about %(year)s") % {"year": date_format(value, "Y")}
    else:
        machine, text = value.isoformat(), date_format(value)
    return format_html('<time datetime="{}">{}</time>', machine, text)


def year_range(year_from, year_to):
    """A range of years as text ("1683–1684"); one year when both ends are the same."""
    if year_from is None and year_to is None:
        return ""
    if year_from is None:
        return gettext("by %(year)s") % {"year": year_to}
    if year_to is None:
        return gettext("from %(year)s") % {"year": year_from}
    if year_from == year_to:
        return str(year_from)
    return pgettext("range of years", "%(start)s–%(end)s") % {"start": year_from, "end": year_to}


def language_label(code):
    """The name of a language code in the visitor's language, or the code itself."""
    for candidate in (code, code.split("-")[0]):
        try:
            return get_language_info(candidate)["name_translated"]
        except KeyError:
            continue
    return code


def script_label(code):
    return SCRIPTS.get(code, code)


def coordinate_text(value):
    """A coordinate without trailing zeros, in the same form in every language."""
    return format(value.normalize(), "f")


def reported_by(assessment):
    """Who a published assessment is attributed to: its assessor, else its cited publishers."""
    if assessment.assessed_by is not None:
        return assessment.assessed_by.acronym or assessment.assessed_by.name
    names = []
    for citation in assessment.public_citations:
        name = citation.source.publisher or citation.source.author
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


class SiteDetailView(DetailView):
    """``/sites/<slug>/``: a published site's dossier (404 for any other site)."""

    template_name = "heritage/site_detail.html"
    context_object_name = "site"

    def get_queryset(self):
        return selectors.site_dossier_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.object
        for name in site.names.all():
            name.language_label = language_label(name.language)
            name.script_label = script_label(name.script)
        for claim in site.public_claims:
            claim.years = year_range(claim.year_from, claim.year_to)

        assessments = site.public_assessments
        attach_public_evidence([site, *assessments])
        visits = selectors.public_visits_of_assessments(assessments)
        visits_by_id = {visit.pk: visit for visit in visits}
        for visit in visits:
            visit.date_html = precise_date(visit.start_date, visit.date_precision)
        for assessment in assessments:
            assessment.date_html = precise_date(assessment.assessed_on, assessment.date_precision)
            assessment.reported_by = reported_by(assessment)
            # A visit that is not published is never loaded, so it cannot be shown.
            assessment.public_visit = visits_by_id.get(assessment.visit_id)

        coordinates = site.public_coordinates()
        export_url = reverse("site-export-geojson")
        context.update(
            {
                "site_name": site.display_name(),
                "ancestors": site.place.ancestors(),
                "site_years": year_range(site.year_from, site.year_to),
                "coordinates": (
                    tuple(coordinate_text(value) for value in coordinates) if coordinates else None
                ),
                "location_withheld": site.location_precision == site.Precision.WITHHELD,
                "geojson_url": f"{export_url}?{urlencode({'site': site.slug})}",
                "dating_claims": [
                    claim for claim in site.public_claims if claim.kind == ClaimKind.DATING
                ],
                "other_claims": [
                    (kind.label, claims)
                    for kind in OTHER_CLAIM_KINDS
                    if (claims := [claim for claim in site.public_claims if claim.kind == kind])
                ],
                "assessments": assessments,
                "has_responsibility_claims": any(
                    disturbance.public_responsibility_claims
                    for assessment in assessments
                    for disturbance in assessment.public_disturbances
                ),
                "visits": visits,
            }
        )
        return context
