"""Keep :class:`inspections.models.MapCell` in step with the public sites, and tell the map's
cache which regions changed.

A change recounts the cells of the finest grid (``FINE_ZOOM``) that it touches, whole, from
the sites: the cell a site was in and the cell it is in now (a withheld location counts at
its place's point, as every public page shows it). The difference between the new count of
a fine cell and the stored one is then added to the cell that holds it at every coarser
zoom; the sums are whole numbers (millionths of a degree), so adding and taking away is
exact and a coarse cell always equals the sum of its fine cells. ``rebuild_map_cells``
recounts every cell.

Besides its counts by category and condition, a cell counts its sites by the organisations
and the verification levels of their published assessments (``MapCell.facets``) and by the
years they were made in (``MapCell.years``), so that the map of one organisation's, one
level's or one year's sites reads cells too: a site is counted once under each organisation
that made one of its published assessments or whose published visit one was made on, once
under each level one of them states, once under each such organisation with the level of the
same assessment (``organisation_level_label``, ``MapCell.organisation_levels``), and once
under each year one of them is dated in. Each site also counts once under the year of its
latest published assessment (``latest_year_label``, ``MapCell.latest_years``): the sites
assessed since the first day of a year are those whose latest assessment is of that year or
a later one; the rows of its years (below) once under the month of it
(``latest_month_label``) and once under its day (``latest_day_label``), so that the sites
assessed since any other day are read from the years after its own, the row of its own year
(the months after its own) and the row of its month (the days of the rest of it). They
count it likewise under the year of its earliest published assessment
(``earliest_year_label``, ``MapCell.earliest_years``), and its year's rows under the month
and its month's under the day of it (``earliest_month_label``, ``earliest_day_label``): the
sites assessed up to a day are those whose earliest assessment is on or before it, read from
the earlier years, the earlier months of its year and the days of its month up to it. Each
two years in a row of a site's assessed years (``year_pair_label``, ``MapCell.year_pairs``)
count it once more, so that the sites assessed from the first day of a year to the last of a
later one are the counts of the years between less the counts of the pairs of years between:
a site assessed in three of them counts three times, less the two pairs. The organisations'
and levels' sites are counted by category too (``MapCell.category_facets``), for the map of
one organisation's mosques, say.

A cell's counts of the months of its sites' assessments are kept a row a year
(``MapCellYear``): a site counts once under each month of its published assessments
(``assessed_month_label``), once more under each two months in a row of them less than
``PAIRED_MONTHS`` apart (``month_pair_label``, in the row of the first month's year), for
the sites assessed from the first day of a month to the last of the same or a later one, up
to ``PAIRED_MONTHS`` months, read as the years are; once under each year of them by its
category (``category_year_label``), for the map of a year's mosques; and once under the month
and once under the day of its latest published assessment (``latest_month_label``,
``latest_day_label``), the month in its year's row and the day in its month's, and so of its
earliest (``earliest_month_label``, ``earliest_day_label``).

The receivers recount a site's cells whenever a site is saved or deleted in a way the map
shows, a place with withheld sites moves, or an import writes sites; ``inspections.status``
recounts after it refreshes the latest assessments (a site's condition). Each change also
gives the map's cached blocks (``public.views.map_data``) of its region a new token, once the
transaction commits, so that an edit in one district leaves the cached cells of the others
alone.
"""

import hashlib
import json
import math
import uuid
from collections import defaultdict
from itertools import groupby, pairwise
from operator import itemgetter
from sys import intern

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from heritage.base import PublicationStatus
from heritage.cache import bump_version, cached_under
from heritage.imports.writing import post_bulk_save, pre_bulk_save
from heritage.models import Organisation, Place, Site, SiteName
from heritage.models.site_search import AmongIntegers
from heritage.upkeep import not_while_loading
from inspections.json_entries import PatchedEntries, PickedKeys
from inspections.models import Assessment, MapCell, MapCellYear, Visit
from inspections.models.map_cells import FINE_ZOOM, cell_size

MICRO = 1_000_000
#: The map's cache keeps cells in square blocks of this many cells a side, per zoom; each
#: block has a token that a change within it replaces.
BLOCK = 8
#: The token of every block changes with this one (a rebuild).
GENERATION_KEY = "register:map-generation"
#: Fine cells recounted per query.
CELLS_PER_QUERY = 100
#: What the map reads of a site, where its public point is, and its id (last: the key of
#: its labels in ``tally``).
ENTRY_FIELDS = (
    "category",
    "status__condition_id",
    "latitude",
    "longitude",
    "location_precision",
    "place__latitude",
    "place__longitude",
    "pk",
)
#: What ``site_labels`` reads of a published assessment.
LABEL_FIELDS = (
    "site_id",
    "assessed_by_id",
    "verification",
    "assessed_on",
    "visit__organisations",
)
#: What ``field_of`` names for the keys kept in a cell's rows of years (``MapCellYear``).
YEARS = "*years"
#: Two months in a row of a site's assessed months (``month_pair_label``) are counted when
#: the later is less than this many months after the earlier: the map reads at most this
#: many months in a row from the cells (``public.views.map_data``), within which no pair
#: further apart lies.
PAIRED_MONTHS = 12
#: The ``MapCell`` field that holds the keys of each kind of label (its prefix).
LABEL_FIELD = {
    "o": "facets",
    "v": "facets",
    "w": "organisation_levels",
    "c": "category_facets",
    "y": "years",
    "l": "latest_years",
    "e": "earliest_years",
    "p": "year_pairs",
    # The keys of a cell's years (``MapCellYear``), a row a year or a month (``period_of``).
    "m": YEARS,
    "a": YEARS,
    "q": YEARS,
    "k": YEARS,
    "d": YEARS,
    "f": YEARS,
    "g": YEARS,
}
#: The kinds of label (prefixes) also counted by category (``category_label``).
CATEGORY_LABELS = ("o:", "v:")
#: The fields of a cell's counts.
COUNT_FIELDS = (
    "counts",
    "facets",
    "organisation_levels",
    "category_facets",
    "years",
    "latest_years",
    "earliest_years",
    "year_pairs",
)
#: The field that held the keys of each count field before migration 0050 gave them one of
#: their own: a migration's model from before it writes them there.
FORMER_FIELD = {
    "organisation_levels": "facets",
    "latest_years": "years",
    "earliest_years": "years",
}
#: Fields of a site that the map shows: a change of any of them empties its region's blocks.
SHOWN_FIELDS = (
    "publication_status",
    "category",
    "latitude",
    "longitude",
    "location_precision",
    "place_id",
    "name",
    "slug",
)
#: Of those, the fields that decide where and how a site is counted.
COUNTED_FIELDS = SHOWN_FIELDS[:6]
WITHHELD = Site.Precision.WITHHELD
#: A box read around a cell is this much wider on each side, in degrees, so that rounding
#: between the database's comparison and ``cell_of`` never leaves a site out; what the box
#: holds beyond the cell is dropped by ``cell_of``.
MARGIN = 1e-6


