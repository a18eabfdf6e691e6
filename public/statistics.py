"""Reads of the statistics page and the area pages: breakdowns of the public sites, read
from the maintained counts (:class:`inspections.models.SiteCount`) rather than counted site
by site, and the assessments and reported figures over time and by area.

The counts are kept for every place, its own sites' and those of the places below it, so a
district's figures are its own few rows, and the whole register's those of the places at
the top of the hierarchy (see ``inspections.models.site_counts``): no page sums the rows of
every village.
"""

import calendar
import datetime
import functools
from collections import Counter, defaultdict
from operator import itemgetter
from urllib.parse import quote_plus

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import get_language

from heritage.cache import cached_by_place, cached_counts, cached_places
from heritage.models import PlaceKind, ReportedFigure, SiteCategory, Source
from inspections.models import (
    AssessedYearCount,
    AssessmentMonthCount,
    CitedSourceCount,
    DamageDating,
    DamageYearCount,
    SiteCount,
    Verification,
)
from public import selectors

NOT_ASSESSED = ""


def listing_url(**parameters):
    """The address of ``/sites/`` with these filters (empty ones left out), as ``urlencode``
    writes it: a page of statistics asks for a thousand, of a few dozen values."""
    query = "&".join(
        f"{name}={query_value(str(value))}" for name, value in parameters.items() if value
    )
    return listing_path(get_language()) + (f"?{query}" if query else "")


@functools.lru_cache(maxsize=4096)
def query_value(value):
    return quote_plus(value)


@functools.cache
def listing_path(language):
    """``/sites/`` in ``language`` (the address may carry the language): a page of
    statistics links to it hundreds of times."""
    return reverse("site-list")


#: {place id: (parent id, kind, slug, name)} of every place, cached until a place changes.
place_tree = selectors.place_tree


def district_of(place_id, tree):
    """The id of the district ``place_id`` lies in (itself, if a district), or None."""
    seen = set()
    while place_id is not None and place_id not in seen:
        seen.add(place_id)
        parent, kind, _slug, _name = tree[place_id]
        if kind == PlaceKind.DISTRICT:
            return place_id
        place_id = parent
    return None


def districts_of_places():
    """{place id: district id or None} of every place: cached until a place changes
    (``heritage.cache.cached_places``)."""
    return cached_places(
        "place-districts",
        lambda: {pk: district_of(pk, tree) for tree in [place_tree()] for pk in tree},
    )


def district_names():
    """{place id: the English name of its district} of the places in a district (the
    exports' ``district`` column): cached until a place changes."""

    def compute():
        tree = place_tree()
        return {
            pk: tree[district][3]
            for pk, district in districts_of_places().items()
            if district is not None
        }

    return cached_places("district-names", compute)


def district_count_rows(category=None, by_category=False):
    """[(district id or None, category or None, condition id, verification, sites)] of the
    public sites (of one ``category``, if given; by category only if ``by_category``): the
    maintained counts of the districts, and, as district None, what the whole register
    holds beyond them. A district inside another district counts in the outer one only."""
    fields = ["condition_id", "verification", *(["category"] if by_category else [])]
    tree = place_tree()
    outermost = {
        pk
        for pk, (parent, kind, _slug, _name) in tree.items()
        if kind == PlaceKind.DISTRICT and (parent is None or district_of(parent, tree) is None)
    }
    beyond = Counter()
    narrowing = ["category"] if category is not None and not by_category else []
    for row in selectors.register_count_rows(*fields, *narrowing):
        if category is None or row["category"] == category:
            beyond[tuple(row[field] for field in fields)] += row["count"]

    def sum_districts(ids):
        # The districts by id, so that the query reads their rows by the index on the place.
        counts = SiteCount.objects.filter(place_id__in=ids)
        if category is not None:
            counts = counts.filter(category=category)
        found = {place_id: [] for place_id in ids}
        summed = counts.values_list("place_id", *fields).order_by().annotate(total=Sum("sites"))
        for place_id, *key, total in summed:
            found[place_id].append((tuple(key), total))
        return found

    # Each district's sums are kept until its own counts move: after an edit, one district
    # is summed again, not all of them.
    by_district = cached_by_place(
        f"district-rows:{category}:{by_category}", SiteCount, outermost, sum_districts
    )
    rows = []
    for place_id, summed in sorted(by_district.items()):
        for key, total in summed:
            beyond[key] -= total
            rows.append((place_id, key, total))
    rows += [(None, key, total) for key, total in beyond.items() if total]
    return [
        (place_id, key[2] if by_category else category, key[0], key[1], total)
        for place_id, key, total in rows
    ]


