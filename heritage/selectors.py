"""Reads for public pages. Every function here returns published records only."""

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from heritage.base import PublicationStatus
from heritage.cache import cached
from heritage.models import (
    DISPLAY_NAME_KINDS,
    Organisation,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCategory,
    SiteCitation,
    SiteClaim,
    SiteName,
    base_language,
    preferred_name,
)
from inspections.models import (
    Assessment,
    AssessmentCitation,
    Disturbance,
    OverallCondition,
    ResponsibilityClaim,
    Visit,
    VisitCitation,
)


def public_sites_with_latest_condition():
    """Published sites annotated from their latest published assessment, as recorded in
    ``SiteStatus``: ``latest_condition_id``, ``latest_assessed_on`` and
    ``latest_assessed_precision`` (None when the site has no published assessment)."""
    return Site.objects.public().annotate(
        latest_condition_id=F("status__condition_id"),
        latest_assessed_on=F("status__assessed_on"),
        latest_assessed_precision=F("status__date_precision"),
    )


def sites_by_category():
    """[(category label, count)] for published sites, largest first."""
    labels = dict(SiteCategory.choices)
    rows = (
        Site.objects.public()
        .values("category")
        .annotate(count=Count("id"))
        .order_by("-count", "category")
    )
    return [(labels.get(row["category"], row["category"]), row["count"]) for row in rows]


def sites_by_condition():
    """[(condition term or None, count)] by the latest published assessment, in scale order."""
    rows = (
        public_sites_with_latest_condition()
        .order_by()
        .values("latest_condition_id")
        .annotate(count=Count("id"))
    )
    counts = {row["latest_condition_id"]: row["count"] for row in rows}
    terms = OverallCondition.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    result = [(term, counts[term.pk]) for term in terms]
    if None in counts:
        result.append((None, counts[None]))
    return result


def public_figures():
    """Published reported figures whose source is published too, with source and reporter."""
    return (
        ReportedFigure.objects.public()
        .filter(source__publication_status=PublicationStatus.PUBLISHED)
        .select_related("source", "reported_by", "area")
        .order_by("figure_set", "id")
    )


def latest_visits(limit=5):
    return (
        Visit.objects.public()
        .prefetch_related("organisations", "places")
        .order_by("-start_date", "-id")[:limit]
    )


def register_overview():
    """Everything the home page shows, as template context: cached until the register
    changes (see ``heritage.cache``), since counting every site is costly on large data."""
    return cached("overview", compute_register_overview)


def compute_register_overview():
    figures = list(public_figures())
    figure_sets = {}
    for figure in figures:
        figure_sets.setdefault(figure.figure_set, []).append(figure)
    by_category = sites_by_category()
    return {
        "site_count": sum(count for _label, count in by_category),
        "sites_by_category": by_category,
        "sites_by_condition": sites_by_condition(),
        "figure_sets": list(figure_sets.items()),
        "latest_visits": list(latest_visits()),
    }


# --- The public listing of sites (/sites/) and its exports -------------------------------


def public_site_listing():
    """Published sites for the listing and its exports, ordered by name.

    Each site carries its place (``select_related``) and the annotations of
    :func:`public_sites_with_latest_condition`.
    """
    return public_sites_with_latest_condition().select_related("place").order_by("name", "id")


#: FTS5's trigram index finds substrings of at least this many characters.
TRIGRAM = 3


def fts_phrase(text):
    """``text`` as one FTS5 phrase: matched as a substring, whatever characters it holds."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text):
    """``%text%`` for ``LIKE ... ESCAPE '\\'``, with the text's own wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_search(folded):
    """A condition on sites: the folded text ``folded`` is in the site's name or in one of
    its name variants.

    The matching site ids are collected in one subquery (a union of the two name tables)
    that the database runs from its indexes, rather than testing every site in turn. Both
    sides are folded to lower case already, so a plain, case-sensitive ``LIKE`` is enough;
    on PostgreSQL trigram GIN indexes serve it (migration 0004). SQLite cannot index
    ``LIKE '%text%'``, so texts of three characters or more go through the FTS5 trigram
    tables that mirror the names (migration 0005).
    """
    if connection.vendor == "sqlite" and len(folded) >= TRIGRAM:
        phrase = fts_phrase(folded)
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM heritage_site_fts WHERE heritage_site_fts MATCH %s "
                "UNION SELECT site_id FROM heritage_sitename WHERE id IN "
                "(SELECT rowid FROM heritage_sitename_fts WHERE heritage_sitename_fts MATCH %s)",
                (phrase, phrase),
            )
        )
    pattern = like_pattern(folded)
    return Q(
        pk__in=RawSQL(
            "SELECT id FROM heritage_site WHERE folded_name LIKE %s ESCAPE '\\' "
            "UNION SELECT site_id FROM heritage_sitename WHERE folded LIKE %s ESCAPE '\\'",
            (pattern, pattern),
        )
    )


