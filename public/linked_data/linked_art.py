"""A site and its published assessments as Linked Art / CIDOC-CRM JSON-LD
(``/sites/<slug>.jsonld`` and the data package's ``register.jsonld``).

The site is a ``HumanMadeObject`` (E22) with its public names, its category, its place and,
unless its location is withheld, its own point; each published assessment is a
``ConditionAssessment`` (E14) of it: when it was made, by whom, on which visit, the condition
states it identified (E3: overall condition, damage extent, damage trend) and the published
sources that document it. Terms are those of the register's context
(:mod:`public.linked_data.context`).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation

from heritage.base import date_span
from heritage.models import LocationPrecision, SiteCategory

#: Of a site's EAMENA terms, which the condition states of an assessment name, and how.
CONDITION_STATES = [
    ("overall_condition", "Overall condition"),
    ("damage_extent", "Damage extent"),
    ("damage_trend", "Damage trend"),
]


def listing_url(origin, **parameters):
    return f"{origin}{reverse('site-list')}?{urlencode(parameters)}"


def term(record, label=None):
    """An EAMENA or register term as a ``Type``, named by its English label."""
    return {"type": "Type", "_label": label or record.label}


def name_node(name):
    node = {"type": "Name", "content": name.name}
    if name.language:
        node["language"] = [{"type": "Language", "_label": name.language}]
    return node


def timespan(first, last):
    return {
        "type": "TimeSpan",
        "begin_of_the_begin": f"{first.isoformat()}T00:00:00Z",
        "end_of_the_end": f"{last.isoformat()}T23:59:59Z",
    }


def year_span(year_from, year_to):
    """The years of a dating as a ``TimeSpan``, when written as years the Common Era counts
    in four digits (an XML Schema dateTime has no year 0)."""
    years = [year for year in (year_from, year_to) if year is not None]
    if not years or not all(1 <= year <= 9999 for year in years):
        return None
    return {
        "type": "TimeSpan",
        "begin_of_the_begin": f"{min(years):04d}-01-01T00:00:00Z",
        "end_of_the_end": f"{max(years):04d}-12-31T23:59:59Z",
    }


def place_node(place, origin):
    """The register's place, with the places above it (their coordinates are public)."""
    node = {"type": "Place", "_label": place.name}
    if place.latitude is not None and place.longitude is not None:
        node["defined_by"] = point(place.latitude, place.longitude)
    if place.parent_id is not None:
        node["part_of"] = [place_node(place.parent, origin)]
    return node


def point(latitude, longitude):
    """A WKT point, longitude first."""
    return f"POINT({format(longitude.normalize(), 'f')} {format(latitude.normalize(), 'f')})"


def source_node(source, origin):
    return {
        "id": origin + source.get_absolute_url(),
        "type": "LinguisticObject",
        "_label": source.title,
    }


def assessment_node(site_id, assessment, origin, citations):
    condition = assessment.overall_condition
    label = f"Condition assessment of {assessment.assessed_on.isoformat()}"
    if condition is not None:
        label += f": {condition.label}"
    node = {
        "id": f"{site_id}#assessment-{assessment.pk}",
        "type": "ConditionAssessment",
        "_label": label,
        "classified_as": [
            {
                "id": listing_url(origin, verification=assessment.verification),
                "type": "Type",
                "_label": assessment.get_verification_display(),
            }
        ],
    }
    if assessment.assessment_type is not None:
        node["classified_as"].append(term(assessment.assessment_type))
    span = date_span(assessment.assessed_on, assessment.date_precision)
    if span is not None:
        node["timespan"] = timespan(*span)
    if assessment.assessed_by is not None:
        node["carried_out_by"] = [{"type": "Group", "_label": assessment.assessed_by.name}]
    if assessment.visit is not None:
        node["forms_part_of"] = [
            {
                "id": origin + assessment.visit.get_absolute_url(),
                "type": "Activity",
                "_label": assessment.visit.title,
            }
        ]
    states = [
        {
            "type": "ConditionState",
            "_label": f"{heading}: {value.label}",
            "classified_as": [term(value)],
        }
        for field, heading in CONDITION_STATES
        if (value := getattr(assessment, field)) is not None
    ]
    if states:
        node["identified"] = states
    if assessment.summary:
        node["referred_to_by"] = [{"type": "LinguisticObject", "content": assessment.summary}]
    if citations:
        node["documented_in"] = [source_node(citation.source, origin) for citation in citations]
    return node


def site_document(site, assessments, origin, context_url):
    """The Linked Art document of a published ``site`` and its published ``assessments``
    (each with ``public_citations``, citations of published sources). ``site.names`` holds
    the public name variants (see ``public_variants``). A withheld location gives only the
    place, never the site's own coordinates. Labels are in English, whatever the visitor's
    language."""
    with translation.override("en"):
        return english_site_document(site, assessments, origin, context_url)


def english_site_document(site, assessments, origin, context_url):
    site_id = origin + site.get_absolute_url()
    document = {
        "@context": context_url,
        "id": site_id,
        "type": "HumanMadeObject",
        "_label": site.name,
        "classified_as": [
            {
                "id": listing_url(origin, category=site.category),
                "type": "Type",
                "_label": str(SiteCategory(site.category).label),
            }
        ],
        "identified_by": [
            {
                "type": "Name",
                "content": site.name,
                "language": [{"type": "Language", "_label": "en"}],
            },
            *(name_node(name) for name in site.names.all()),
        ],
    }
    if site.registry_number:
        document["identified_by"].append({"type": "Identifier", "content": site.registry_number})
    if site.wikidata_id:
        document["equivalent"] = [
            {"id": f"http://www.wikidata.org/entity/{site.wikidata_id}", "type": "HumanMadeObject"}
        ]
    place = place_node(site.place, origin)
    if (
        site.location_precision != LocationPrecision.WITHHELD
        and site.latitude is not None
        and site.longitude is not None
    ):
        location = {
            "type": "Place",
            "_label": f"Location of {site.name} ({site.get_location_precision_display()})",
            "defined_by": point(site.latitude, site.longitude),
            "part_of": [place],
        }
    else:
        location = place
    document["current_location"] = [location]
    span = year_span(site.year_from, site.year_to)
    if span is not None or site.dating_label:
        production = {"type": "Production"}
        if span is not None:
            production["timespan"] = span
        if site.dating_label:
            production["referred_to_by"] = [
                {"type": "LinguisticObject", "content": site.dating_label}
            ]
        document["produced_by"] = [production]
    if assessments:
        document["assessed_by"] = [
            assessment_node(site_id, assessment, origin, assessment.public_citations)
            for assessment in assessments
        ]
    return document