def area_count_rows(place):
    """[(place id, category, condition id, verification, sites)] of the public sites of
    ``place`` and the places below it: its own maintained counts (one query)."""
    return list(
        SiteCount.objects.filter(place=place)
        .values_list("place_id", "category", "condition_id", "verification")
        .order_by()
        .annotate(total=Sum("sites"))
    )


def register_breakdown():
    """The counts of every public site by category, condition and verification."""
    rows = selectors.register_count_rows("category", "condition_id", "verification")
    return Breakdown(
        [
            (None, row["category"], row["condition_id"], row["verification"], row["count"])
            for row in rows
        ],
        lambda place_id: None,
    )


def condition_columns():
    """[(condition id or None, EAMENA label or "", term or None)] in scale order, "not
    assessed" last: the columns of the tables by condition."""
    terms = selectors.overall_condition_terms()
    return [(term.pk, term.label, term) for term in terms] + [(None, NOT_ASSESSED, None)]


class Breakdown:
    """Counts of public sites by (area, category, condition id, verification), where the
    area is what ``area_of`` makes of a site's place (its district, or one area for all).

    ``total()`` sums over the dimensions not given; each combination of given dimensions
    is summed once, so a table of many cells reads the counts a few times, not once a cell.
    """

    DIMENSIONS = ("area", "category", "condition", "verification")

    def __init__(self, rows, area_of):
        self.counts = Counter()
        for place_id, category, condition_id, verification, sites in rows:
            self.counts[(area_of(place_id), category, condition_id, verification)] += sites
        self.sums = {}

    def total(self, **given):
        names = tuple(given)
        sums = self.summed(*names)
        if len(names) == 1:
            return sums[given[names[0]]]
        return sums[tuple(given.values())]

    def summed(self, *names):
        """{values of the dimensions ``names`` (one value, or a tuple of several): sites},
        summed once: what ``total`` reads, for a caller that reads many cells."""
        sums = self.sums.get(names)
        if sums is None:
            positions = [self.DIMENSIONS.index(name) for name in names]
            sums = self.sums[names] = Counter()
            if positions:
                key_of = itemgetter(*positions)
                for key, count in self.counts.items():
                    sums[key_of(key)] += count
            else:
                sums[()] = sum(self.counts.values())
        return sums

    def values(self, position):
        return {key[position] for key in self.counts}


def district_breakdown(category=None):
    """The counts by district of the public sites (of one category, if given)."""
    return Breakdown(district_count_rows(category), lambda place_id: place_id)


def area_breakdown(place):
    """The counts of the public sites of ``place`` and the places below it."""
    return Breakdown(area_count_rows(place), lambda place_id: place.pk)


def district_table(category=None, breakdown=None):
    """The frame of the table of sites by district and condition: its columns, its
    ``districts`` in order (by name, then None for the sites beyond them) and its totals,
    each with its listing's address; each district's row is ``district_row`` (the statistics
    page keeps them rendered one by one). ``breakdown`` is ``district_breakdown(category)``
    when the caller has it already."""
    breakdown = breakdown or district_breakdown(category)
    tree = place_tree()
    names = selectors.localized_place_names()
    columns = condition_columns()
    districts = sorted(
        (area for area in breakdown.values(0) if area is not None),
        key=lambda pk: (names.get(pk) or tree[pk][3]).casefold(),
    )
    if None in breakdown.values(0):
        districts.append(None)
    return {
        "districts": districts,
        "columns": columns,
        "totals": total_cells(breakdown, columns, category=category),
        "total": breakdown.total(),
        "total_url": listing_url(category=category),
        "verification_totals": [breakdown.total(verification=v) for v in Verification.values],
        "verification_levels": Verification.choices,
    }


