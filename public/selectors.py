"""Reads of the public pages that span several records or are cached: the home page's
overview, the options of the filter forms, the dossier's and a source's page.

Every function here returns public records only: it reads through the models' ``public()``
querysets (see ``SiteQuerySet`` and ``AssessmentQuerySet``), which the API and the exports
share, so the publication rules are written once. Cached reads last until the register
changes, or, for the options of the filters, until what they are made of does
(``heritage.cache``)."""

import functools
import hashlib
from collections import Counter

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Sum
from django.db.models.expressions import RawSQL

from heritage.base import PublicationStatus
from heritage.cache import (
    cached,
    cached_counts,
    cached_places,
    cached_under,
    places_version,
    versions_of,
)
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
    Source,
    base_language,
    preferred_name,
)
from heritage.models.names import shows_variants
from inspections.models import (
    Assessment,
    AssessmentCitation,
    ConditionStatus,
    OverallCondition,
    ResponsibilityClaim,
    SiteCount,
    Visit,
    VisitCitation,
)


def place_tree():
    """{place id: (parent id, kind, slug, name)} of every place: cached until a place
    changes."""
    return cached_places(
        "place-tree",
        lambda: {
            pk: (parent, kind, slug, name)
            for pk, parent, kind, slug, name in Place.objects.values_list(
                "pk", "parent_id", "kind", "slug", "name"
            )
        },
    )


def register_count_rows(*fields):
    """[{field: value, "count": sites}] of the whole register's public sites by ``fields``
    (of :class:`inspections.models.SiteCount`): the sums of the maintained counts of the
    places at the top of the hierarchy, a few rows whatever the register's size."""
    return list(
        SiteCount.objects.filter(place__parent__isnull=True)
        .values(*fields)
        .order_by(*fields)
        .annotate(count=Sum("sites"))
    )


def sites_by_category(rows=None):
    """[(category label, count)] for published sites, largest first: from the maintained
    counts (``inspections.models.SiteCount``), not a count of every site."""
    labels = dict(SiteCategory.choices)
    totals = {}
    for row in rows if rows is not None else register_count_rows("category"):
        totals[row["category"]] = totals.get(row["category"], 0) + row["count"]
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [(labels.get(category, category), count) for category, count in ordered]


def condition_counts(rows=None):
    """[(condition, count, inferred)] of published sites by the latest published assessment:
    each condition term in scale order, then ``ConditionStatus.NOT_STATED`` (an assessment
    that states no condition) and ``ConditionStatus.NOT_ASSESSED`` (no published assessment);
    ``inferred`` counts the sites whose latest assessment rests on the register's own
    identification.

    Every figure comes from the maintained counts (``inspections.models.SiteCount``), which
    keep whether a site's latest assessment exists and whether it is inferred: no site is
    counted here. ``rows`` are :func:`register_count_rows` by condition, ``assessed`` and
    ``inferred`` (and perhaps more), when the caller has them."""
    if rows is None:
        rows = register_count_rows("condition_id", "assessed", "inferred")
    counts, inferred = Counter(), Counter()
    for row in rows:
        key = row["condition_id"] if row["condition_id"] is not None else row["assessed"]
        counts[key] += row["count"]
        if row["inferred"]:
            inferred[key] += row["count"]
    stated = [pk for pk in counts if pk not in (True, False)]
    terms = OverallCondition.objects.filter(pk__in=stated) if stated else []
    result = [(term, counts[term.pk], inferred[term.pk]) for term in terms]
    if counts[True]:
        result.append((ConditionStatus.NOT_STATED, counts[True], inferred[True]))
    if counts[False]:
        result.append((ConditionStatus.NOT_ASSESSED, counts[False], 0))
    return result


def sites_by_condition():
    """[(condition, count)] of published sites by the latest published assessment (see
    :func:`condition_counts`)."""
    return [(condition, count) for condition, count, _inferred in condition_counts()]


def public_figures():
    """Published reported figures whose source is published too, with source and reporter."""
    return (
        ReportedFigure.objects.public()
        .filter(source__in=Source.objects.public())
        .select_related("source", "reported_by", "area")
        .order_by("figure_set", "id")
    )


def latest_visits(limit=5):
    return Visit.objects.public().for_listing().order_by("-start_date", "-id")[:limit]


