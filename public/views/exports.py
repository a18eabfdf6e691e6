"""``/sites/export.csv`` and ``/sites/export.geojson``: the sites of ``/sites/``.

Both take the listing's parameters (see :class:`public.filters.SiteFilter`); an invalid
value is a plain-text 400 naming the parameter. The exports are streamed over ``iterator()``
so that memory stays flat however many sites match, and a site whose location is withheld
is exported at its place's coordinates only.
"""

import csv
import json

from django.db import connections, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse

from heritage.models import Site, SiteCategory
from heritage.text import escape_formula
from inspections.crosswalk import crosswalk
from inspections.models import ConditionStatus
from public import selectors, statistics
from public.filters import SiteFilter
from public.views.listing import describe_error

#: Rows fetched from the database at a time by the exports.
EXPORT_CHUNK_SIZE = 500
#: Rows written to the response at a time by the exports.
ROWS_PER_WRITE = 100

CSV_COLUMNS = [
    "slug",
    "name",
    "category",
    "place",
    "district",
    "latitude",
    "longitude",
    "location_precision",
    "dating",
    "latest_condition",
    "latest_assessment_date",
    "url",
    "condition_status",
    "condition_inferred",
    "unosat_class",
    "chw_category",
]


def filtered_export(request):
    """(queryset, None) for valid parameters, else (None, a plain-text 400 response)."""
    queryset = Site.objects.public().for_listing().with_localized_name()
    filterset = SiteFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        lines = [describe_error(*error) for error in filterset.error_list()]
        return None, HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    return filterset.qs, None


class ExportLabels:
    """Labels in the visitor's language, read once before streaming starts: the rows are
    written after the view has returned, when no translation may be active any more."""

    def __init__(self):
        self.categories = {value: str(label) for value, label in SiteCategory.choices}
        self.conditions = {
            term.pk: (term.label, term.localized_label())
            for term in selectors.overall_condition_terms()
        }
        self.missing = {status: str(status.label) for status in ConditionStatus}


def condition_status(site):
    """ "stated", "not_stated" (an assessment stating no condition) or "not_assessed"."""
    return ConditionStatus.of(site.latest_condition_id, site.latest_assessed_on)


def public_location(site):
    """(latitude, longitude, precision) the public may see; coordinates may be None.

    A withheld location is given at its place's coordinates, never the site's own.
    """
    coordinates = site.public_coordinates()
    latitude, longitude = coordinates if coordinates else (None, None)
    return latitude, longitude, site.location_precision