def with_localized_name(queryset, language=None):
    """Annotate sites with ``localized_name``: what ``Site.display_name`` returns, computed
    in the database so that a streamed export needs no prefetch per chunk of rows."""
    language = (language or get_language() or "en").split("-")[0]
    if language == "en":
        return queryset.annotate(localized_name=F("name"))
    preference = DISPLAY_NAME_KINDS
    variant = (
        SiteName.objects.filter(site=OuterRef("pk"), kind__in=preference)
        .filter(Q(language=language) | Q(language__startswith=f"{language}-"))
        .order_by(
            Case(
                *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(preference)),
                output_field=IntegerField(),
            ),
            "language",
            "name",
        )
        .values("name")[:1]
    )
    return queryset.annotate(localized_name=Coalesce(Subquery(variant), F("name")))


def descendant_place_ids(place):
    """The ids of ``place`` and of every place below it: one query per level of the hierarchy,
    cached until the register changes."""
    return cached(f"place-descendants:{place.pk}", lambda: compute_descendant_place_ids(place))


def compute_descendant_place_ids(place):
    ids = {place.pk}
    level = [place.pk]
    while level:
        level = list(
            Place.objects.filter(parent_id__in=level)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(level)
    return ids


def localized_place_names(language=None):
    """{place id: name} of the places that have a name in the visitor's language (see
    ``DISPLAY_NAME_KINDS``); other places are shown by their ``name``. Empty in English, the
    language of ``Place.name``; otherwise one query, cached per language until the register
    changes."""
    language = base_language(language)
    if language == "en":
        return {}
    return cached(f"place-names:{language}", lambda: compute_place_names(language))


def compute_place_names(language):
    variants = PlaceName.objects.filter(
        Q(language=language) | Q(language__startswith=f"{language}-"),
        kind__in=DISPLAY_NAME_KINDS,
    ).only("place_id", "language", "kind", "name")
    by_place = {}
    for variant in variants:
        by_place.setdefault(variant.place_id, []).append(variant)
    return {place: preferred_name(names, language) for place, names in by_place.items()}


def area_choices():
    """[(slug, label)] of the places that hold published sites and of the places above them,
    in hierarchical order, each label indented by its depth and in the visitor's language:
    one query (two in another language than English), cached until the register changes
    (the tree has thousands of places on a large register)."""
    return cached(
        f"area-choices:{base_language()}",
        lambda: place_choices(Site.objects.public().filter(place=OuterRef("pk"))),
    )


def place_choices(records):
    """[(slug, label)] of the places for which ``records`` (a queryset filtered on
    ``OuterRef("pk")``, the place) exists, and of the places above them, in hierarchical
    order, each label indented by its depth (one query)."""
    places = list(
        Place.objects.annotate(has_sites=Exists(records)).only("pk", "slug", "name", "parent_id")
    )
    by_id = {place.pk: place for place in places}
    kept = set()
    for place in places:
        node = place if place.has_sites else None
        while node is not None and node.pk not in kept:
            kept.add(node.pk)
            node = by_id.get(node.parent_id)
    children = {}
    for place in places:
        if place.pk in kept:
            parent = place.parent_id if place.parent_id in kept else None
            children.setdefault(parent, []).append(place)
    choices = []
    names = localized_place_names()

    def walk(parent, depth):
        for place in children.get(parent, []):
            label = names.get(place.pk, place.name)
            choices.append((place.slug, "\u00a0\u00a0\u00a0" * depth + label))
            if place.pk not in visited:
                visited.add(place.pk)
                walk(place.pk, depth + 1)

    visited = set()
    walk(None, 0)
    return choices


def organisation_choices():
    """[(slug, name)] of the organisations that made a published assessment of a published
    site, or took part in a published visit with such an assessment: one query, cached until
    the register changes."""
    return cached("organisation-choices", compute_organisation_choices)


def compute_organisation_choices():
    assessments = Assessment.objects.public().filter(
        site__publication_status=PublicationStatus.PUBLISHED
    )
    return [
        (organisation.slug, str(organisation))
        for organisation in Organisation.objects.filter(
            Q(Exists(assessments.filter(assessed_by=OuterRef("pk"))))
            | Q(
                Exists(
                    assessments.filter(
                        visit__publication_status=PublicationStatus.PUBLISHED,
                        visit__organisations=OuterRef("pk"),
                    )
                )
            )
        ).only("slug", "name", "acronym")
    ]


def overall_condition_terms():
    """EAMENA's overall-condition terms in scale order, cached until the register changes
    (editors may add terms; saving one changes the register's version)."""
    return cached(
        "overall-condition-terms",
        lambda: list(OverallCondition.objects.order_by("position", "label")),
    )


def condition_choices():
    """[(EAMENA label, label in the active language)] of the overall-condition terms, as the
    listing's ``condition`` select offers them (no query once the terms are cached)."""
    return [(term.label, str(term)) for term in overall_condition_terms()]


# --- The site dossier (/sites/<slug>/) and the source page (/sources/<id>/) -------------


#: Enough ``parent`` levels for the deepest hierarchy (village, district, region, country), so
#: that ``Place.ancestors()`` reads the chain from the one query that loads the site.
PLACE_WITH_ANCESTORS = "place__parent__parent__parent__parent"


def _with_public_source(queryset):
    """Rows of ``queryset`` whose source is published, with the source loaded."""
    return queryset.filter(source__publication_status=PublicationStatus.PUBLISHED).select_related(
        "source"
    )


def site_dossier_queryset():
    """Published sites with everything their dossier shows, in a fixed number of queries.

    Each prefetch keeps public rows only, stored under ``public_*`` attributes so that a
    template cannot reach the unfiltered relation by mistake: published claims and
    citations whose source is published, published assessments newest first, with their
    citations, disturbances and attributions of responsibility (each with a published source).
    Visits are not loaded here; :func:`public_visits_of_assessments` selects the public ones.
    """
    disturbances = (
        Disturbance.objects.select_related(
            "cause_category", "cause_type", "cause_certainty", "effect_certainty"
        )
        .prefetch_related(
            "effect_types",
            Prefetch(
                "responsibility_claims",
                queryset=_with_public_source(ResponsibilityClaim.objects.order_by("id")),
                to_attr="public_responsibility_claims",
            ),
        )
        .order_by("position", "id")
    )
    assessments = (
        Assessment.objects.public()
        .select_related(
            "assessed_by",
            "assessment_type",
            "overall_condition",
            "damage_extent",
            "damage_trend",
            "priority",
        )
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=_with_public_source(AssessmentCitation.objects.order_by("id")),
                to_attr="public_citations",
            ),
            Prefetch("disturbances", queryset=disturbances, to_attr="public_disturbances"),
        )
        .order_by("-assessed_on", "-id")
    )
    return (
        Site.objects.public()
        .select_related(PLACE_WITH_ANCESTORS)
        .prefetch_related(
            "names",
            Prefetch(
                "claims",
                queryset=_with_public_source(SiteClaim.objects.public()).order_by(
                    "kind", F("year_from").asc(nulls_last=True), "year_to", "id"
                ),
                to_attr="public_claims",
            ),
            Prefetch(
                "citations",
                queryset=_with_public_source(SiteCitation.objects.all()).order_by(
                    F("source__published_on").asc(nulls_last=True), "source__title", "id"
                ),
                to_attr="public_citations",
            ),
            Prefetch("assessments", queryset=assessments, to_attr="public_assessments"),
        )
    )