def register_overview():
    """Everything the home page shows, as template context: cached until the register
    changes (see ``heritage.cache``), since counting every site is costly on large data."""
    return cached("overview", compute_register_overview)


def compute_register_overview():
    figures = list(public_figures())
    figure_sets = {}
    for figure in figures:
        figure_sets.setdefault(figure.figure_set, []).append(figure)
    rows = register_count_rows("category", "condition_id", "assessed", "inferred")
    by_category = sites_by_category(rows)
    by_condition = condition_counts(rows)
    return {
        "site_count": sum(count for _label, count in by_category),
        "sites_by_category": by_category,
        "sites_by_condition": [(condition, count) for condition, count, _ in by_condition],
        "condition_counts": by_condition,
        "inferred_count": sum(inferred for _condition, _count, inferred in by_condition),
        "figure_sets": list(figure_sets.items()),
        "latest_visits": list(latest_visits()),
    }


def descendant_place_ids(place):
    """The ids of ``place`` and of every place below it, from the cached ``place_tree``
    (which the listings read anyway), cached until a place changes: no query of its own, where
    a query a level of the hierarchy, each listing the level above, took 10 ms for a country of
    1,681 places."""
    return cached_places(
        f"place-descendants:{place.pk}", lambda: compute_descendant_place_ids(place)
    )


def place_children():
    """{place id: [the ids of the places directly below it]}: cached until a place changes."""

    def compute():
        children = {}
        for pk, (parent, _kind, _slug, _name) in place_tree().items():
            if parent is not None:
                children.setdefault(parent, []).append(pk)
        return children

    return cached_places("place-children", compute)


def compute_descendant_place_ids(place):
    children = place_children()
    ids = {place.pk}
    level = [place.pk]
    while level:
        level = [child for pk in level for child in children.get(pk, ()) if child not in ids]
        ids.update(level)
    return ids


def localized_place_names(language=None):
    """{place id: name} of the places that have a name in the visitor's language (see
    ``DISPLAY_NAME_KINDS``); other places are shown by their ``name``. Empty in English, the
    language of ``Place.name``; otherwise one query, cached per language until a place or
    a place's name changes."""
    if not shows_variants(language):
        return {}
    language = base_language(language)
    return cached_places(f"place-names:{language}", lambda: compute_place_names(language))


def compute_place_names(language):
    variants = PlaceName.objects.filter(
        Q(language=language) | Q(language__startswith=f"{language}-"),
        kind__in=DISPLAY_NAME_KINDS,
    ).only("place_id", "language", "kind", "name")
    by_place = {}
    for variant in variants:
        by_place.setdefault(variant.place_id, []).append(variant)
    return {place: preferred_name(names, language) for place, names in by_place.items()}


#: The kinds of place the listings' area selects offer: finer areas are typed (their number
#: grows with the register; the listings' HTML must not).
AREA_SELECT_KINDS = (Place.Kind.COUNTRY, Place.Kind.REGION, Place.Kind.DISTRICT)


def options(name, version, by_language=False):
    """Cache the choices the decorated function returns under ``name`` and ``version()``
    (and the visitor's language, with ``by_language``), and give the cached function that
    ``version``: a :class:`public.widgets.LazyOptions` keeps the select's HTML under it too.
    ``version`` must change whenever what the function reads may (see ``heritage.cache``)."""

    def decorate(compute):
        @functools.wraps(compute)
        def choices():
            language = f":{base_language()}" if by_language else ""
            return cached_under(f"choices:{name}{language}:{version()}", compute)

        choices.version = version
        return choices

    return decorate


def counted_areas_version():
    """A version of the areas the listings' area selects offer: the places version, and a
    digest of which countries, regions and districts hold published sites, read from the
    counts (one query) once after each change of the counts of sites. Most such changes
    (a site's category, another assessment) leave it as it is."""

    def compute():
        counted = Place.objects.filter(
            Exists(SiteCount.objects.filter(place=OuterRef("pk"))), kind__in=AREA_SELECT_KINDS
        ).values_list("pk", flat=True)
        return hashlib.blake2b(repr(sorted(counted)).encode(), digest_size=8).hexdigest()

    return f"{places_version()}-{cached_counts('counted-areas', compute, (SiteCount,))}"


