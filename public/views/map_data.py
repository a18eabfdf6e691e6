"""``/sites/map.json``: what the map of sites shows of the part of the world it displays.

Parameters: the listing's filters (see :class:`public.filters.SiteFilter`), and ``bbox``
(``west,south,east,north`` in decimal degrees) with ``zoom`` (a whole number from 0 to
``MAX_ZOOM``). Without ``bbox`` and ``zoom`` the answer is the extent of the matching sites,
for the map's first view. A malformed or out-of-range value is a JSON 400 with a message.

Below ``SITE_ZOOM`` the sites of the box are counted by condition on a grid computed in the
database (``GROUP BY`` on the cell's row and column, on SQLite and PostgreSQL alike); the
cells are cached in blocks of ``BLOCK`` × ``BLOCK`` under the register's version, so that
panning reads most of them from the cache. When the box holds few sites, or from
``SITE_ZOOM`` on, the sites themselves are sent, at most ``MAX_SITES`` of them and never
more than ``MAX_SITE_BYTES`` of JSON; ``truncated`` then says that there are more. A box
wider or taller than ``MAX_CELLS_PER_AXIS`` cells of the finest grid (about 0.7 degrees)
is counted at any zoom: reading its sites would read a whole region's.

A site whose location is withheld is placed where the public pages place it: at its
place's point (``Site.public_coordinates``), never its own coordinates.
"""

import calendar
import datetime
import hashlib
import json
import math
from typing import NamedTuple

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Cast, Floor
from django.http import JsonResponse, QueryDict
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET

from heritage.cache import TIMEOUT, cached, cached_counts, cached_under, current_version
from heritage.models import Place, Site, SiteCategory
from heritage.models.site_search import (
    BROAD_COUNT_LIMIT,
    SHORT_WORD_SECONDS,
    AmongIntegers,
    has_short_word,
)
from heritage.query_budget import OverBudget, within
from inspections.json_entries import PickedKeys
from inspections.map_cells import (
    BLOCK,
    MICRO,
    PAIRED_MONTHS,
    assessed_month_label,
    block_tokens,
    category_label,
    category_year_label,
    cells_holding,
    count_key,
    earliest_day_label,
    earliest_month_label,
    earliest_year_label,
    extent,
    generation,
    keys_extent,
    latest_day_label,
    latest_month_label,
    latest_year_label,
    map_epoch,
    month_pair_label,
    months_apart,
    organisation_label,
    organisation_level_label,
    period_of,
    verification_label,
    year_label,
    year_pair_label,
    year_source,
)
from inspections.models import ConditionStatus, MapCell, SiteCount
from inspections.models.map_cells import FINE_ZOOM
from inspections.models.map_cells import cell_size as cell_size
from public import selectors, statistics
from public.filters import SiteFilter
from public.filters.sites import (
    READ_FROM_SITES,
    conditions_given,
    whole_years,
)
from public.views.listing import describe_error
from public.views.sites import maintained_count, short_words_too_slow

#: Parameters of the map itself; every other one is a filter of the listing.
MAP_PARAMETERS = ("bbox", "zoom")
#: Filters the maintained cells count by (the listing's order changes nothing on a map).
COUNTED_PARAMETERS = ("category", "condition", "sort")
#: The area filters, which the cells count by when the area holds every site.
AREA_PARAMETERS = ("area", "area_name")
#: The assessment filters the cells count by (``MapCell.facets``, ``organisation_levels``,
#: ``category_facets``, ``years``, ``latest_years``, ``earliest_years`` and ``year_pairs``,
#: and the rows of years, ``MapCellYear``): one of
#: them at a time (the dates as whole calendar years, whole months up to ``PAIRED_MONTHS``
#: of them, up to a day, or from a day on), or an organisation with a level; the dates with
#: a category as one whole year.
FACET_PARAMETERS = ("organisation", "verification", "assessed_from", "assessed_to")
#: Filters whose sites change only with a recount of their cells: what they read (a site's
#: category, public point, latest condition, published assessments and the organisations of
#: its published visits) is what ``inspections.map_cells`` recounts the site's cells after,
#: which gives their blocks new tokens (``forget_regions``). Not an area (a place moved to
#: another parent moves its sites out of an area and leaves their points where they were), nor
#: a text search (names).
REGIONAL_PARAMETERS = COUNTED_PARAMETERS + FACET_PARAMETERS
MAX_ZOOM = 20
#: From this zoom on, the sites themselves are sent rather than counts (``FINE_ZOOM`` is the
#: finest grid kept).
SITE_ZOOM = FINE_ZOOM + 1
#: A box with at most this many matching sites gets the sites themselves at any zoom.
FEW_SITES = 100
MAX_SITES = 500
#: The sites' part of an answer stays under this many bytes of JSON (names may be long).
MAX_SITE_BYTES = 150_000
#: Keys a query of a filtered map's extent tests at most (``counted_bounds``).
KEYS_PER_TEST = 200
#: Whole years in a row read from the cells at most (``years_between``): 40 years name 780
#: pairs, a key each by condition, which SQLite takes as one parameter each.
MAX_PAIRED_YEARS = 40
#: A box wider or taller than this many cells is counted on coarser cells.
MAX_CELLS_PER_AXIS = 32


class BadParameter(Exception):
    pass


def parse_zoom(value):
    if value is None or not value.isdigit() or int(value) > MAX_ZOOM:
        raise BadParameter(
            gettext("Parameter “zoom”: a whole number from 0 to %(max)d.") % {"max": MAX_ZOOM}
        )
    return int(value)


