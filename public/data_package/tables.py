"""The tables of the data package: one per kind of public record, each read through the
models' ``public()`` querysets as the pages are (a record appears only when it is published,
with the records it hangs off published too, and a citation or claim only with a published
source), each with its Frictionless Table Schema.

A column is ``(name, type, description, value)``: ``value`` reads the cell from a row.
Text cells that a spreadsheet would run as a formula are written as the CSV export writes
them (``heritage.text.escape_formula``).
"""

from dataclasses import dataclass, field
from itertools import chain

from django.db.models import Prefetch

from heritage.models import (
    Organisation,
    Place,
    PlaceName,
    Site,
    SiteCitation,
    SiteClaim,
    SiteName,
    Source,
    with_public_source,
)
from heritage.models.site_search import public_variants
from inspections.models import Assessment, AssessmentCitation, Visit, VisitCitation
from public import selectors
from public.views.exports import dating, public_location

PUBLISHED = "published"

#: Rows fetched from the database at a time: memory stays flat however large the register.
CHUNK_SIZE = 2000


def stream(queryset):
    return queryset.iterator(chunk_size=CHUNK_SIZE)


@dataclass
class Column:
    name: str
    type: str
    description: str
    value: object


@dataclass
class Table:
    name: str
    title: str
    rows: object
    columns: list
    primary_key: list = field(default_factory=list)
    foreign_keys: list = field(default_factory=list)

    def schema(self):
        schema = {
            "fields": [
                {"name": column.name, "type": column.type, "description": column.description}
                for column in self.columns
            ]
        }
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [name], "reference": {"resource": table, "fields": [key]}}
                for name, table, key in self.foreign_keys
            ]
        return schema


def attr(path):
    """The value at ``path`` (``"place.slug"``), None when a step is None."""

    def read(row):
        value = row
        for part in path.split("."):
            value = getattr(value, part)
            if value is None:
                return None
        return value

    return read


def text(name, description, path=None):
    return Column(name, "string", description, attr(path or name))


def published_source(row):
    source = row.source
    return source.slug if source is not None and source.publication_status == PUBLISHED else None


def eamena(name, description):
    """A column of an EAMENA term, by its English label."""
    read = attr(name)

    def label(row):
        term = read(row)
        return term.label if term is not None else None

    return Column(name, "string", description, label)