@options("area", counted_areas_version, by_language=True)
def area_choices():
    """[(slug, label)] of the districts (and the places above them) that hold published
    sites, in hierarchical order, each label indented by its depth and in the visitor's
    language: one query (two in another language than English), cached until the counts
    of sites or a place change."""
    # A place holds public sites, its own or below it, when it has a row of the maintained
    # counts: the districts' rows are read by the index on the place, no site is.
    return place_choices(
        SiteCount.objects.filter(place=OuterRef("pk")), kinds=AREA_SELECT_KINDS, rolled_up=True
    )


def place_choices(records, kinds=None, rolled_up=False):
    """[(slug, label)] of the places for which ``records`` (a queryset filtered on
    ``OuterRef("pk")``, the place) exists, and of the places above them, in hierarchical
    order, each label indented by its depth. With ``kinds``, only places of those kinds are
    listed. ``rolled_up`` says that ``records`` exist for the places above too (as the
    maintained counts do), so that only the places of ``kinds`` are read.

    One query reads the ids of the places with records; the places above them and the
    order come from ``place_tree()`` (cached): reading every place as a model took 70 ms
    for the 1,681 places of a register of 500,000 sites."""
    places = Place.objects.filter(Exists(records))
    if rolled_up and kinds is not None:
        places = places.filter(kind__in=kinds)
    found = list(places.order_by().values_list("pk", flat=True))
    tree = place_tree()
    kept = set()
    for pk in found:
        node = pk
        while node is not None and node not in kept and node in tree:
            kept.add(node)
            node = tree[node][0]
    if kinds is not None:
        kept = {pk for pk in kept if tree[pk][1] in kinds}
    # The tree is in the places' order (by name, then id), and so is each one's children.
    children = {}
    for pk, (parent, _kind, _slug, _name) in tree.items():
        if pk in kept:
            children.setdefault(parent if parent in kept else None, []).append(pk)
    choices = []
    names = localized_place_names()

    def walk(parent, depth):
        for pk in children.get(parent, []):
            _parent, _kind, slug, name = tree[pk]
            choices.append((slug, "\u00a0\u00a0\u00a0" * depth + names.get(pk, name)))
            if pk not in visited:
                visited.add(pk)
                walk(pk, depth + 1)

    visited = set()
    walk(None, 0)
    return choices


@options("organisations", lambda: versions_of("assessors"))
def organisation_choices():
    """[(slug, name)] of the organisations that made a published assessment of a published
    site, or took part in a published visit with such an assessment: one query, cached until
    an organisation, an assessment or a visit changes, or a site is published or withdrawn."""
    assessments = Assessment.objects.public()
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


@options("visit-areas", lambda: versions_of("visit-places"), by_language=True)
def visit_area_choices():
    """[(slug, label)] of the districts (and the places above them) that published visits
    went to or hold a place they went to, as :func:`area_choices`: cached until a visit, a
    place or a place's name changes."""
    return place_choices(
        Visit.objects.public().filter(places=OuterRef("pk")), kinds=AREA_SELECT_KINDS
    )


@options("all-organisations", lambda: versions_of("organisations"))
def all_organisation_choices():
    """[(slug, name)] of every organisation, by name: cached until an organisation changes."""
    return [
        (organisation.slug, str(organisation))
        for organisation in Organisation.objects.order_by("name", "id").only(
            "slug", "name", "acronym"
        )
    ]


def overall_condition_terms():
    """EAMENA's overall-condition terms in scale order, cached until a term changes
    (reviewers may add terms; saving one raises the places version, which covers them)."""
    return cached_places(
        "overall-condition-terms",
        lambda: list(OverallCondition.objects.order_by("position", "label")),
    )


def condition_choices():
    """[(EAMENA label, label in the active language)] of the overall-condition terms, as the
    listing's ``condition`` select offers them (no query once the terms are cached)."""
    return [(term.label, str(term)) for term in overall_condition_terms()]


# --- The site dossier (/sites/<slug>/) and the source page (/sources/<id>/) -------------


def site_dossier_queryset():
    """Published sites with everything their dossier shows, in a fixed number of queries:
    the register's own part (``SiteQuerySet.for_dossier``) and the public assessments,
    newest first (``public_assessments``, see ``AssessmentQuerySet.for_dossier``). Visits
    are not loaded here; :func:`public_visits_of_assessments` selects the public ones."""
    assessments = Assessment.objects.public().for_dossier()
    return (
        Site.objects.public()
        .for_dossier()
        .prefetch_related(
            Prefetch("assessments", queryset=assessments, to_attr="public_assessments"),
            "translations",
            "public_claims__translations",
        )
    )