def parse_bbox(value):
    message = gettext(
        "Parameter “bbox”: west,south,east,north in decimal degrees, west before east and "
        "south before north, longitudes from -180 to 180, latitudes from -90 to 90."
    )
    parts = (value or "").split(",")
    if len(parts) != 4:
        raise BadParameter(message)
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BadParameter(message) from None
    if not all(math.isfinite(number) for number in (west, south, east, north)):
        raise BadParameter(message)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadParameter(message)
    return west, south, east, north


def public_point():
    """(latitude, longitude) expressions of the point the public may see of a site."""
    withheld = Q(location_precision=Site.Precision.WITHHELD)
    latitude = Case(When(withheld, then=F("place__latitude")), default=F("latitude"))
    longitude = Case(When(withheld, then=F("place__longitude")), default=F("longitude"))
    return latitude, longitude


def in_box(west, south, east, north):
    """Sites whose public point is in the box, written so that an index on the sites' (or
    the places') coordinates can serve it."""
    withheld = Q(location_precision=Site.Precision.WITHHELD)
    return (
        ~withheld
        & Q(latitude__gte=south, latitude__lte=north)
        & Q(longitude__gte=west, longitude__lte=east)
    ) | (
        withheld
        & Q(place__latitude__gte=south, place__latitude__lte=north)
        & Q(place__longitude__gte=west, place__longitude__lte=east)
    )


def filter_key(request):
    """A digest of the filters (the parameters other than the map's), in a fixed order."""
    items = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in MAP_PARAMETERS
        for value in values
    )
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:32]


class Facet(NamedTuple):
    """What the maintained cells count of the sites that assessment filters ask for
    (``map_facet``): ``sources``, ((``MapCell`` field, labels), ...), a year's rows of the
    cells (``MapCellYear``) as ``year_source`` names them (``*years:2022``, and the rows of a
    month's days ``*years:2022-03``); and
    ``subtracted``, ((field, labels), ...) whose counts are taken away from those of the
    sources (the pairs of years of ``years_between``, the pairs of months of
    ``months_between``)."""

    sources: tuple
    subtracted: tuple = ()


def map_facet(filterset):
    """The ``Facet`` of the sites the assessment filters ask for, when the cells count
    them, or None: one organisation or one verification level, with a category or not; one
    organisation with one level (of one and the same assessment), without a category;
    assessments dated from the first day of a year to the last of it (as the statistics link
    them) or of a later one (``years_between``), from the first day of a month to the last
    of it or of a later one (``months_between``), up to a day (``earliest_until``), or from a
    day on (``latest_since``), without a category, or with one a whole year (the cells count no
    other dates by category);
    never dates with another assessment filter (the filters apply together to one
    assessment).
    Worked out once for a filter set."""
    if not hasattr(filterset, "map_facet"):
        filterset.map_facet = find_facet(filterset.form.cleaned_data)
    return filterset.map_facet


def find_facet(data):
    given = conditions_given(data)
    label = None
    if given == ["organisation"]:
        label = organisation_label(data["organisation"].pk)
    elif given == ["verification"]:
        label = verification_label(data["verification"])
    category = data.get("category")
    if given == ["organisation", "verification"]:
        # One and the same assessment of that organisation and that level; not by category.
        pair = organisation_level_label(data["organisation"].pk, data["verification"])
        return None if category else Facet((("organisation_levels", (pair,)),))
    if label is not None:
        if category:
            return Facet((("category_facets", (category_label(category, label),)),))
        return Facet((("facets", (label,)),))
    years = whole_years(data)
    if category:
        if given == ["assessed_from", "assessed_to"] and years and years[0] == years[1]:
            return Facet(((year_source(years[0]), (category_year_label(category, years[0]),)),))
        return None
    if given == ["assessed_from", "assessed_to"] and years is not None:
        return years_between(*years)
    months = whole_months(data)
    if given == ["assessed_from", "assessed_to"] and months is not None:
        return months_between(*months)
    if given == ["assessed_to"]:
        return earliest_until(data["assessed_to"])
    if given == ["assessed_from"]:
        return latest_since(data["assessed_from"])
    return None


def years_between(first, last):
    """The ``Facet`` of the sites assessed from the first day of the year ``first`` to the
    last day of the year ``last``: each year's sites (``year_label``), less, from two years
    on, the sites of each pair of years between them (``year_pair_label``: two years in a
    row of a site's assessed years), so that a site counts once however many of the years
    it was assessed in. Of more than one year, only the years assessed are named
    (``assessed_years``); more than ``MAX_PAIRED_YEARS`` of them are counted from the sites
    (None): their pairs' keys grow as the square of their number."""
    if first == last:
        return Facet((("years", (year_label(first),)),))
    assessed = assessed_years()
    if assessed[0] is not None:
        first, last = max(first, assessed[0]), min(last, assessed[1])
    if assessed[0] is None or first > last:
        return Facet((("years", ()),))
    years = range(first, last + 1)
    if len(years) > MAX_PAIRED_YEARS:
        return None
    pairs = tuple(year_pair_label(a, b) for a in years for b in years if a < b)
    if not pairs:
        return Facet((("years", (year_label(first),)),))
    return Facet(
        (("years", tuple(year_label(year) for year in years)),),
        subtracted=(("year_pairs", pairs),),
    )


def whole_months(data):
    """(first, last) months, as the dates of their first days, when the assessment dates of
    ``data`` are the first day of one month and the last day of it or of a later one, or
    None."""
    start, end = data.get("assessed_from"), data.get("assessed_to")
    if not (start and end and start.day == 1 and start <= end):
        return None
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        return None
    return start, end.replace(day=1)