def public_point(precision, latitude, longitude, place_latitude, place_longitude):
    """The (latitude, longitude) the public sees of a site, or None."""
    if precision == WITHHELD:
        latitude, longitude = place_latitude, place_longitude
    if latitude is None or longitude is None:
        return None
    return latitude, longitude


def cell_of(latitude, longitude, zoom=FINE_ZOOM):
    size = cell_size(zoom)
    return math.floor(float(latitude) / size), math.floor(float(longitude) / size)


def micro(value):
    return round(value * MICRO)


def count_key(category, condition_id):
    return f"{category}|{'' if condition_id is None else condition_id}"


def organisation_label(organisation_id):
    """The label of an organisation's sites in ``MapCell.facets``."""
    return f"o:{organisation_id}"


def verification_label(level):
    """The label of the sites with an assessment of a verification level."""
    return f"v:{level}"


def organisation_level_label(organisation_id, level):
    """The label of the sites with an assessment of a verification level made by an
    organisation or on its visit (one and the same assessment), in
    ``MapCell.organisation_levels``."""
    return f"w:{organisation_id}:{level}"


def category_label(category, label):
    """The label of the sites of a category among those of an organisation's or a level's
    ``label`` (``c:mosque:o:7``), in ``MapCell.category_facets``."""
    return f"c:{category}:{label}"


def year_label(year):
    """The label of the sites with an assessment dated in a year."""
    return f"y:{year}"


def year_pair_label(first, then):
    """The label of the sites with published assessments dated in the years ``first`` and
    ``then`` and in none between them (two years in a row of a site's years)."""
    return f"p:{first}:{then}"


def latest_year_label(year):
    """The label of the sites whose latest published assessment is dated in a year."""
    return f"l:{year}"


def latest_month_label(date):
    """The label of the sites whose latest published assessment is dated in the month of
    ``date``."""
    return f"m:{date.year}-{date.month:02}"


def latest_day_label(date):
    """The label of the sites whose latest published assessment is dated ``date``."""
    return f"d:{date.isoformat()}"


def earliest_year_label(year):
    """The label of the sites whose earliest published assessment is dated in a year."""
    return f"e:{year}"


def earliest_month_label(date):
    """The label of the sites whose earliest published assessment is dated in the month of
    ``date``."""
    return f"f:{date.year}-{date.month:02}"


def earliest_day_label(date):
    """The label of the sites whose earliest published assessment is dated ``date``."""
    return f"g:{date.isoformat()}"


def assessed_month_label(date):
    """The label of the sites with a published assessment dated in the month of ``date``."""
    return f"a:{date.year}-{date.month:02}"


def month_pair_label(first, then):
    """The label of the sites with published assessments dated in the months of ``first``
    and of ``then`` and in none between them (two months in a row of a site's months)."""
    return f"q:{first.year}-{first.month:02}:{then.year}-{then.month:02}"


def category_year_label(category, year):
    """The label of the sites of a category with a published assessment dated in ``year``."""
    return f"k:{year}:{category}"


def months_apart(first, then):
    """The number of months from the month of the date ``first`` to that of ``then``."""
    return (then.year - first.year) * 12 + then.month - first.month


def period_of(key):
    """(year, month) of the row (``MapCellYear``) that holds a key of a cell's years (or its
    label): a day's in its month's row, any other in its year's (month 0), the year of its
    month, of its pair's first month or its own."""
    if key.startswith(("d:", "g:")):
        return int(key[2:6]), int(key[7:9])
    return int(key[2:6]), 0


def year_source(year, month=0):
    """The name of a year's rows of the cells (``MapCellYear``), or with ``month`` of the rows
    of that month's days, as a field of the cells' counts (``keys_extent``, the map's
    sources)."""
    return f"{YEARS}:{year}-{month:02}" if month else f"{YEARS}:{year}"


def cells_holding(field):
    """(rows of cells, their JSON field) that hold the keys of ``field``: ``MapCell``'s
    field, or the counts of a year's or a month's rows (``year_source``)."""
    if field.startswith(YEARS):
        year, _dash, month = field.rpartition(":")[2].partition("-")
        return MapCellYear.objects.filter(year=int(year), month=int(month or 0)), "counts"
    return MapCell.objects.all(), field


def field_of(key):
    """The ``MapCell`` field that holds a key of a cell's counts: a label's, by its prefix;
    a category's (which holds no colon), ``counts``."""
    prefix, colon, _rest = key.partition(":")
    return LABEL_FIELD[prefix] if colon else "counts"