def public_visits_of_assessments(assessments):
    """The published visits on which ``assessments`` were made, newest first (one query)."""
    visit_ids = {assessment.visit_id for assessment in assessments if assessment.visit_id}
    return list(Visit.objects.public().filter(pk__in=visit_ids).order_by("-start_date", "-id"))


def source_support(source):
    """What a published ``source`` supports, each kind of record public only.

    A record appears only when it and the site it concerns are published: citations of
    published sites, published claims, citations of published assessments of published
    sites, citations of published visits, published figures, and attributions of
    responsibility for disturbances seen in published assessments of published sites.
    """
    published = PublicationStatus.PUBLISHED
    return {
        "site_citations": list(
            SiteCitation.objects.filter(source=source, site__publication_status=published)
            .select_related("site")
            .prefetch_related("site__names")
            .order_by("site__name", "id")
        ),
        "site_claims": list(
            SiteClaim.objects.public()
            .filter(source=source, site__publication_status=published)
            .select_related("site")
            .prefetch_related("site__names")
            .order_by("site__name", "kind", F("year_from").asc(nulls_last=True), "id")
        ),
        "assessment_citations": list(
            AssessmentCitation.objects.filter(
                source=source,
                assessment__publication_status=published,
                assessment__site__publication_status=published,
            )
            .select_related(
                "assessment__site", "assessment__overall_condition", "assessment__assessed_by"
            )
            .prefetch_related("assessment__site__names")
            .order_by("-assessment__assessed_on", "assessment__site__name", "id")
        ),
        "visit_citations": list(
            VisitCitation.objects.filter(source=source, visit__publication_status=published)
            .select_related("visit")
            .order_by("-visit__start_date", "visit__title", "id")
        ),
        "figures": list(
            ReportedFigure.objects.public()
            .filter(source=source)
            .select_related("reported_by", "area")
            .order_by("figure_set", "id")
        ),
        "responsibility_claims": list(
            ResponsibilityClaim.objects.filter(
                source=source,
                disturbance__assessment__publication_status=published,
                disturbance__assessment__site__publication_status=published,
            )
            .select_related(
                "disturbance__assessment__site",
                "disturbance__cause_category",
                "disturbance__cause_type",
            )
            .prefetch_related("disturbance__assessment__site__names")
            .order_by("-disturbance__assessment__assessed_on", "id")
        ),
    }