def public_visits_of_assessments(assessments):
    """The published visits on which ``assessments`` were made, newest first (one query)."""
    visit_ids = {assessment.visit_id for assessment in assessments if assessment.visit_id}
    return list(Visit.objects.public().filter(pk__in=visit_ids).order_by("-start_date", "-id"))


def source_support(source):
    """What a published ``source`` supports, each kind of record public only: {kind: a
    queryset of its records, in the order the source's page lists them}.

    A record appears only when it and the site it concerns are public: citations of
    published sites, published claims of published sites, citations of public assessments,
    citations of published visits, published figures, and attributions of responsibility
    for disturbances seen in public assessments.
    """
    sites = Site.objects.public()
    assessments = Assessment.objects.public()
    variants = shows_variants()

    def names_of(site):
        # The sites' name variants, read for a page whose language names sites by them.
        return [f"{site}__names"] if variants else []

    def among(parents, key):
        # Checked for each of the source's rows (a correlated EXISTS on ``key``), not
        # ``key__in=<parents>``: SQLite read all the public assessments (1.35 million at
        # 500,000 sites) to look them up among a source's citations: 3-3.6 s a page.
        return Exists(parents.filter(pk=OuterRef(key)))

    reads = {
        "site_citations": SiteCitation.objects.filter(among(sites, "site_id"))
        .select_related("site")
        .prefetch_related(*names_of("site"))
        .order_by("site__name", "id"),
        "site_claims": SiteClaim.objects.public()
        .filter(among(sites, "site_id"))
        .select_related("site")
        .prefetch_related(*names_of("site"), "translations")
        .order_by("site__name", "kind", F("year_from").asc(nulls_last=True), "id"),
        "assessment_citations": AssessmentCitation.objects.filter(
            among(assessments, "assessment_id")
        )
        .select_related(
            "assessment__site", "assessment__overall_condition", "assessment__assessed_by"
        )
        .prefetch_related(*names_of("assessment__site"))
        .order_by("-assessment__assessed_on", "assessment__site__name", "id"),
        "visit_citations": VisitCitation.objects.filter(among(Visit.objects.public(), "visit_id"))
        .select_related("visit")
        .order_by("-visit__start_date", "visit__title", "id"),
        "figures": ReportedFigure.objects.public()
        .select_related("reported_by", "area")
        .order_by("figure_set", "id"),
        "responsibility_claims": ResponsibilityClaim.objects.filter(
            among(assessments, "disturbance__assessment_id")
        )
        .select_related(
            "disturbance__assessment__site",
            "disturbance__cause_category",
            "disturbance__cause_type",
        )
        .prefetch_related(*names_of("disturbance__assessment__site"))
        .order_by("-disturbance__assessment__assessed_on", "id"),
    }
    return {name: records.filter(source=source) for name, records in reads.items()}


#: Records of a kind counted at most beside a list cut short (``first_and_count``): beyond,
#: the page says "more than" this number (an organisation may have assessed a hundred
#: thousand sites, counted in 0.35 s at 500,000 sites).
COUNT_LIMIT = 1000


def first_and_count(queryset, length):
    """(the first ``length`` rows of ``queryset``, how many rows it has in all, up to
    ``COUNT_LIMIT`` + 1), in one query: each row carries the capped count, a subquery that
    does not depend on the row (evaluated once by both databases). For the pages that list
    a few of a record's many (an organisation's, a source's): at 500,000 sites an
    organisation had assessed about 100,000 sites, and its page listed them all (41 MB,
    45 s). Counting in a query of its own only when the list filled made the page's queries
    depend on the register's size (an organisation's page: 12 at 10,000 sites, 13 at
    500,000)."""
    capped = queryset.order_by().values("pk")[: COUNT_LIMIT + 1]
    try:
        sql, params = capped.query.sql_with_params()
    except EmptyResultSet:
        return [], 0
    counted = queryset.annotate(
        listed_in_all=RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS capped", params)
    )
    rows = list(counted[:length])
    return rows, (rows[0].listed_in_all if rows else 0)