def dating(site):
    if site.dating_label:
        return site.dating_label
    years = [year for year in (site.year_from, site.year_to) if year is not None]
    if not years:
        return ""
    if len(set(years)) == 1:
        return str(years[0])
    return f"{years[0]}–{years[1]}"


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (see ``heritage.text.escape_formula``)."""
    return escape_formula(value) if isinstance(value, str) else value


def streamed(queryset):
    """The rows of ``queryset``, read ``EXPORT_CHUNK_SIZE`` at a time as the response is
    sent. On PostgreSQL inside a transaction of their own: outside one, Django declares its
    server-side cursor ``WITH HOLD``, and PostgreSQL then runs the whole query and keeps its
    result before the first row is sent (at 500,000 sites, 1.8 s of the GeoJSON export of
    every site, and a copy of its 475,000 rows on the server's disk). A client that stops
    reading closes the generator, which ends the transaction."""
    if connections[queryset.db].vendor != "postgresql":
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)
        return
    with transaction.atomic(using=queryset.db, savepoint=False):
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)


def in_batches(lines):
    """Join lines into fewer, larger writes."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= ROWS_PER_WRITE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


class EchoBuffer:
    """A file-like object that hands back what is written to it, for ``csv.writer``."""

    def write(self, value):
        return value


def csv_lines(sites, labels, origin):
    writer = csv.writer(EchoBuffer())
    yield writer.writerow(CSV_COLUMNS)
    site_url = slug_url("site-detail")
    for site in sites:
        latitude, longitude, precision = public_location(site)
        condition = labels.conditions.get(site.latest_condition_id)
        text = [
            site.slug,
            site.localized_name,
            site.category,
            site.place.name,
            labels.districts.get(site.place_id, ""),
        ]
        row = [
            *map(spreadsheet_safe, text),
            latitude,
            longitude,
            spreadsheet_safe(precision),
            spreadsheet_safe(dating(site)),
            spreadsheet_safe(condition[0] if condition else ""),
            site.latest_assessed_on.isoformat() if site.latest_assessed_on else "",
            spreadsheet_safe(origin + site_url(site.slug)),
            condition_status(site).value,
            "yes" if site.latest_inferred else "no",
            *(code or "" for code in crosswalk(condition[0] if condition else None)),
        ]
        yield writer.writerow(row)


#: Stands for a slug in an address reversed once (``slug_url``): the slug converter's
#: characters, which ``reverse`` leaves as they are.
SLUG_PLACEHOLDER = "0-slug-0"


def slug_url(name):
    """A function giving the address of the view ``name`` for a slug, as ``reverse(name,
    args=[slug])`` does, the address reversed once: an export reversed two addresses a row,
    a seventh of its time."""
    template = reverse(name, args=[SLUG_PLACEHOLDER])
    before, after = template.split(SLUG_PLACEHOLDER)
    return lambda slug: f"{before}{slug}{after}"


def request_origin(request):
    """The scheme and host the visitor used, to make the exports' ``url`` fields absolute."""
    return f"{request.scheme}://{request.get_host()}"


#: Starts the spreadsheet variant of the CSV: the byte-order mark by which spreadsheet
#: programs (Excel among them) recognise UTF-8 and show "Qarğabazar" as written.
BYTE_ORDER_MARK = "\ufeff"


def csv_response(request, *, filename, prefix=""):
    queryset, error = filtered_export(request)
    if error:
        return error
    labels = ExportLabels()
    labels.districts = statistics.district_names()
    rows = streamed(queryset)
    lines = csv_lines(rows, labels, request_origin(request))
    if prefix:
        lines = prefixed(prefix, lines)
    return StreamingHttpResponse(
        in_batches(lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def prefixed(prefix, lines):
    first = True
    for line in lines:
        yield prefix + line if first else line
        first = False


def export_csv(request):
    """``/sites/export.csv``: the filtered sites as CSV, one row per site."""
    return csv_response(request, filename="sites.csv")


def export_spreadsheet_csv(request):
    """``/sites/export-excel.csv``: the same CSV starting with a UTF-8 byte-order mark, so
    that spreadsheet programs read its letters as UTF-8."""
    return csv_response(request, filename="sites-excel.csv", prefix=BYTE_ORDER_MARK)


def geojson_feature(site, labels, origin, site_url=None):
    """The GeoJSON feature of ``site``; ``site_url`` (see ``slug_url``) gives its address
    when many are made."""
    latitude, longitude, precision = public_location(site)
    geometry = None
    if latitude is not None and longitude is not None:
        # RFC 7946: longitude first, then latitude.
        geometry = {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
    status = condition_status(site)
    condition, condition_label = labels.conditions.get(
        site.latest_condition_id, (None, labels.missing[status])
    )
    return {
        "type": "Feature",
        "id": site.slug,
        "geometry": geometry,
        "properties": {
            "name": site.localized_name,
            "slug": site.slug,
            "url": origin + (site_url(site.slug) if site_url else site.get_absolute_url()),
            "category": site.category,
            "category_label": labels.categories.get(site.category, site.category),
            "condition": condition,
            "condition_label": condition_label,
            "latest_assessment": (
                site.latest_assessed_on.isoformat() if site.latest_assessed_on else None
            ),
            "location_precision": precision,
            "condition_status": status.value,
            "condition_inferred": bool(site.latest_inferred),
            "unosat_class": crosswalk(condition)[0],
            "chw_category": crosswalk(condition)[1],
        },
    }


def geojson_lines(sites, labels, origin):
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    site_url = slug_url("site-detail")
    for site in sites:
        feature = geojson_feature(site, labels, origin, site_url)
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def export_geojson(request):
    """``/sites/export.geojson``: the filtered sites as an RFC 7946 FeatureCollection."""
    queryset, error = filtered_export(request)
    if error:
        return error
    labels = ExportLabels()
    rows = streamed(queryset)
    return StreamingHttpResponse(
        in_batches(geojson_lines(rows, labels, request_origin(request))),
        content_type="application/geo+json",
        headers={"Content-Disposition": 'attachment; filename="sites.geojson"'},
    )