def labels_of(rows):
    """{site id: frozenset of labels} from rows of ``LABEL_FIELDS`` (one published
    assessment and one organisation of its visit, or None, a row)."""
    labels, latest, earliest = defaultdict(set), {}, {}
    years, months = defaultdict(set), defaultdict(set)
    for site_id, organisation_id, level, assessed_on, visit_organisation_id in rows:
        found = labels[site_id]
        found.add(verification_label(level))
        found.add(year_label(assessed_on.year))
        years[site_id].add(assessed_on.year)
        months[site_id].add(assessed_on.replace(day=1))
        latest[site_id] = max(latest.get(site_id, assessed_on), assessed_on)
        earliest[site_id] = min(earliest.get(site_id, assessed_on), assessed_on)
        if organisation_id is not None:
            found.add(organisation_label(organisation_id))
            found.add(organisation_level_label(organisation_id, level))
        if visit_organisation_id is not None:
            found.add(organisation_label(visit_organisation_id))
            found.add(organisation_level_label(visit_organisation_id, level))
    for site_id, found in labels.items():
        found.add(latest_year_label(latest[site_id].year))
        found.add(latest_month_label(latest[site_id]))
        found.add(latest_day_label(latest[site_id]))
        found.add(earliest_year_label(earliest[site_id].year))
        found.add(earliest_month_label(earliest[site_id]))
        found.add(earliest_day_label(earliest[site_id]))
        found.update(year_pair_label(*pair) for pair in pairwise(sorted(years[site_id])))
        found.update(assessed_month_label(month) for month in months[site_id])
        found.update(
            month_pair_label(first, then)
            for first, then in pairwise(sorted(months[site_id]))
            if months_apart(first, then) < PAIRED_MONTHS
        )
    return {site_id: frozenset(found) for site_id, found in labels.items()}


def site_labels(site_ids):
    """{site id: labels} of the sites with these ids that have a published assessment: one
    query."""
    rows = Assessment.objects.published().order_by().values_list(*LABEL_FIELDS)
    return labels_of(rows.filter(AmongIntegers("site_id", site_ids)))


class LabelsInOrder:
    """The labels of sites asked for in increasing id order (``get``, as a dict's), read
    from rows of ``LABEL_FIELDS`` ordered by site id as they are asked for: a whole
    register's are never held at once (at 500,000 sites a dict of them took a gigabyte)."""

    def __init__(self, rows, left_out=()):
        self.groups = groupby(rows, key=itemgetter(0))
        self.site_id, self.labels = None, frozenset()
        #: Prefixes of labels not counted (``count_every_cell``).
        self.left_out = tuple(left_out)

    def get(self, site_id, default=()):
        while self.site_id is None or self.site_id < site_id:
            group = next(self.groups, None)
            if group is None:
                self.site_id, self.labels = math.inf, frozenset()
                break
            self.site_id, rows = group
            self.labels = labels_of(rows)[self.site_id]
            if self.left_out:
                self.labels = frozenset(
                    label for label in self.labels if not label.startswith(self.left_out)
                )
        return self.labels if self.site_id == site_id else default


def split(merged):
    """{field: its counts} of a cell's counts under every kind of key, for each of
    ``COUNT_FIELDS``; and those of its years (``MapCellYear``) under ``YEARS``, {(year,
    month): counts} (``period_of``)."""
    parts = {field: {} for field in (*COUNT_FIELDS, YEARS)}
    for key, values in merged.items():
        field = field_of(key)
        if field == YEARS:
            parts[field].setdefault(period_of(key), {})[key] = values
        else:
            parts[field][key] = values
    return parts


def merged_counts(cell):
    """A stored cell's counts under every kind of key, in one dict."""
    merged = {}
    for field in COUNT_FIELDS:
        merged.update(getattr(cell, field))
    return merged


def by_condition(counts):
    """``MapCell.conditions`` of the ``counts`` of a cell."""
    result = {}
    for key, values in counts.items():
        total = result.setdefault(key.split("|")[1], [0, 0, 0])
        for index in range(3):
            total[index] += values[index]
    return result


def tally(rows, counts=None, labels=None):
    """Add the sites of ``rows`` (values of ``ENTRY_FIELDS``) to ``counts``, {fine cell:
    {key: [sites, latitude sum, longitude sum]}}, and return it: under their category and
    condition, under each of their ``labels`` ({site id: labels}) and condition, and under
    their category among each organisation's and level's (``category_label``)."""
    counts = defaultdict(dict) if counts is None else counts
    labels = labels or {}
    for category, condition, latitude, longitude, precision, place_lat, place_lon, pk in rows:
        point = public_point(precision, latitude, longitude, place_lat, place_lon)
        if point is None:
            continue
        cell = cell_of(*point)
        if cell not in counts:
            counts[cell] = {}
        latitude_micro, longitude_micro = micro(point[0]), micro(point[1])
        own = labels.get(pk, ())
        by_category = [
            category_label(category, label) for label in own if label.startswith(CATEGORY_LABELS)
        ] + [category_year_label(category, label[2:]) for label in own if label.startswith("y:")]
        for key in (category, *own, *by_category):
            # One string a key, however many cells hold it: a register's fine cells hold
            # millions of entries.
            entry = counts[cell].setdefault(intern(count_key(key, condition)), [0, 0, 0])
            entry[0] += 1
            entry[1] += latitude_micro
            entry[2] += longitude_micro
    return counts