def months_between(first, last):
    """The ``Facet`` of the sites assessed from the first day of the month ``first`` to the
    last day of the month ``last`` (a quarter, the first half of a year): each month's sites
    (``assessed_month_label``), less the sites of each pair of months between them
    (``month_pair_label``: two months in a row of a site's assessed months), so that a site
    counts once however many of the months it was assessed in; only the months assessed
    are named (``statistics.assessment_months``). ``PAIRED_MONTHS`` months in a row or more
    are counted from the sites (None): their pairs further apart are not counted."""
    if months_apart(first, last) >= PAIRED_MONTHS:
        return None
    months = [
        datetime.date(year, month, 1)
        for (year, month), sites in sorted(statistics.assessment_months().items())
        if sites and first <= datetime.date(year, month, 1) <= last
    ]
    if not months:
        return Facet((("years", ()),))
    pairs = [month_pair_label(month, then) for month in months for then in months if month < then]
    return Facet(
        by_year([assessed_month_label(month) for month in months]),
        subtracted=by_year(pairs),
    )


def by_year(labels):
    """((``year_source``, its labels), ...) of ``labels`` of the rows of years, by the row
    that holds each (``period_of``), in their order."""
    parts = {}
    for label in labels:
        parts.setdefault(period_of(label), []).append(label)
    return tuple((year_source(*period), tuple(found)) for period, found in parts.items())


def latest_since(start):
    """The ``Facet`` of the sites assessed on or after ``start``: those whose latest
    published assessment is. Its year's own, from its first day (``latest_year_label``),
    and each later year's up to the last assessment's; from another day, the later years',
    the months of its year after its month (``latest_month_label``), its month's too from
    its first day, and from any other day the days of its month from it on
    (``latest_day_label``): the months from its year's rows of the cells, the days from its
    month's (``MapCellYear``), a query each."""
    first, last = assessed_years()
    if first is None or start.year > last:
        return Facet((("latest_years", ()),))
    if start.year < first:
        start = datetime.date(first, 1, 1)
    if (start.month, start.day) == (1, 1):
        labels = tuple(latest_year_label(year) for year in range(start.year, last + 1))
        return Facet((("latest_years", labels),))
    years = tuple(latest_year_label(year) for year in range(start.year + 1, last + 1))
    from_month = start.month if start.day == 1 else start.month + 1
    months = tuple(
        latest_month_label(datetime.date(start.year, month, 1)) for month in range(from_month, 13)
    )
    days = ()
    if start.day != 1:
        month_end = calendar.monthrange(start.year, start.month)[1]
        days = tuple(
            latest_day_label(start.replace(day=day)) for day in range(start.day, month_end + 1)
        )
    return dated_facet(("latest_years", years), start, months, days)


def dated_facet(years, date, months, days):
    """The ``Facet`` of ``years`` ((a field of the cells, its keys)), ``months`` of the rows
    of the year of ``date`` and ``days`` of the rows of its month (``MapCellYear``), without
    the rows of which no key is asked for: ``latest_since`` and ``earliest_until``."""
    sources = [years]
    if months:
        sources.append((year_source(date.year), months))
    if days:
        sources.append((year_source(date.year, date.month), days))
    return Facet(tuple(sources))


def earliest_until(end):
    """The ``Facet`` of the sites assessed on or before ``end``: those whose earliest
    published assessment is. Up to the last day of a year, that year's and each earlier
    year's from the first assessed (``earliest_year_label``); up to another day, the earlier
    years', the months of its year before its month (``earliest_month_label``), its month's
    too up to its last day, and up to any other day the days of its month up to it
    (``earliest_day_label``): the months from its year's rows of the cells, the days from its
    month's (``MapCellYear``), a query each. The mirror of ``latest_since``."""
    first, last = assessed_years()
    if first is None or end.year < first:
        return Facet((("earliest_years", ()),))
    if end.year > last:
        end = datetime.date(last, 12, 31)
    if (end.month, end.day) == (12, 31):
        labels = tuple(earliest_year_label(year) for year in range(first, end.year + 1))
        return Facet((("earliest_years", labels),))
    years = tuple(earliest_year_label(year) for year in range(first, end.year))
    month_end = calendar.monthrange(end.year, end.month)[1]
    to_month = end.month if end.day == month_end else end.month - 1
    months = tuple(
        earliest_month_label(datetime.date(end.year, month, 1)) for month in range(1, to_month + 1)
    )
    days = ()
    if end.day != month_end:
        days = tuple(earliest_day_label(end.replace(day=day)) for day in range(1, end.day + 1))
    return dated_facet(("earliest_years", years), end, months, days)


def assessed_years():
    """(first, last) year of the published assessments of public sites, or (None, None),
    from the maintained counts (``statistics.assessment_years``). The labels of the years
    since a date are those of the years between (a year 1 asked for named 2,024 years, too
    many keys for SQLite to test in one expression)."""
    years = statistics.assessment_years()
    return (min(years), max(years)) if years else (None, None)


def counted_keys(filterset):
    """(((``MapCell`` field, [category or labels]), ...), [condition ids]): the cells' keys
    that count the sites of the category or facet (``map_facet``) the filters ask for,
    under the condition asked for or any; or None without either."""
    facet = map_facet(filterset)
    category = filterset.form.cleaned_data.get("category") or None
    if facet is None and category is None:
        return None
    condition = filterset.form.cleaned_data.get("condition")
    conditions = [condition.pk] if condition else [pk for pk, *_names in condition_legend()]
    if facet is None:
        return (("counts", (category,)),), conditions
    return facet.sources, conditions


