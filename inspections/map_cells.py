"""Keep :class:`inspections.models.MapCell` in step with the public sites, and tell the map's
cache which regions changed.

A change recounts the cells of the finest grid (``FINE_ZOOM``) that it touches, whole, from
the sites: the cell a site was in and the cell it is in now (a withheld location counts at
its place's point, as every public page shows it). The difference between the new count of
a fine cell and the stored one is then added to the cell that holds it at every coarser
zoom; the sums are whole numbers (millionths of a degree), so adding and taking away is
exact and a coarse cell always equals the sum of its fine cells. ``rebuild_map_cells``
recounts every cell.

The receivers recount a site's cells whenever a site is saved or deleted in a way the map
shows, a place with withheld sites moves, or an import writes sites; ``inspections.status``
recounts after it refreshes the latest assessments (a site's condition). Each change also
gives the map's cached blocks (``public.views.map_data``) of its region a new token, once the
transaction commits, so that an edit in one district leaves the cached cells of the others
alone.
"""

import math
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from heritage.cache import bump_version
from heritage.imports.writing import post_bulk_save, pre_bulk_save
from heritage.models import Place, Site, SiteName
from inspections.models import MapCell
from inspections.models.map_cells import FINE_ZOOM, cell_size

MICRO = 1_000_000
#: The map's cache keeps cells in square blocks of this many cells a side, per zoom; each
#: block has a token that a change within it replaces.
BLOCK = 8
#: The token of every block changes with this one (a rebuild).
GENERATION_KEY = "register:map-generation"
#: Fine cells recounted per query.
CELLS_PER_QUERY = 100
#: What the map reads of a site, and where its public point is.
ENTRY_FIELDS = (
    "category",
    "status__condition_id",
    "latitude",
    "longitude",
    "location_precision",
    "place__latitude",
    "place__longitude",
)
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


def parse_key(key):
    """(category, condition id or None) of a key of ``MapCell.counts``."""
    category, condition = key.split("|")
    return category, int(condition) if condition else None


def by_condition(counts):
    """``MapCell.conditions`` of the ``counts`` of a cell."""
    result = {}
    for key, values in counts.items():
        total = result.setdefault(key.split("|")[1], [0, 0, 0])
        for index in range(3):
            total[index] += values[index]
    return result


def tally(rows, counts=None):
    """Add the sites of ``rows`` (values of ``ENTRY_FIELDS``) to ``counts``, {fine cell:
    {key: [sites, latitude sum, longitude sum]}}, and return it."""
    counts = defaultdict(dict) if counts is None else counts
    for category, condition, latitude, longitude, precision, place_lat, place_lon in rows:
        point = public_point(precision, latitude, longitude, place_lat, place_lon)
        if point is None:
            continue
        cell = cell_of(*point)
        if cell not in counts:
            counts[cell] = {}
        entry = counts[cell].setdefault(count_key(category, condition), [0, 0, 0])
        entry[0] += 1
        entry[1] += micro(point[0])
        entry[2] += micro(point[1])
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
        found = tally(rows)
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


def read_cells(keys):
    """{(zoom, row, column): MapCell} of the stored cells among ``keys``, locked."""
    by_zoom = defaultdict(lambda: (set(), set()))
    for zoom, row, column in keys:
        by_zoom[zoom][0].add(row)
        by_zoom[zoom][1].add(column)
    condition = Q()
    for zoom, (rows, columns) in by_zoom.items():
        condition |= Q(zoom=zoom, row__in=rows, column__in=columns)
    if not keys:
        return {}
    found = MapCell.objects.select_for_update().filter(condition)
    return {
        (cell.zoom, cell.row, cell.column): cell
        for cell in found
        if (cell.zoom, cell.row, cell.column) in keys
    }