def cell_box(cell):
    """Q objects of the sites' own points and of the places' points in a fine cell."""
    size = cell_size(FINE_ZOOM)
    south, west = cell[0] * size - MARGIN, cell[1] * size - MARGIN
    north, east = (cell[0] + 1) * size + MARGIN, (cell[1] + 1) * size + MARGIN
    return Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def recount(cells):
    """{fine cell: counts} of the public sites in ``cells``, counted afresh: the sites'
    own points through their (latitude, longitude) index, the withheld ones through their
    places. Two queries per hundred cells, one more for places."""
    cells = sorted(set(cells))
    counts = {cell: {} for cell in cells}
    for start in range(0, len(cells), CELLS_PER_QUERY):
        chunk = cells[start : start + CELLS_PER_QUERY]
        boxes = Q()
        for cell in chunk:
            boxes |= cell_box(cell)
        places = list(Place.objects.filter(boxes).values_list("pk", flat=True))
        public = Site.objects.public()
        own = public.exclude(location_precision=WITHHELD).filter(boxes)
        rows = list(own.values_list(*ENTRY_FIELDS))
        if places:
            withheld = public.filter(location_precision=WITHHELD, place_id__in=places)
            rows += withheld.values_list(*ENTRY_FIELDS)
        found = tally(rows, labels=site_labels([row[-1] for row in rows]) if rows else None)
        for cell in chunk:
            counts[cell] = found.get(cell, {})
    return counts


def ancestors(cell):
    """(zoom, row, column) of the cells holding a fine cell, at every zoom, itself included."""
    row, column = cell
    return [
        (zoom, row >> (FINE_ZOOM - zoom), column >> (FINE_ZOOM - zoom))
        for zoom in range(FINE_ZOOM + 1)
    ]


def add_entry(holder, key, change):
    """Add ``change`` ([sites, latitude sum, longitude sum]) to the entry of ``key`` in the
    dict ``holder``, dropping an entry left without sites."""
    values = [a + b for a, b in zip(holder.get(key, [0, 0, 0]), change, strict=True)]
    if values[0]:
        holder[key] = values
    else:
        holder.pop(key, None)


def around(keys):
    """A Q object of the rows (``MapCell``'s or ``MapCellYear``'s) in the rows and columns of
    each zoom of ``keys`` (zoom, row, column): those cells and maybe others beside them,
    which the caller leaves out."""
    by_zoom = defaultdict(lambda: (set(), set()))
    for zoom, row, column in keys:
        by_zoom[zoom][0].add(row)
        by_zoom[zoom][1].add(column)
    condition = Q()
    for zoom, (rows, columns) in by_zoom.items():
        condition |= Q(zoom=zoom, row__in=rows, column__in=columns)
    return condition


def read_cells(keys, fields=COUNT_FIELDS, picked=None):
    """{(zoom, row, column): MapCell} of the stored cells among ``keys``, locked, with their
    number of sites and the count ``fields`` (with ``counts``, their ``conditions``) read:
    whole, or with ``picked`` ({field: top-level keys}) only the entries of those keys,
    picked out by the database (``PickedKeys``)."""
    if not keys:
        return {}
    read = ["zoom", "row", "column", "sites"]
    if "counts" in fields:
        read.append("conditions")
    found = MapCell.objects.select_for_update().filter(around(keys))
    if picked is None:
        found = found.only(*read, *fields)
    else:
        found = found.only(*read).annotate(
            **{f"picked_{field}": PickedKeys(field, sorted(picked[field])) for field in fields}
        )
    cells = {}
    for cell in found:
        if (cell.zoom, cell.row, cell.column) not in keys:
            continue
        if picked is not None:
            for field in fields:
                setattr(cell, field, getattr(cell, f"picked_{field}") or {})
        cells[(cell.zoom, cell.row, cell.column)] = cell
    return cells


def store(counts):
    """Write the recounted fine cells ``counts`` and add their differences to the cells
    above them; return the fine cells that changed.

    Of the stored cells, only the entries whose keys changed are read and written
    (``PickedKeys``, ``PatchedEntries``), and only in the fields that hold them: a coarse
    cell holds 40 KB of counts by category at 500,000 sites, which a change of one site's
    condition read and wrote whole at every zoom."""
    stored = read_cells({(FINE_ZOOM, *cell) for cell in counts})
    stored_years = read_years({(FINE_ZOOM, *cell) for cell in counts})
    deltas, year_deltas = defaultdict(dict), defaultdict(dict)
    changed = set()
    # The labels (keys less their condition) a fine cell gains or loses.
    moved = set()
    for cell, new in counts.items():
        old = {}
        if (FINE_ZOOM, *cell) in stored:
            old = merged_counts(stored[(FINE_ZOOM, *cell)])
        for row in stored_years.get((FINE_ZOOM, *cell), ()):
            old.update(row.counts)
        for key in old.keys() | new.keys():
            before, after = old.get(key, [0, 0, 0]), new.get(key, [0, 0, 0])
            delta = [a - b for a, b in zip(after, before, strict=True)]
            if not any(delta):
                continue
            changed.add(cell)
            if not before[0] or not after[0]:
                moved.add(key.rpartition("|")[0])
            yearly = field_of(key) == YEARS
            for target in ancestors(cell):
                if yearly:
                    total = year_deltas[(*target, *period_of(key))].setdefault(key, [0, 0, 0])
                else:
                    total = deltas[target].setdefault(key, [0, 0, 0])
                for index in range(3):
                    total[index] += delta[index]
    if moved:
        forget_keys_extents(moved)
    store_years(year_deltas)
    if not deltas:
        return changed
    touched = defaultdict(set)
    for delta in deltas.values():
        for key in delta:
            touched[field_of(key)].add(key)
    fields = [field for field in COUNT_FIELDS if field in touched]
    targets = read_cells(set(deltas), fields, picked=touched)
    created, updated, emptied = [], [], []
    for key, delta in deltas.items():
        cell = targets.get(key) or MapCell(
            zoom=key[0], row=key[1], column=key[2], **{field: {} for field in COUNT_FIELDS}
        )
        for count_key_, change in delta.items():
            add_entry(getattr(cell, field_of(count_key_)), count_key_, change)
            if cell.pk is not None and field_of(count_key_) == "counts":
                # A stored cell's conditions (``by_condition``) and number of sites move
                # by the same differences as its counts, which are read only in part.
                add_entry(cell.conditions, count_key_.split("|")[1], change)
                cell.sites += change[0]
        if cell.pk is None:
            cell.conditions = by_condition(cell.counts)
            cell.sites = sum(values[0] for values in cell.counts.values())
            if cell.sites:
                created.append(cell)
            continue
        if not cell.sites:
            emptied.append(cell.pk)
            continue
        for field in fields:
            entries = getattr(cell, field)
            setattr(
                cell,
                field,
                PatchedEntries(
                    field,
                    {name: entries[name] for name in touched[field] if name in entries},
                    touched[field],
                ),
            )
        updated.append(cell)
    if any(cell.zoom == FINE_ZOOM for cell in created) or any(
        key[0] == FINE_ZOOM and key in targets and not targets[key].sites for key in deltas
    ):
        forget_extent()
    if emptied:
        MapCell.objects.filter(pk__in=emptied).delete()
    if updated:
        written = ["sites", "conditions", *fields] if "counts" in fields else fields
        MapCell.objects.bulk_update(updated, written, batch_size=500)
    if created:
        MapCell.objects.bulk_create(created, batch_size=500)
    return changed