def district_row(district, breakdown, category, columns, tree, names):
    """A district's row of the table by district (None: the sites beyond every district):
    its counts by condition and verification level, each with its listing's address;
    ``tree`` is ``place_tree()``, ``names`` ``selectors.localized_place_names()``."""
    slug = name = ""
    url = None
    if district is not None:
        _parent, _kind, slug, name = tree[district]
        name = names.get(district) or name
        url = listing_url(area=slug, category=category)
    by_condition = breakdown.summed("area", "condition")
    by_level = breakdown.summed("area", "verification")
    return {
        "district": district,
        "slug": slug,
        "name": name,
        "cells": [
            {
                "count": by_condition[(district, condition_id)],
                # "&condition=…" appended to the district's address, quoted once a label.
                "url": f"{url}&condition={query_value(label)}" if url and label else None,
            }
            for condition_id, label, _term in columns
        ],
        "total": breakdown.total(area=district),
        "url": url,
        "verification": [by_level[(district, level)] for level in Verification.values],
    }


def total_cells(breakdown, columns, **filters):
    """The bottom row of a table by condition: each condition's total and its listing."""
    return [
        {
            "count": breakdown.total(condition=condition_id),
            "url": listing_url(condition=label, **filters) if label else None,
        }
        for condition_id, label, _term in columns
    ]


def category_table(breakdown, area_slug=""):
    """Rows of (category value, label, [cells by condition], total) of ``breakdown``."""
    columns = condition_columns()
    rows = []
    for value, label in SiteCategory.choices:
        total = breakdown.total(category=value)
        if not total:
            continue
        cells = [
            {
                "count": breakdown.total(category=value, condition=condition_id),
                "url": listing_url(area=area_slug, category=value, condition=condition_label)
                if condition_label
                else None,
            }
            for condition_id, condition_label, _term in columns
        ]
        rows.append(
            {
                "category": value,
                "label": label,
                "cells": cells,
                "total": total,
                "url": listing_url(area=area_slug, category=value),
                "verification": [
                    breakdown.total(category=value, verification=level)
                    for level in Verification.values
                ],
            }
        )
    return {
        "columns": columns,
        "rows": rows,
        "totals": total_cells(breakdown, columns, area=area_slug),
        "total": breakdown.total(),
        "total_url": listing_url(area=area_slug),
        "verification_totals": [breakdown.total(verification=v) for v in Verification.values],
        "verification_levels": Verification.choices,
    }


def assessment_months():
    """{(year, month): sites} of the public sites with a public assessment made in that
    month (a site assessed twice in a month counts once): the sums of the maintained
    counts, cached until the counts change."""

    def compute():
        rows = (
            AssessmentMonthCount.objects.filter(place__parent__isnull=True)
            .values("year", "month")
            .order_by()
            .annotate(total=Sum("sites"))
        )
        return {(row["year"], row["month"]): row["total"] for row in rows}

    return cached_counts("assessment-months", compute, (AssessmentMonthCount,))


def assessment_years():
    """{year: sites} of the public sites with a public assessment made in that year (a site
    assessed twice in a year counts once): the sums of the maintained counts, cached until
    they change."""

    def compute():
        rows = (
            AssessedYearCount.objects.filter(place__parent__isnull=True)
            .values("year")
            .order_by()
            .annotate(total=Sum("sites"))
        )
        return {row["year"]: row["total"] for row in rows}

    return cached_counts("assessment-years", compute, (AssessedYearCount,))