def counted_filters(request, filterset):
    """True when the filters are only those the map's cells are counted by (category and
    condition; the listing's order changes nothing on a map; or one organisation, one
    verification level or both, whole years, the sites assessed up to a day or since one,
    ``map_facet``), or an area that holds every public site (``whole_register``): the map
    reads the cells. Any other filter is counted from the sites."""
    counted = COUNTED_PARAMETERS
    if map_facet(filterset) is not None:
        counted += FACET_PARAMETERS
    if whole_register(filterset):
        counted += AREA_PARAMETERS
    if every_site_found(filterset):
        counted += ("q",)
    return filters_among(request, counted)


def filters_among(request, names):
    """True when every filter given (a parameter other than the map's, with a value) is one
    of ``names``."""
    return all(
        name in MAP_PARAMETERS or name in names or not value
        for name, values in request.GET.lists()
        for value in values
    )


def every_site_found(filterset):
    """Whether the text search (run already: ``filterset.qs``) finds every public site: a
    wide search each of whose words names places that hold every public site, by the
    maintained counts (a query a word, cached until they change). A country's name, in a
    register of one country, filters nothing; counted from the sites, its map read the
    whole register (at 500,000 sites, 1.1-1.3 s on PostgreSQL, 1.2 s on SQLite)."""
    search = filterset.search
    if search is None or not search.wide:
        return False

    def compute():
        total = maintained_count({})()
        if not total:
            return False
        for word in search.words:
            # Each place's own rows: the places a word names include every place below them.
            held = SiteCount.objects.filter(
                AmongIntegers("place_id", search.places[word]), below=False
            ).aggregate(total=Sum("sites"))["total"]
            if held != total:
                return False
        return True

    words = hashlib.sha256(json.dumps(search.words).encode()).hexdigest()[:32]
    return cached_counts(f"map-every-site:{words}", compute, tables=("inspections.sitecount",))


def whole_register(filterset):
    """Whether the area filter's area holds every public site, by the maintained counts
    (two queries, cached until they change): a country, in a register of one country,
    filters nothing. Counted from the sites, the map of such an area read the whole
    register (at 500,000 sites, 1.2-1.4 s for the world's clusters on PostgreSQL)."""
    data = filterset.form.cleaned_data
    area = data.get("area") or data.get("area_name")
    if area is None or (data.get("area") and data.get("area_name")):
        return False

    def compute():
        total = maintained_count({})()
        return total > 0 and maintained_count({"area": area})() == total

    return cached_counts(
        f"map-whole-register:{area.pk}", compute, tables=("inspections.sitecount",)
    )


def count_cells(sites, zoom, rows, columns):
    """{(row, column): [latitude sum, longitude sum, {condition id: count}]} of the cells
    in the given ranges (inclusive), counted from the filtered ``sites`` in one query."""
    size = cell_size(zoom)
    latitude, longitude = public_point()
    box = in_box(
        max(columns[0] * size, -180),
        max(rows[0] * size, -90),
        min((columns[1] + 1) * size, 180),
        min((rows[1] + 1) * size, 90),
    )
    queryset = (
        sites.order_by()
        .filter(box)
        .annotate(
            cell_row=Cast(Floor(Cast(latitude, FloatField()) / size), IntegerField()),
            cell_column=Cast(Floor(Cast(longitude, FloatField()) / size), IntegerField()),
        )
        .values("cell_row", "cell_column", "status__condition_id")
        .annotate(
            number=Count("id"),
            mean_latitude=Avg(Cast(latitude, FloatField())),
            mean_longitude=Avg(Cast(longitude, FloatField())),
        )
    )
    cells = {}
    for row in queryset:
        key = (row["cell_row"], row["cell_column"])
        cell = cells.setdefault(key, [0.0, 0.0, {}])
        cell[0] += row["mean_latitude"] * row["number"]
        cell[1] += row["mean_longitude"] * row["number"]
        cell[2][row["status__condition_id"]] = row["number"]
    return cells


def read_cells(filterset, zoom, rows, columns):
    """The same as :func:`count_cells`, read from the maintained cells (``MapCell``): one
    query over at most the box's cells, whatever the number of sites. Without a category
    only the cells' counts by condition are read; for an organisation, a verification
    level or dates (``map_facet``), the fields of the cells that count them, a query a field
    (``counted_keys``; the labels taken away from a field read with those it counts)."""
    counted = counted_keys(filterset)
    condition = filterset.form.cleaned_data.get("condition")
    stored = MapCell.objects.filter(zoom=zoom, row__range=rows, column__range=columns)
    cells = {}
    if counted is None:
        wanted = None if condition is None else str(condition.pk)
        for row, column, conditions in stored.values_list("row", "column", "conditions"):
            latitude_sum, longitude_sum, by_condition = 0, 0, {}
            for key, (number, latitudes, longitudes) in conditions.items():
                if wanted is not None and key != wanted:
                    continue
                by_condition[int(key) if key else None] = number
                latitude_sum += latitudes
                longitude_sum += longitudes
            if by_condition:
                cells[(row, column)] = [latitude_sum / MICRO, longitude_sum / MICRO, by_condition]
        return cells
    sources, conditions = counted
    facet = map_facet(filterset)
    subtracted = facet.subtracted if facet is not None else ()
    # {field: {key: (condition id, sign)}}: one query a field, so that the labels counted
    # and those taken away from the same one (a year's months and their pairs) are read
    # together, each cell's value unpacked once.
    asked = {}
    for sources_, sign in ((sources, 1), (subtracted, -1)):
        for field, labels in sources_:
            names = asked.setdefault(field, {})
            for label in labels:
                for pk in conditions:
                    name = count_key(label, pk)
                    previous = names.get(name, (pk, 0))[1]
                    names[name] = (pk, previous + sign)
    sums = {}
    for field, names in asked.items():
        if names:
            holding, json_field = cells_holding(field)
            box = holding.filter(zoom=zoom, row__range=rows, column__range=columns)
            add_entries(sums, stored_entries(box, json_field, names), names)
    for key, (latitude_sum, longitude_sum, by_condition) in sums.items():
        # A condition's sites less those of the pairs of years may leave none.
        by_condition = {pk: number for pk, number in by_condition.items() if number}
        if by_condition:
            cells[key] = [latitude_sum / MICRO, longitude_sum / MICRO, by_condition]
    return cells