def read_years(cells, years=None, picked=None):
    """{(zoom, row, column): [MapCellYear]} of the stored rows of years of ``cells`` (zoom,
    row, column), of ``years`` or all, locked; their counts whole, or with ``picked`` (keys)
    only the entries of those keys, picked out by the database (``PickedKeys``)."""
    if not cells:
        return {}
    found = MapCellYear.objects.select_for_update().filter(around(cells))
    if years is not None:
        found = found.filter(year__in=years)
    if picked is not None:
        found = found.defer("counts").annotate(picked=PickedKeys("counts", sorted(picked)))
    result = defaultdict(list)
    for row in found:
        if (row.zoom, row.row, row.column) in cells:
            if picked is not None:
                row.counts = row.picked or {}
            result[(row.zoom, row.row, row.column)].append(row)
    return result


def store_years(deltas):
    """Add ``deltas``, {(zoom, row, column, year, month): {key: change}}, to the cells' rows
    of years (``MapCellYear``): of a stored row, only the entries of the keys that change are
    read and written (``PickedKeys``, ``PatchedEntries``; a coarse cell's year holds 45 KB
    at 500,000 sites), and a row left without entries is deleted."""
    if not deltas:
        return
    keys = {key for delta in deltas.values() for key in delta}
    stored = read_years({key[:3] for key in deltas}, {key[3] for key in deltas}, picked=keys)
    rows = {(*cell, row.year, row.month): row for cell, found in stored.items() for row in found}
    created, updated = [], []
    for key, delta in deltas.items():
        row = rows.get(key) or MapCellYear(
            zoom=key[0], row=key[1], column=key[2], year=key[3], month=key[4], counts={}
        )
        for count_key_, change in delta.items():
            add_entry(row.counts, count_key_, change)
        if row.pk is None:
            if row.counts:
                created.append(row)
            continue
        entries = {name: row.counts[name] for name in delta if name in row.counts}
        row.counts = PatchedEntries("counts", entries, delta.keys())
        updated.append(row)
    if updated:
        MapCellYear.objects.bulk_update(updated, ["counts"], batch_size=500)
        # The rows whose last entries were taken away.
        MapCellYear.objects.filter(pk__in=[row.pk for row in updated], counts={}).delete()
    if created:
        MapCellYear.objects.bulk_create(created, batch_size=500)


def refresh_map_cells(cells):
    """Recount the fine ``cells`` (row, column) and the cells above them, and empty the
    cached blocks of their regions when the transaction commits."""
    cells = {cell for cell in cells if cell is not None}
    if not cells:
        return
    with transaction.atomic():
        store(recount(cells))
    forget_regions(cells)


def cells_of_sites(sites):
    """The fine cells of the public points of ``sites`` (a queryset), public or not."""
    rows = sites.order_by().values_list(
        "latitude", "longitude", "location_precision", "place__latitude", "place__longitude"
    )
    return {
        cell_of(*point)
        for point in (
            public_point(precision, latitude, longitude, place_lat, place_lon)
            for latitude, longitude, precision, place_lat, place_lon in rows
        )
        if point is not None
    }


def refresh_map_cells_of_sites(site_ids):
    """Recount the cells of the sites with these ids (their condition changed)."""
    site_ids = {site_id for site_id in site_ids if site_id is not None}
    if site_ids:
        refresh_map_cells(cells_of_sites(Site.objects.filter(pk__in=site_ids)))


def levels_upward(fine):
    """(zoom, {(row, column): counts}) of every zoom from ``FINE_ZOOM`` to 0, each summed
    from the one below it from the fine ``counts``: two zooms' counts are held at once."""
    level = fine
    for zoom in range(FINE_ZOOM, -1, -1):
        yield zoom, level
        coarser = defaultdict(dict)
        for (row, column), counts in level.items():
            merged = coarser[(row >> 1, column >> 1)]
            for key, values in counts.items():
                total = merged.setdefault(key, [0, 0, 0])
                for index in range(3):
                    total[index] += values[index]
        level = coarser