def store(counts):
    """Write the recounted fine cells ``counts`` and add their differences to the cells
    above them; return the fine cells that changed."""
    stored = read_cells({(FINE_ZOOM, *cell) for cell in counts})
    deltas = defaultdict(dict)
    changed = set()
    for cell, new in counts.items():
        old = stored[(FINE_ZOOM, *cell)].counts if (FINE_ZOOM, *cell) in stored else {}
        for key in old.keys() | new.keys():
            before, after = old.get(key, [0, 0, 0]), new.get(key, [0, 0, 0])
            delta = [a - b for a, b in zip(after, before, strict=True)]
            if not any(delta):
                continue
            changed.add(cell)
            for target in ancestors(cell):
                total = deltas[target].setdefault(key, [0, 0, 0])
                for index in range(3):
                    total[index] += delta[index]
    if not deltas:
        return changed
    targets = read_cells(set(deltas))
    created, updated, emptied = [], [], []
    for key, delta in deltas.items():
        cell = targets.get(key) or MapCell(zoom=key[0], row=key[1], column=key[2], counts={})
        merged = dict(cell.counts)
        for count_key_, change in delta.items():
            values = [a + b for a, b in zip(merged.get(count_key_, [0, 0, 0]), change, strict=True)]
            if values[0]:
                merged[count_key_] = values
            else:
                merged.pop(count_key_, None)
        cell.counts = merged
        cell.conditions = by_condition(merged)
        cell.sites = sum(values[0] for values in merged.values())
        if cell.pk is None:
            if cell.sites:
                created.append(cell)
        elif cell.sites:
            updated.append(cell)
        else:
            emptied.append(cell.pk)
    if any(cell.zoom == FINE_ZOOM for cell in created) or any(
        key[0] == FINE_ZOOM and key in targets and not targets[key].sites for key in deltas
    ):
        forget_extent()
    if emptied:
        MapCell.objects.filter(pk__in=emptied).delete()
    if updated:
        MapCell.objects.bulk_update(updated, ["sites", "counts", "conditions"], batch_size=500)
    if created:
        MapCell.objects.bulk_create(created, batch_size=500)
    return changed


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


def all_levels(fine):
    """Every zoom's cells summed from the fine ``counts``."""
    levels = defaultdict(dict)
    for cell, counts in fine.items():
        for target in ancestors(cell):
            merged = levels[target]
            for key, values in counts.items():
                total = merged.setdefault(key, [0, 0, 0])
                for index in range(3):
                    total[index] += values[index]
    return levels


def rebuild_map_cells():
    """Recount every cell; return the number of public sites on the map."""
    rows = Site.objects.public().values_list(*ENTRY_FIELDS).iterator(chunk_size=10_000)
    levels = all_levels(tally(rows))
    cells = [
        MapCell(
            zoom=zoom,
            row=row,
            column=column,
            counts=counts,
            conditions=by_condition(counts),
            sites=sum(values[0] for values in counts.values()),
        )
        for (zoom, row, column), counts in levels.items()
    ]
    with transaction.atomic():
        MapCell.objects.all().delete()
        MapCell.objects.bulk_create(cells, batch_size=2000)
        transaction.on_commit(new_generation)
    bump_version()
    return sum(cell.sites for cell in cells if cell.zoom == 0)


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


def block_tokens(blocks):
    """{block: token} of the cache's current tokens of ``blocks`` (zoom, row, column); a
    block without one is given one. One or two round trips to the cache."""
    keys = {block: block_key(*block) for block in blocks}
    found = cache.get_many(keys.values())
    missing = {keys[block]: uuid.uuid4().hex for block in blocks if keys[block] not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {block: found[keys[block]] for block in blocks}


def forget_regions(cells):
    """Give the blocks of fine ``cells`` new tokens, now and again once the transaction
    commits (a visitor may have cached what was there before the commit in between): what
    was cached of them becomes unreachable, and every other block stays."""
    blocks = blocks_of(cells)

    def renew():
        cache.set_many({block_key(*block): uuid.uuid4().hex for block in blocks}, timeout=None)

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
def recount_map_after_delete(sender, instance, **kwargs):
    place = Place.objects.filter(pk=instance.place_id).values_list("latitude", "longitude").first()
    point = public_point(
        instance.location_precision, instance.latitude, instance.longitude, *(place or (None, None))
    )
    if point is not None:
        refresh_map_cells({cell_of(*point)})


@receiver(pre_save, sender=Place)
def remember_place_point(sender, instance, **kwargs):
    instance._point_before = None
    if instance.pk is not None:
        instance._point_before = (
            Place.objects.filter(pk=instance.pk).values_list("latitude", "longitude").first()
        )


@receiver(post_save, sender=Place)
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
def forget_region_of_renamed_site(sender, instance, **kwargs):
    """The map shows a site by its name in the visitor's language."""
    forget_regions(cells_of_sites(Site.objects.filter(pk=instance.site_id)))


@receiver(pre_bulk_save, sender=Site)
def remember_cells_before_import(sender, instances, state, **kwargs):
    """The cells of the imported sites that are on the map before the write (the map shows
    public sites only; an import's new sites are drafts, which no cell counts)."""
    ids = [site.pk for site in instances if site.pk is not None]
    state["map_cells"] = cells_of_sites(Site.objects.public().filter(pk__in=ids)) if ids else set()


@receiver(post_bulk_save, sender=Site)
def recount_map_after_import(sender, instances, state, **kwargs):
    """Recount the cells the imported sites were on and are on now."""
    ids = [site.pk for site in instances if site.pk is not None]
    refresh_map_cells(
        state.get("map_cells", set()) | cells_of_sites(Site.objects.public().filter(pk__in=ids))
    )