def month_table(months, years):
    """Rows by year, with twelve cells and the year's own count (``years``: a site assessed
    in two months counts once), each linking to the listing of the sites assessed in that
    period."""
    rows = []
    for year in sorted({year for year, _month in months} | set(years)):
        cells = []
        for month in range(1, 13):
            count = months.get((year, month), 0)
            last = calendar.monthrange(year, month)[1]
            cells.append(
                {
                    "count": count,
                    "url": listing_url(
                        assessed_from=datetime.date(year, month, 1).isoformat(),
                        assessed_to=datetime.date(year, month, last).isoformat(),
                    ),
                }
            )
        whole = {
            "count": years.get(year, 0),
            "url": listing_url(assessed_from=f"{year}-01-01", assessed_to=f"{year}-12-31"),
        }
        rows.append({"year": year, "cells": cells, "whole": whole})
    return rows


def damage_years():
    """The public sites whose public assessments date a disturbance, by year:
    {"years": [(year, sites where it began, sites where it happened before)], "undated":
    sites with an undated disturbance}; the sums of the maintained counts, cached until
    the counts change."""

    def compute():
        rows = (
            DamageYearCount.objects.filter(place__parent__isnull=True)
            .values("year", "dating")
            .order_by()
            .annotate(total=Sum("sites"))
        )
        years, undated = defaultdict(lambda: [0, 0]), 0
        for row in rows:
            if row["dating"] == DamageDating.UNDATED:
                undated += row["total"]
            else:
                years[row["year"]][row["dating"] == DamageDating.BEFORE] += row["total"]
        return {"years": sorted((y, a, b) for y, (a, b) in years.items()), "undated": undated}

    return cached_counts("damage-years", compute, (DamageYearCount,))


def public_figures_with_category(place_ids=None):
    """Published figures of a category of site, with a published source: in an area (its
    place among ``place_ids``), or every one."""
    figures = (
        ReportedFigure.objects.public()
        .filter(source__in=Source.objects.public())
        .select_related("source", "reported_by", "area")
        .order_by("figure_set", "id")
    )
    if place_ids is not None:
        figures = figures.filter(area_id__in=place_ids)
    return figures


def figures_beside_register(figures):
    """Each figure with what the register documents for its category and area: the count
    of public sites and the address of their listing (None where the figure names no
    category). Two queries of the maintained counts at most, whatever the figures."""
    figures = list(figures)
    counted = [figure for figure in figures if figure.category]
    areas = {figure.area_id for figure in counted if figure.area_id is not None}
    categories = {figure.category for figure in counted}
    documented = Counter()
    if areas:
        rows = (
            SiteCount.objects.filter(place_id__in=areas, category__in=categories)
            .values_list("place_id", "category")
            .order_by()
            .annotate(total=Sum("sites"))
        )
        for place_id, category, total in rows:
            documented[(place_id, category)] += total
    if any(figure.area_id is None for figure in counted):
        for row in selectors.register_count_rows("category"):
            documented[(None, row["category"])] += row["count"]
    result = []
    for figure in figures:
        count = url = None
        if figure.category:
            count = documented[(figure.area_id, figure.category)]
            url = listing_url(
                area=figure.area.slug if figure.area else "", category=figure.category
            )
        result.append({"figure": figure, "documented": count, "url": url})
    return result


def area_sources(place, place_ids, limit=50):
    """Published sources cited by the public sites of ``place`` and the places below it
    (from the maintained :class:`inspections.models.CitedSourceCount`), or by the published
    figures of these places (``place_ids``): the first ``limit`` by title."""
    cited = CitedSourceCount.objects.filter(place=place).values("source_id")
    counted = ReportedFigure.objects.public().filter(area_id__in=place_ids).values("source_id")
    return (
        Source.objects.public()
        .filter(Q(pk__in=cited) | Q(pk__in=counted))
        .order_by("title", "id")[:limit]
    )