def all_levels(fine):
    """{(zoom, row, column): counts} of every zoom's cells summed from the fine ``counts``."""
    return {
        (zoom, *cell): counts
        for zoom, level in levels_upward(fine)
        for cell, counts in level.items()
    }


def periods(counts, by_month):
    """(year, {"month": month}, counts) of each row of ``counts``, {(year, month): counts}
    (``split``); without ``by_month`` (a migration's year model from before the months'
    rows), a row a year holding its days too, and no month given."""
    if by_month:
        return [(year, {"month": month}, part) for (year, month), part in counts.items()]
    years = {}
    for (year, _month), part in counts.items():
        years.setdefault(year, {}).update(part)
    return [(year, {}, part) for year, part in years.items()]


def model_fields(parts, fields):
    """{field: counts} of ``parts`` ({count field: counts}, ``split``) for a model with the
    ``fields``: a count field it lacks goes to its ``FORMER_FIELD``, where the code of that
    model looks for its keys; one with no former field is left out."""
    stored = {}
    for field, part in parts.items():
        if field not in fields:
            field = FORMER_FIELD.get(field)
            if field not in fields:
                continue
        stored.setdefault(field, {}).update(part)
    return stored


def write_levels(model, fine, year_model=None):
    """Write every zoom's cells summed from the fine ``counts`` as rows of ``model`` (the
    ``MapCell`` model, or a migration's: of its count fields, those it has) and their years
    as rows of ``year_model`` (``MapCellYear``, or None before a migration made it), one
    zoom at a time; return the number of sites they count."""
    fields = {field.name for field in model._meta.get_fields()}
    by_month = year_model is not None and any(
        field.name == "month" for field in year_model._meta.get_fields()
    )
    counted = 0
    for zoom, level in levels_upward(fine):
        cells, years = [], []
        for (row, column), merged in level.items():
            parts = split(merged)
            if year_model is not None:
                years += [
                    year_model(zoom=zoom, row=row, column=column, year=year, counts=counts, **month)
                    for year, month, counts in periods(parts.pop(YEARS), by_month)
                ]
            sites = sum(values[0] for values in parts["counts"].values())
            cells.append(
                model(
                    zoom=zoom,
                    row=row,
                    column=column,
                    conditions=by_condition(parts["counts"]),
                    sites=sites,
                    **model_fields(parts, fields),
                )
            )
            counted += sites if zoom == 0 else 0
        model.objects.bulk_create(cells, batch_size=2000)
        if years:
            year_model.objects.bulk_create(years, batch_size=2000)
    return counted


def count_every_cell(site, assessment, cell, cell_year=None, left_out=()):
    """Count every cell again from the public sites, with the models ``site``, ``assessment``,
    ``cell`` and ``cell_year`` (the app's, or a migration's historical ones; None before
    ``MapCellYear`` was made), in the caller's transaction, without the labels whose prefixes
    are ``left_out`` (``"e:"``: a migration undone, for the code before it, which knows no
    such key);
    return the number of public sites on the map. The sites and the labels of their
    published assessments are read in site order side by side, never a whole register's
    labels at once. Read in a transaction: on PostgreSQL a server-side cursor outside one
    is kept whole by the server before its first row comes (see ``public.views.exports``)."""
    published = Q(publication_status=PublicationStatus.PUBLISHED) & (
        Q(visit__isnull=True) | Q(visit__publication_status=PublicationStatus.PUBLISHED)
    )
    labels = assessment.objects.filter(published).order_by("site_id").values_list(*LABEL_FIELDS)
    rows = (
        site.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        .order_by("pk")
        .values_list(*ENTRY_FIELDS)
    )
    fine = tally(
        rows.iterator(chunk_size=10_000),
        labels=LabelsInOrder(labels.iterator(chunk_size=10_000), left_out),
    )
    cell.objects.all().delete()
    if cell_year is not None:
        cell_year.objects.all().delete()
    return write_levels(cell, fine, cell_year)


def rebuild_map_cells():
    """Recount every cell; return the number of public sites on the map."""
    with transaction.atomic():
        counted = count_every_cell(Site, Assessment, MapCell, MapCellYear)
        transaction.on_commit(new_generation)
    bump_version()
    return counted


EXTENT_KEY = "register:map-extent"


def extent():
    """(south row, west column, north row, east column) of the fine cells that hold public
    sites, or None: one query, cached until a fine cell is filled or emptied (the only
    changes that can move it) or the cells are rebuilt."""
    key = f"{EXTENT_KEY}:{generation()}"
    found = cache.get(key)
    if found is None:
        found = MapCell.objects.filter(zoom=FINE_ZOOM).aggregate(
            south=Min("row"), north=Max("row"), west=Min("column"), east=Max("column")
        )
        cache.set(key, found, timeout=None)
    if found["south"] is None:
        return None
    return found["south"], found["west"], found["north"], found["east"]


#: The zooms whose cells ``keys_extent`` reads, coarsest first: each holds its key where a
#: cell of the next does, so each one's extent is found among the cells along the sides of
#: the one before.
EXTENT_ZOOMS = (FINE_ZOOM - 4, FINE_ZOOM - 2, FINE_ZOOM)


#: The cache key of a label's token (``keys_extent``).
EXTENT_TOKEN_KEY = "register:map-extent-token:{}"
#: The label whose token the extents of conditions (``MapCell.conditions``) are cached
#: under: a fine cell that gains or loses a category's key may gain or lose a condition.
CONDITIONS_LABEL = "*conditions"


def extent_labels(field, keys):
    """The labels whose tokens the extent of ``keys`` of ``field`` is cached under: the
    keys less their condition (``mosque``, ``c:mosque:v:verified``); ``CONDITIONS_LABEL``
    for the conditions."""
    if field == "conditions":
        return {CONDITIONS_LABEL}
    return {key.rpartition("|")[0] for key in keys}