def stored_entries(stored, field, names):
    """(row, column, {key: entry} of those of ``names`` the cell holds, or None) of each cell
    of ``stored`` (``MapCell`` rows, or ``MapCellYear``'s of a year or a month), from ``field``
    (``cells_holding``), picked out by the database (``PickedKeys``)."""
    return stored.annotate(picked=PickedKeys(field, list(names))).values_list(
        "row", "column", "picked"
    )


def add_entries(sums, rows, names):
    """Add the entries of ``rows`` (``stored_entries``) that ``names`` ({key: (condition
    id, sign)}) asks for to ``sums``, {(row, column): [latitude sum, longitude sum,
    {condition id: sites}]} in millionths of a degree, each times its sign (-1: taken
    away). Only the entries a cell holds are visited, not every key asked for."""
    for row, column, entries in rows:
        if not entries:
            continue
        cell = None
        for name, entry in entries.items():
            wanted = names.get(name)
            if wanted is None or not entry:
                continue
            condition_id, sign = wanted
            if cell is None:
                cell = sums.setdefault((row, column), [0, 0, {}])
            counts = cell[2]
            counts[condition_id] = counts.get(condition_id, 0) + sign * entry[0]
            cell[0] += sign * entry[1]
            cell[1] += sign * entry[2]


def region_tokens(zoom, rows, columns):
    """{block: token} of the cache's blocks of ``zoom`` over the cell ranges."""
    return block_tokens(
        {
            (zoom, block_row, block_column)
            for block_row in range(rows[0] // BLOCK, rows[1] // BLOCK + 1)
            for block_column in range(columns[0] // BLOCK, columns[1] // BLOCK + 1)
        }
    )


def cell_ranges(zoom, box):
    west, south, east, north = box
    size = cell_size(zoom)
    rows = (math.floor(south / size), math.floor(north / size))
    columns = (math.floor(west / size), math.floor(east / size))
    return rows, columns


def grid(filterset, from_cells, filters, zoom, box, prefix, tokens):
    """The blocks of cells that cover ``box`` at ``zoom``, whose ``tokens`` are
    ``region_tokens`` of its cell ranges: [(the block's cache key, its cells
    [(row, column, latitude, longitude, {condition id: count})], those outside the box
    included)], read from the cache; the missing blocks read from the maintained cells when
    ``from_cells``, a query for each field of the cells read (``read_cells``), or else
    counted from the matching sites (``filterset.qs``) in one query, which is not made when
    every block is cached. A block's cache key carries its region's token, which a change
    within it replaces; ``in_view`` keeps the cells of the box."""
    blocks = sorted(tokens)
    keys = {
        block: f"{prefix}:{filters}:{block[0]}:{block[1]}:{block[2]}:{tokens[block]}"
        for block in blocks
    }
    found = cache.get_many(keys.values())
    missing = [block for block in blocks if keys[block] not in found]
    if missing:
        ranges = (
            (
                min(block[1] for block in missing) * BLOCK,
                max(block[1] for block in missing) * BLOCK + BLOCK - 1,
            ),
            (
                min(block[2] for block in missing) * BLOCK,
                max(block[2] for block in missing) * BLOCK + BLOCK - 1,
            ),
        )
        if from_cells:
            counted = read_cells(filterset, zoom, *ranges)
        else:
            counted = count_cells(filterset.qs, zoom, *ranges)
        fresh = {keys[block]: [] for block in missing}
        for (row, column), (latitude_sum, longitude_sum, counts) in counted.items():
            block = (zoom, row // BLOCK, column // BLOCK)
            if block in missing:
                total = sum(counts.values())
                fresh[keys[block]].append(
                    (row, column, latitude_sum / total, longitude_sum / total, counts)
                )
        cache.set_many(fresh, timeout=TIMEOUT)
        found.update(fresh)
    return [(keys[block], found[keys[block]]) for block in blocks]


def in_view(cells, zoom, box):
    """The ``cells`` of a block (cells or anything made of them, row and column first) that
    lie in ``box``."""
    rows, columns = cell_ranges(zoom, box)
    return [
        cell
        for cell in cells
        if rows[0] <= cell[0] <= rows[1] and columns[0] <= cell[1] <= columns[1]
    ]


def grid_zoom(zoom, box):
    """The zoom whose cells count ``box``: coarser than ``zoom`` when the box is wider or
    taller than ``MAX_CELLS_PER_AXIS`` cells of its own zoom."""
    west, south, east, north = box
    while zoom > 0 and max(east - west, north - south) / cell_size(zoom) > MAX_CELLS_PER_AXIS:
        zoom -= 1
    return zoom


def condition_legend():
    """[(condition id or None, English label or None, label in the visitor's language)]."""
    terms = selectors.overall_condition_terms()
    return [(term.pk, term.label, term.localized_label()) for term in terms] + [
        (None, None, gettext("Not assessed"))
    ]


class ClusterLabels:
    """The labels of an answer's clusters ("12 sites: 5 Destroyed, 7 Good"), their phrases
    translated once an answer rather than once a cluster and condition (at a district's
    zoom an answer holds a few hundred clusters)."""

    def __init__(self, legend):
        self.legend = legend
        self.part = gettext("%(number)s %(condition)s")
        self.wholes = {}

    def whole(self, total):
        phrase = self.wholes.get(total)
        if phrase is None:
            phrase = self.wholes[total] = ngettext(
                "%(count)s site: %(conditions)s", "%(count)s sites: %(conditions)s", total
            )
        return phrase

    def __call__(self, total, counts):
        parts = [
            self.part % {"number": counts[pk], "condition": label}
            for pk, _label, label in self.legend
            if counts.get(pk)
        ]
        return self.whole(total) % {"count": total, "conditions": ", ".join(parts)}


def cluster(cell, order, label_of):
    """A cell as the map draws it: its point, its counts in the legend's ``order`` and its
    label."""
    _row, _column, latitude, longitude, counts = cell
    total = sum(counts.values())
    return {
        "lat": round(latitude, 5),
        "lon": round(longitude, 5),
        "count": total,
        "counts": [counts.get(pk, 0) for pk in order],
        "label": label_of(total, counts),
    }


def clusters_answer(blocks, zoom, box, legend):
    """The clusters of the cells of ``box`` from ``grid``'s ``blocks``. Each block's
    clusters, labelled in the visitor's language, are kept in the cache beside its cells
    (under the same key, so as long as they are), so that an answer after an edit elsewhere
    labels no cluster again: at a district's zoom an answer holds a few hundred. A block
    without sites has nothing to label or keep (most of the world's blocks)."""
    suffix = f":clusters:{get_language()}:{legend_key(legend)}"
    blocks = [(key, cells) for key, cells in blocks if cells]
    stored = cache.get_many([key + suffix for key, _cells in blocks])
    order = [pk for pk, _label, _name in legend]
    label_of = ClusterLabels(legend)
    fresh, clusters = {}, []
    for key, cells in blocks:
        labelled = stored.get(key + suffix)
        if labelled is None:
            labelled = fresh[key + suffix] = [
                (cell[0], cell[1], cluster(cell, order, label_of)) for cell in cells
            ]
        clusters += [drawn for _row, _column, drawn in in_view(labelled, zoom, box)]
    if fresh:
        cache.set_many(fresh, timeout=TIMEOUT)
    return clusters


SITE_FIELDS = (
    "pk",
    "slug",
    "localized_name",
    "category",
    "status__condition_id",
    "status__assessed_on",
    "status__inferred",
    "location_precision",
    "map_latitude",
    "map_longitude",
)


def site_rows(sites, box):
    """The first ``MAX_SITES`` + 1 sites of the box by id, in two queries that each follow
    an index: the sites shown at their own point through the (latitude, longitude) index,
    the withheld ones through the places in the box. The id order is applied to the box's
    rows (``+ 0`` keeps the planner from walking the primary key instead)."""
    west, south, east, north = box
    withheld = Q(location_precision=Site.Precision.WITHHELD)
    own = (
        sites.filter(~withheld)
        .filter(latitude__gte=south, latitude__lte=north)
        .filter(longitude__gte=west, longitude__lte=east)
        .annotate(map_latitude=F("latitude"), map_longitude=F("longitude"))
    )
    places = Place.objects.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    ).values("pk")
    hidden = sites.filter(withheld, place_id__in=places).annotate(
        map_latitude=F("place__latitude"), map_longitude=F("place__longitude")
    )
    rows = []
    for queryset in (own, hidden):
        rows += (
            queryset.with_localized_name()
            .annotate(order=F("pk") + 0)
            .order_by("order")
            .values(*SITE_FIELDS)[: MAX_SITES + 1]
        )
    rows.sort(key=lambda row: row["pk"])
    return rows[: MAX_SITES + 1]


#: Stands for the slug in the address of a dossier, built once per answer.
SLUG_MARK = "site-slug-mark"


def sites_answer(rows, legend):
    conditions = {pk: (label, name) for pk, label, name in legend}
    categories = {value: str(label) for value, label in SiteCategory.choices}
    statuses = {status: str(status.label) for status in ConditionStatus}
    # Slugs hold only letters, digits, hyphens and underscores: nothing to quote.
    address = Site(slug=SLUG_MARK).get_absolute_url()
    sites, size = [], 0
    truncated = len(rows) > MAX_SITES
    for row in rows[:MAX_SITES]:
        condition, condition_label = conditions.get(row["status__condition_id"], (None, None))
        status = ConditionStatus.of(row["status__condition_id"], row["status__assessed_on"])
        site = {
            "lat": float(row["map_latitude"]),
            "lon": float(row["map_longitude"]),
            "name": row["localized_name"],
            "url": address.replace(SLUG_MARK, row["slug"]),
            "category_label": categories.get(row["category"], row["category"]),
            "condition": condition,
            "condition_label": condition_label if condition else statuses[status],
            "condition_status": status.value,
            "condition_inferred": bool(row["status__inferred"]),
            "location_precision": row["location_precision"],
        }
        size += len(json.dumps(site, ensure_ascii=False).encode())
        if size > MAX_SITE_BYTES:
            truncated = True
            break
        sites.append(site)
    return sites, truncated


def counted_bounds(filterset):
    """[[south, west], [north, east]] of the fine cells (about 2.4 km a side) that hold the
    matching sites' public points, or None, from the maintained cells: without filters one
    query over the cells' index (``extent``), with a category, a condition or a facet
    (``map_facet``) three for each field that test the keys they are counted under in the
    database (``keys_extent``)."""
    counted = counted_keys(filterset)
    condition = filterset.form.cleaned_data.get("condition")
    if counted is None and condition is None:
        found = extent()
    elif counted is None:
        found = keys_extent("conditions", [str(condition.pk)])
    else:
        sources, conditions = counted
        extents = []
        for field, labels in sources:
            keys = [count_key(label, pk) for label in labels for pk in conditions]
            # A few hundred keys a test: SQLite nests each in the expression before it, and
            # refuses one deeper than 1,000.
            extents += [
                keys_extent(field, keys[start : start + KEYS_PER_TEST])
                for start in range(0, len(keys), KEYS_PER_TEST)
            ]
        extents = [found for found in extents if found is not None]
        found = None
        if extents:
            found = (
                min(extent[0] for extent in extents),
                min(extent[1] for extent in extents),
                max(extent[2] for extent in extents),
                max(extent[3] for extent in extents),
            )
    if found is None:
        return None
    size = cell_size(FINE_ZOOM)
    south, west, north, east = found
    return [
        [max(south * size, -90.0), max(west * size, -180.0)],
        [min((north + 1) * size, 90.0), min((east + 1) * size, 180.0)],
    ]


def points_extent(sites):
    """[[south, west], [north, east]] of the public points of ``sites``, or None: one query."""
    latitude, longitude = public_point()
    extent = (
        sites.order_by()
        .annotate(map_latitude=latitude, map_longitude=longitude)
        .filter(map_latitude__isnull=False, map_longitude__isnull=False)
        .aggregate(
            south=Min("map_latitude"),
            north=Max("map_latitude"),
            west=Min("map_longitude"),
            east=Max("map_longitude"),
        )
    )
    if extent["south"] is None:
        return None
    return [
        [float(extent["south"]), float(extent["west"])],
        [float(extent["north"]), float(extent["east"])],
    ]


def bounds(filterset, filters, prefix, regional):
    """[[south, west], [north, east]] of the matching sites' public points, or None,
    counted from the sites (filters the maintained cells are not counted by): cached under
    the register's version, or, for ``regional`` filters (``REGIONAL_PARAMETERS``), until
    the map's cells change anywhere (``map_epoch``). At 500,000 sites the extent of the
    sites assessed in the first half of a year read 22,000 sites, 0.24-0.29 s."""
    if not regional:
        return cached(f"map-bounds:{filters}", lambda: points_extent(filterset.qs))
    # In a list: an extent of no site (None) is cached too.
    key = f"{prefix}:bounds:{filters}:{map_epoch()}"
    return cached_under(key, lambda: [points_extent(filterset.qs)])[0]


def error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def legend_key(legend):
    return hashlib.sha256(json.dumps(legend, default=str).encode()).hexdigest()[:16]


class MapSiteFilter(SiteFilter):
    """The listing's filters, for a map that counts every matching site of its box."""

    every_site = True
    read_dates_first = True


#: Seconds of database time for a map with a filter of ``READ_FROM_SITES``: each site of the
#: box is tested against them (at 500,000 sites on SQLite, an organisation's sites in
#: a country's box took 1.8 s, a search for the country's name in a district 2.6 s).
READ_FILTER_SECONDS = 0.5


def listed_sites(request, search):
    """([ids], whether more match) of the sites that the listing lists for the same
    parameters: at most ``BROAD_COUNT_LIMIT``, in its order, read as the listing reads them
    for a broad search (``SiteSearch.broad``; ``search``, parsed already), site by site
    until it has them."""
    listing = SiteFilter(
        request.GET, queryset=Site.objects.public().order_by("name", "id"), request=request
    )
    listing.search = search
    ids = list(listing.qs.values_list("pk", flat=True)[: BROAD_COUNT_LIMIT + 1])
    return ids[:BROAD_COUNT_LIMIT], len(ids) > BROAD_COUNT_LIMIT


def only_listed(request, ids):
    """A filter set of the map's parameters alone over the sites ``ids``: what
    :func:`listed_sites` found for the filters."""
    data = QueryDict(mutable=True)
    for name in MAP_PARAMETERS:
        if name in request.GET:
            data[name] = request.GET[name]
    sites = Site.objects.public().with_latest_condition().filter(AmongIntegers("pk", ids))
    filterset = MapSiteFilter(data, queryset=sites, request=request)
    filterset.is_valid()
    return filterset


def too_slow_to_map():
    return gettext(
        "Mapping the sites these filters match took too long. Zoom in, or narrow the "
        "filters by area, category or condition."
    )


@require_GET
def map_data(request):
    """The map's data (see the module's docstring). A search with a word of one or two
    letters is answered within ``SHORT_WORD_SECONDS`` of database time, as the listing's
    is, and any other map whose filters the map reads from the sites (``READ_FROM_SITES``)
    within ``READ_FILTER_SECONDS``; or else with a 400 that says so."""
    if has_short_word(request.GET.get("q")):
        seconds, message = SHORT_WORD_SECONDS, short_words_too_slow()[2]
    elif any(request.GET.get(name) for name in READ_FROM_SITES):
        seconds, message = READ_FILTER_SECONDS, too_slow_to_map()
    else:
        return map_answer(request)
    try:
        with within(seconds):
            return map_answer(request)
    except OverBudget:
        pass
    if request.GET.get("q"):
        # A broad search, which the listing counts and lists only so far, maps the sites
        # that the listing lists when mapping every site it finds takes too long: "mosque",
        # in 41,777 names of 500,000 sites, took 0.6 s at a country's zoom on PostgreSQL.
        try:
            with within(seconds):
                answer = map_answer(request, listed=True)
        except OverBudget:
            answer = None
        if answer is not None:
            return answer
    return error(message)


def map_answer(request, listed=False):
    """The answer to ``request``; with ``listed``, None unless its text search is broad,
    whose map then shows the sites the listing lists (``listed_sites``) and says so."""
    filterset = MapSiteFilter(
        request.GET, queryset=Site.objects.public().with_latest_condition(), request=request
    )
    if not filterset.is_valid():
        return error(" ".join(describe_error(*item) for item in filterset.error_list()))
    try:
        if "bbox" not in request.GET and "zoom" not in request.GET:
            box, zoom = None, None
        else:
            zoom = parse_zoom(request.GET.get("zoom"))
            box = parse_bbox(request.GET.get("bbox"))
    except BadParameter as problem:
        return error(str(problem))
    # A street's sites are tested one by one: the box leaves few.
    filterset.read_dates_first = (
        box is None or zoom < SITE_ZOOM or grid_zoom(min(zoom, FINE_ZOOM), box) < FINE_ZOOM
    )
    more_listed = False
    if request.GET.get("q"):
        # Parses the text search (``filterset.search``), which ``counted_filters`` reads.
        filterset.qs  # noqa: B018
    if listed:
        if filterset.search is None or not filterset.search.broad:
            return None
        ids, more_listed = listed_sites(request, filterset.search)
        filterset = only_listed(request, ids)
    # The matching sites (``filterset.qs``) are read only when the cells do not count them
    # and a block is not cached: an assessment filter reads the ids of its sites first
    # (``SiteFilter``), 30 ms for an organisation's at 500,000 sites, which a map its cells
    # count does not need, nor a cached one.
    counted = counted_filters(request, filterset)
    # Filters the cells are not counted by read the sites, and an area or a text search
    # depends on other records (places, names): their cached blocks go with the register's
    # version. Not those of the assessment filters, counted by the cells or not: what they
    # read changes only with a recount of the sites' cells, which gives the blocks of those
    # cells new tokens (``REGIONAL_PARAMETERS``).
    prefix = f"register:map:{generation()}"
    facet = map_facet(filterset)
    regional = filters_among(request, REGIONAL_PARAMETERS)
    if not counted and not regional:
        prefix += f":{current_version()}"
    filters = filter_key(request) + (":listed" if listed else "")
    if counted and facet is not None:
        # The labels name an organisation by its id, not by the slug asked for, and the
        # years and months since a date up to the last assessment's.
        labels = json.dumps(facet, default=str)
        filters += f":{hashlib.sha256(labels.encode()).hexdigest()[:16]}"
    if box is None:
        if counted:
            return JsonResponse({"bounds": counted_bounds(filterset)})
        return JsonResponse({"bounds": bounds(filterset, filters, prefix, regional)})
    legend = condition_legend()
    answer = {
        "zoom": zoom,
        "conditions": [{"condition": label, "label": name} for _pk, label, name in legend],
    }
    counted_zoom = grid_zoom(min(zoom, FINE_ZOOM), box)
    # The tokens of the regions the box covers: the clusters' blocks and the sites are
    # cached under them.
    rows, columns = cell_ranges(counted_zoom, box)
    tokens = region_tokens(counted_zoom, rows, columns)
    # A box wider or taller than the finest grid's ``MAX_CELLS_PER_AXIS`` cells is counted
    # on a coarser grid whatever zoom it comes with: no map shows so much at ``SITE_ZOOM``,
    # and reading its sites read the whole register's (1.5 s at 500,000 sites on SQLite).
    if zoom < SITE_ZOOM or counted_zoom < FINE_ZOOM:
        blocks = grid(filterset, counted, filters, counted_zoom, box, prefix, tokens)
        total = sum(
            sum(cell[4].values())
            for _key, cells in blocks
            for cell in in_view(cells, counted_zoom, box)
        )
        if total > FEW_SITES:
            answer.update(
                mode="clusters",
                cell_size=cell_size(counted_zoom),
                total=total,
                clusters=clusters_answer(blocks, counted_zoom, box, legend),
            )
            return JsonResponse(more_sites_listed(answer) if more_listed else answer)

    # The sites of the box, cached under the tokens of the regions the box covers.
    key = "{}:sites:{}:{}:{}:{}:{}".format(
        prefix,
        filters,
        get_language(),
        legend_key(legend),
        ",".join(map(str, box)),
        hashlib.sha256(json.dumps(sorted(tokens.values())).encode()).hexdigest()[:16],
    )
    site_list = cache.get(key)
    if site_list is None:
        site_list = sites_answer(site_rows(filterset.qs, box), legend)
        cache.set(key, site_list, timeout=TIMEOUT)
    site_list, truncated = site_list
    answer.update(mode="sites", sites=site_list, truncated=truncated)
    if truncated:
        answer["message"] = gettext("More sites are here than the map shows: zoom in.")
    return JsonResponse(more_sites_listed(answer) if more_listed else answer)


def more_sites_listed(answer):
    """``answer``, saying that it shows only the sites the listing lists of a broad search
    (``listed_sites``), and how to see the others."""
    answer["truncated"] = True
    answer["message"] = gettext(
        "The map shows only the sites that the list gives first (%(count)s) of the many "
        "that match. Type more letters to narrow the search."
    ) % {"count": intcomma(BROAD_COUNT_LIMIT)}
    return answer