def public_site_tables(origin, conditions):
    """The tables, in the order of the package; ``conditions`` maps overall-condition ids to
    their English labels (for the sites' latest condition)."""
    public_sites = Site.objects.public()
    public_assessments = Assessment.objects.public()
    public_visits = Visit.objects.public()

    def location(index):
        return lambda site: public_location(site)[index]

    return [
        Table(
            "places",
            "Places",
            lambda: Place.objects.order_by("id"),
            [
                text("slug", "Identifier of the place in the register"),
                text("name", "Name in English"),
                text("kind", "country, district, city or village"),
                text("parent", "The place it is part of (slug)", "parent.slug"),
                text("iso_code", "ISO 3166 code"),
                Column("latitude", "number", "Latitude, WGS 84", attr("latitude")),
                Column("longitude", "number", "Longitude, WGS 84", attr("longitude")),
                text("wikidata_id", "Wikidata item"),
            ],
            ["slug"],
            [("parent", "places", "slug")],
        ),
        Table(
            "place_names",
            "Names of places",
            lambda: PlaceName.objects.select_related("place").order_by("id"),
            [
                text("place", "The place (slug)", "place.slug"),
                text("name", "The name"),
                text("language", "Language (BCP 47)"),
                text("script", "Script (ISO 15924)"),
                text("kind", "Kind of name"),
            ],
            ["place", "language", "name"],
            [("place", "places", "slug")],
        ),
        Table(
            "organisations",
            "Organisations",
            lambda: Organisation.objects.order_by("id"),
            [
                text("slug", "Identifier of the organisation in the register"),
                text("name", "Name"),
                text("acronym", "Acronym"),
                text("kind", "Kind of organisation"),
                text("country", "Country (ISO 3166)"),
                text("website", "Website"),
            ],
            ["slug"],
        ),
        Table(
            "sources",
            "Sources",
            lambda: Source.objects.public().order_by("id"),
            [
                text("slug", "Identifier of the source in the register"),
                text("title", "Title"),
                text("author", "Author"),
                text("publisher", "Publisher"),
                text("url", "Where the source was published"),
                Column("published_on", "date", "Publication date", attr("published_on")),
                text("published_precision", "Precision of the publication date"),
                Column("accessed_on", "date", "Date the register accessed it", attr("accessed_on")),
                text("language", "Language"),
                text("kind", "Kind of source"),
                Column(
                    "page_url",
                    "string",
                    "The source's page in the register",
                    lambda source: origin + source.get_absolute_url(),
                ),
            ],
            ["slug"],
        ),
        Table(
            "sites",
            "Sites",
            lambda: public_sites.with_latest_condition().select_related("place").order_by("id"),
            [
                text("slug", "Identifier of the site in the register"),
                text("name", "Name in English"),
                text("category", "Category"),
                text("place", "The place the site is in (slug)", "place.slug"),
                Column(
                    "latitude",
                    "number",
                    "Latitude the public may see: a withheld location is given at its place",
                    location(0),
                ),
                Column("longitude", "number", "Longitude the public may see", location(1)),
                text("location_precision", "exact, approximate, settlement or withheld"),
                Column("year_from", "integer", "Built from (year)", attr("year_from")),
                Column("year_to", "integer", "Built to (year)", attr("year_to")),
                Column("dating", "string", "Dating as written, or the years", dating),
                text("registry_number", "Number in the national inventory of monuments"),
                text("importance", "world, national or local"),
                text("wikidata_id", "Wikidata item"),
                text("description", "Description"),
                Column(
                    "latest_condition",
                    "string",
                    "Overall condition (EAMENA) by the latest published assessment",
                    lambda site: conditions.get(site.latest_condition_id),
                ),
                Column(
                    "latest_assessment_date",
                    "date",
                    "Date of the latest published assessment",
                    attr("latest_assessed_on"),
                ),
                Column(
                    "url",
                    "string",
                    "The site's dossier",
                    lambda site: origin + site.get_absolute_url(),
                ),
            ],
            ["slug"],
            [("place", "places", "slug")],
        ),
        Table(
            "site_names",
            "Names of sites",
            lambda: (
                public_variants(SiteName.objects.filter(site__in=public_sites))
                .select_related("site", "source")
                .order_by("id")
            ),
            [
                text("site", "The site (slug)", "site.slug"),
                text("name", "The name"),
                text("language", "Language (BCP 47)"),
                text("script", "Script (ISO 15924)"),
                text("kind", "Kind of name"),
                Column("source", "string", "For a name as a source reports it", published_source),
            ],
            ["site", "language", "name"],
            [("site", "sites", "slug"), ("source", "sources", "slug")],
        ),
        Table(
            "site_claims",
            "What sources say about sites (datings, identifications…)",
            lambda: (
                with_public_source(SiteClaim.objects.public().filter(site__in=public_sites))
                .select_related("site")
                .order_by("id")
            ),
            [
                text("site", "The site (slug)", "site.slug"),
                text("kind", "Kind of claim"),
                text("statement", "What the source says"),
                Column("year_from", "integer", "From (year)", attr("year_from")),
                Column("year_to", "integer", "To (year)", attr("year_to")),
                text("dating_label", "Dating as written"),
                Column(
                    "is_inference",
                    "boolean",
                    "The register's own inference from the source",
                    attr("is_inference"),
                ),
                text("source", "The source (slug)", "source.slug"),
                text("locator", "Where in the source"),
            ],
            [],
            [("site", "sites", "slug"), ("source", "sources", "slug")],
        ),
        Table(
            "visits",
            "Visits",
            lambda: public_visits.prefetch_related(
                Prefetch("organisations", queryset=Organisation.objects.order_by("slug"))
            ).order_by("id"),
            [
                text("slug", "Identifier of the visit in the register"),
                text("title", "Title"),
                text("kind", "Kind of visit"),
                text("status", "planned, completed, cancelled or not_as_announced"),
                Column("start_date", "date", "Start date", attr("start_date")),
                Column("end_date", "date", "End date", attr("end_date")),
                text("date_precision", "Precision of the dates"),
                Column(
                    "organisations",
                    "string",
                    "Organisations (slugs, separated by spaces)",
                    lambda visit: " ".join(org.slug for org in visit.organisations.all()),
                ),
                text("summary", "Summary"),
                Column(
                    "url",
                    "string",
                    "The visit's page",
                    lambda visit: origin + visit.get_absolute_url(),
                ),
            ],
            ["slug"],
        ),
        Table(
            "assessments",
            "Condition assessments",
            lambda: public_assessments.select_related(
                "site",
                "visit",
                "assessed_by",
                "assessment_type",
                "overall_condition",
                "damage_extent",
                "damage_trend",
                "priority",
            ).order_by("id"),
            [
                text("slug", "Identifier of the assessment in the register"),
                text("site", "The site (slug)", "site.slug"),
                text("visit", "The visit it was made on (slug)", "visit.slug"),
                Column("assessed_on", "date", "Date of the assessment", attr("assessed_on")),
                text("date_precision", "Precision of the date"),
                text("assessed_by", "Organisation that made it (slug)", "assessed_by.slug"),
                eamena("assessment_type", "EAMENA assessment type"),
                eamena("overall_condition", "EAMENA overall condition"),
                eamena("damage_extent", "EAMENA damage extent"),
                eamena("damage_trend", "EAMENA damage trend"),
                eamena("priority", "EAMENA priority"),
                text("verification", "reported, corroborated, verified or disputed"),
                text("summary", "Summary"),
                Column(
                    "url",
                    "string",
                    "The assessment in its site's dossier",
                    lambda assessment: (
                        f"{origin}{assessment.site.get_absolute_url()}#assessment-{assessment.pk}"
                    ),
                ),
            ],
            ["slug"],
            [
                ("site", "sites", "slug"),
                ("visit", "visits", "slug"),
                ("assessed_by", "organisations", "slug"),
            ],
        ),
        Table(
            "citations",
            "Citations: what a source says about a site, an assessment or a visit",
            lambda: chain(
                stream(
                    with_public_source(SiteCitation.objects.filter(site__in=public_sites))
                    .select_related("site")
                    .order_by("id")
                ),
                stream(
                    with_public_source(
                        AssessmentCitation.objects.filter(assessment__in=public_assessments)
                    )
                    .select_related("assessment")
                    .order_by("id")
                ),
                stream(
                    with_public_source(VisitCitation.objects.filter(visit__in=public_visits))
                    .select_related("visit")
                    .order_by("id")
                ),
            ),
            [
                Column("record_type", "string", "site, assessment or visit", cited_kind),
                Column("record", "string", "The cited record (slug)", cited_slug),
                text("source", "The source (slug)", "source.slug"),
                text("locator", "Where in the source"),
                text("summary", "What the source says there"),
            ],
            [],
            [("source", "sources", "slug")],
        ),
        Table(
            "figures",
            "Reported figures",
            lambda: selectors.public_figures().order_by("id"),
            [
                text("slug", "Identifier of the figure in the register"),
                text("figure_set", "The group of figures reported together"),
                text("metric", "What was counted"),
                text("subject", "Of what"),
                text("category", "Category"),
                Column("value", "number", "The figure", attr("value")),
                text("unit", "Unit"),
                text("area", "Area (place slug)", "area.slug"),
                text("area_label", "Area as reported"),
                Column("period_start", "date", "Start of the period", attr("period_start")),
                Column("period_end", "date", "End of the period", attr("period_end")),
                text("period_label", "Period as reported"),
                text("reported_by", "Who reports it (organisation slug)", "reported_by.slug"),
                text("source", "The source (slug)", "source.slug"),
                text("locator", "Where in the source"),
                text("summary", "What the source says"),
            ],
            ["slug"],
            [
                ("area", "places", "slug"),
                ("reported_by", "organisations", "slug"),
                ("source", "sources", "slug"),
            ],
        ),
    ]


CITED = {"sitecitation": "site", "assessmentcitation": "assessment", "visitcitation": "visit"}


def cited_kind(citation):
    return CITED[citation._meta.model_name]


def cited_slug(citation):
    return getattr(citation, cited_kind(citation)).slug