def forget_keys_extents(labels):
    """Give the ``labels`` (keys less their condition) that a fine cell gained or lost new
    tokens, now and again once the transaction commits (a visitor may have cached an extent
    before the commit in between): the extents of their keys cached so far become
    unreachable, and every other extent stays."""
    labels = set(labels)
    if any(":" not in label for label in labels):
        labels.add(CONDITIONS_LABEL)
    names = [EXTENT_TOKEN_KEY.format(label) for label in labels]

    def renew():
        cache.set_many({name: uuid.uuid4().hex for name in names}, timeout=None)

    renew()
    transaction.on_commit(renew)


def keys_extent(field, keys):
    """(south row, west column, north row, east column) of the fine cells whose ``field``
    (``counts``, ``conditions``, ``facets``, ``years``, or a year's rows, ``year_source``)
    holds any of ``keys``, or None.
    Cached under the tokens of the keys' labels (``extent_labels``), which a fine cell that
    gains or loses one of them renews (``forget_keys_extents``), the only changes that can
    move it: an edit that leaves the fine cells' keys as they were (a name, a condition
    counted already in its cell), or moves others (a site's category changed from a museum
    to a library leaves the verified mosques' extent alone), keeps it. At 500,000 sites the
    extent of the verified mosques took 37 ms on PostgreSQL and 50 on SQLite after any
    edit, and takes 10-11."""
    labels = sorted(extent_labels(field, keys))
    tokens = tokens_of([EXTENT_TOKEN_KEY.format(label) for label in labels])
    digest = hashlib.sha256(
        json.dumps([field, sorted(keys), sorted(tokens.items())]).encode()
    ).hexdigest()[:32]
    key = f"register:map-keys-extent:{generation()}:{digest}"
    # In a list: an extent of no cell (None) is cached too.
    return cached_under(key, lambda: [read_keys_extent(field, keys)])[0]


def read_keys_extent(field, keys):
    """``keys_extent``, read from the cells: a query for each of ``EXTENT_ZOOMS``, which tests
    the keys in the database rather than reading each cell's counts. The first reads the
    coarsest cells (139 at 500,000 sites); each next one only the cells in the rows and
    columns along the sides of the extent found before it, where its own sides lie. At
    500,000 sites, reading every fine cell's counts took 0.5-1.3 s; these three queries take
    4-5 ms for an organisation's keys; a request of the verified mosques' extent took 37-50 ms
    on PostgreSQL and SQLite (keys tested in counts by category of 40 KB a coarse cell)."""
    rows, json_field = cells_holding(field)
    holding = Q(**{f"{json_field}__has_any_keys": list(keys)})
    found = None
    for coarser, zoom in zip((None, *EXTENT_ZOOMS), EXTENT_ZOOMS, strict=False):
        cells = rows.filter(zoom=zoom)
        bands = {}
        if coarser is not None:
            scale = 2 ** (zoom - coarser)
            bands = {
                side: Q(**{f"{axis}__range": (index * scale, index * scale + scale - 1)})
                for side, axis, index in (
                    ("south", "row", found["south"]),
                    ("north", "row", found["north"]),
                    ("west", "column", found["west"]),
                    ("east", "column", found["east"]),
                )
            }
            # The bands are tested first: only their cells' keys are.
            cells = cells.filter(bands["south"] | bands["north"] | bands["west"] | bands["east"])
        found = cells.filter(holding).aggregate(
            south=Min("row", filter=bands.get("south")),
            north=Max("row", filter=bands.get("north")),
            west=Min("column", filter=bands.get("west")),
            east=Max("column", filter=bands.get("east")),
        )
        if found["south"] is None:
            return None
    return found["south"], found["west"], found["north"], found["east"]


def forget_extent():
    def forget():
        cache.delete(f"{EXTENT_KEY}:{generation()}")

    forget()
    transaction.on_commit(forget)


# The cache's tokens of regions.


def block_key(zoom, block_row, block_column):
    return f"register:map-block:{zoom}:{block_row}:{block_column}"


def blocks_of(cells):
    """(zoom, block row, block column) of the blocks holding fine ``cells``, every zoom."""
    return {
        (zoom, row // BLOCK, column // BLOCK)
        for cell in cells
        for zoom, row, column in ancestors(cell)
    }


def new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY, "")
    return value


def tokens_of(names):
    """{name: token} of the cache's current tokens under ``names``; a name without one is
    given one. One or two round trips to the cache."""
    found = cache.get_many(names)
    missing = {name: uuid.uuid4().hex for name in names if name not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {name: found[name] for name in names}


def block_tokens(blocks):
    """{block: token} of the cache's current tokens of ``blocks`` (zoom, row, column); a
    block without one is given one."""
    keys = {block: block_key(*block) for block in blocks}
    found = tokens_of(list(keys.values()))
    return {block: found[keys[block]] for block in blocks}


#: A token that every ``forget_regions`` renews: what depends on the sites the map counts
#: anywhere (the extent of the sites of filters counted from the sites) is cached under it.
MAP_EPOCH_KEY = "register:map-epoch"


def map_epoch():
    return tokens_of([MAP_EPOCH_KEY])[MAP_EPOCH_KEY]


def forget_regions(cells):
    """Give the blocks of fine ``cells`` new tokens, and the map a new ``map_epoch``, now and
    again once the transaction commits (a visitor may have cached what was there before the
    commit in between): what was cached of them becomes unreachable, and every other block
    stays."""
    blocks = blocks_of(cells)

    def renew():
        tokens = {block_key(*block): uuid.uuid4().hex for block in blocks}
        cache.set_many({**tokens, MAP_EPOCH_KEY: uuid.uuid4().hex}, timeout=None)

    if blocks:
        renew()
        transaction.on_commit(renew)


# Receivers.


def shown_state(site):
    """The values of ``SHOWN_FIELDS`` as the database gives them back (a coordinate given as
    text compares equal to the stored decimal)."""
    return tuple(
        Site._meta.get_field(field).to_python(getattr(site, field)) for field in SHOWN_FIELDS
    )


@receiver(pre_save, sender=Site)
@not_while_loading
def remember_map_state(sender, instance, **kwargs):
    """What the map showed of the site before this save, and the cell it was in."""
    instance._map_before = None
    if instance.pk is None or kwargs.get("bulk"):
        return
    row = (
        Site.objects.filter(pk=instance.pk)
        .values_list(*SHOWN_FIELDS, "place__latitude", "place__longitude")
        .first()
    )
    if row is not None:
        state = dict(zip(SHOWN_FIELDS, row, strict=False))
        point = public_point(
            state["location_precision"], state["latitude"], state["longitude"], *row[-2:]
        )
        instance._map_before = (row[: len(SHOWN_FIELDS)], cell_of(*point) if point else None)


@receiver(post_save, sender=Site)
@not_while_loading
def recount_map_after_save(sender, instance, **kwargs):
    before = getattr(instance, "_map_before", None)
    if before is not None and before[0] == shown_state(instance):
        return
    cells = cells_of_sites(Site.objects.filter(pk=instance.pk))
    if (
        before is not None
        and before[0][: len(COUNTED_FIELDS)] == shown_state(instance)[: len(COUNTED_FIELDS)]
    ):
        # A new name or address: nothing is counted differently, the sites shown change.
        forget_regions(cells)
        return
    refresh_map_cells(cells | ({before[1]} if before is not None else set()))


@receiver(post_delete, sender=Site)
@not_while_loading
def recount_map_after_delete(sender, instance, **kwargs):
    place = Place.objects.filter(pk=instance.place_id).values_list("latitude", "longitude").first()
    point = public_point(
        instance.location_precision, instance.latitude, instance.longitude, *(place or (None, None))
    )
    if point is not None:
        refresh_map_cells({cell_of(*point)})


@receiver(pre_save, sender=Place)
@not_while_loading
def remember_place_point(sender, instance, **kwargs):
    instance._point_before = None
    if instance.pk is not None:
        instance._point_before = (
            Place.objects.filter(pk=instance.pk).values_list("latitude", "longitude").first()
        )


@receiver(post_save, sender=Place)
@not_while_loading
def recount_map_after_place_moves(sender, instance, **kwargs):
    """The withheld sites of a place are shown at its point: when it moves, they move."""
    before = getattr(instance, "_point_before", None)
    after = (instance.latitude, instance.longitude)
    if before is None or tuple(before) == after:
        return
    if not Site.objects.filter(place_id=instance.pk, location_precision=WITHHELD).exists():
        return
    refresh_map_cells({cell_of(*point) for point in (tuple(before), after) if None not in point})


@receiver(post_save, sender=SiteName)
@receiver(post_delete, sender=SiteName)
@not_while_loading
def forget_region_of_renamed_site(sender, instance, **kwargs):
    """The map shows a site by its name in the visitor's language."""
    forget_regions(cells_of_sites(Site.objects.filter(pk=instance.site_id)))


@receiver(pre_bulk_save, sender=Site)
@not_while_loading
def remember_cells_before_import(sender, instances, state, **kwargs):
    """The cells of the imported sites that are on the map before the write (the map shows
    public sites only; an import's new sites are drafts, which no cell counts)."""
    ids = [site.pk for site in instances if site.pk is not None]
    state["map_cells"] = cells_of_sites(Site.objects.public().filter(pk__in=ids)) if ids else set()


@receiver(post_bulk_save, sender=Site)
@not_while_loading
def recount_map_after_import(sender, instances, state, **kwargs):
    """Recount the cells the imported sites were on and are on now."""
    ids = [site.pk for site in instances if site.pk is not None]
    refresh_map_cells(
        state.get("map_cells", set()) | cells_of_sites(Site.objects.public().filter(pk__in=ids))
    )


def sites_of_visit(visit_ids):
    """The ids of the sites of the published assessments made on these visits."""
    return set(
        Assessment.objects.published()
        .filter(visit_id__in=visit_ids)
        .values_list("site_id", flat=True)
        .distinct()
    )


@receiver(m2m_changed, sender=Visit.organisations.through)
@not_while_loading
def recount_map_after_visit_organisations_change(
    sender, instance, action, reverse, pk_set, **kwargs
):
    """A site is counted under the organisations of the published visits its assessments
    were made on: adding one to a visit or taking one away, from either side, recounts the
    visit's sites."""
    if reverse and action == "pre_clear":
        # An organisation's visits cleared from its side: which they were is read first.
        instance._map_visits = set(instance.visits.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        visits = {instance.pk}
    elif action == "post_clear":
        visits = getattr(instance, "_map_visits", set())
    else:
        visits = pk_set
    refresh_map_cells_of_sites(sites_of_visit(visits))


@receiver(pre_delete, sender=Organisation)
@not_while_loading
def remember_sites_of_organisation(sender, instance, **kwargs):
    """Deleting an organisation takes it off its visits without a signal: the sites counted
    under it through them are recounted once it is gone."""
    instance._map_sites = sites_of_visit(instance.visits.values_list("pk", flat=True))


@receiver(post_delete, sender=Organisation)
@not_while_loading
def recount_map_after_organisation_delete(sender, instance, **kwargs):
    refresh_map_cells_of_sites(getattr(instance, "_map_sites", set()))
