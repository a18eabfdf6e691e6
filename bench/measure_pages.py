"""Measure the public pages of one register, in process, and print the figures as JSON.

Run by ``bench/register_bench.py`` with ``DATABASE_URL`` pointing at a database that holds a
synthetic register (``manage.py generate_register``). For each page it reports the server
time per request (median and 95th percentile over repeated requests, the response body read
in full, streamed bodies included), the queries per request, and the share of the time spent
inside the database; and the time (median of ``--cold-runs``) and queries of a request with
an empty cache, as every page meets it after an edit, and of the first request right after
an edit of a site (which raises the register's version): edits of a field no number depends
on, as most edits are, and edits of the site's category, which move the maintained counts
too. The cache is the production one, Redis, when it answers (``bench/settings.py``). The
map's data requests (``/sites/map.json`` at several zooms) are measured like the pages, with
their size. For the full GeoJSON export it also reports rows per second and the peak Python
memory allocated while streaming it.
"""

import argparse
import base64
import datetime
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test settings (production settings, DEBUG off, a throwaway secret key, static files
# without a collectstatic manifest) with Redis as the cache when it answers.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
# One client makes every request: the read API's throttle must not answer 429.
os.environ.setdefault("API_THROTTLE_RATE", "1000000/minute")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# Start as each production worker does (config/wsgi.py): the URL tables of every language
# built, and the objects of the start-up frozen out of the garbage collector's reach.
import config.wsgi  # noqa: E402, F401
from heritage.models import Organisation, Place, Site, SiteName  # noqa: E402
from inspections.models import Assessment, Commitment, RestorationProject  # noqa: E402


def pick_targets():
    """Real values from the generated register for the filtered pages."""
    district = Place.objects.filter(kind="district").order_by("pk").first()
    site = Site.objects.public().order_by("pk")[Site.objects.count() // 2]
    latin_name = SiteName.objects.filter(script="Latn").order_by("pk").first().name
    latin = latin_name.split()[0]
    cyrillic = SiteName.objects.filter(script="Cyrl").order_by("pk").first().name.split()[0]
    village = Place.objects.filter(kind="village").order_by("pk").first()
    # A word naming the place at the top of the hierarchy: found in every site (a wide search).
    country = Place.objects.filter(parent__isnull=True).order_by("pk").first().name.split()[0]
    # No synthetic name holds a "w": the word matches no name and falls back to close matches.
    close = f"{latin}w"
    last = Assessment.objects.published().aggregate(last=Max("assessed_on"))["last"]
    recent = (last - datetime.timedelta(days=10), last)
    return {
        "/sites/": "/sites/",
        "/sites/ condition": "/sites/?condition=Destroyed",
        "/sites/ area": f"/sites/?area={district.slug}",
        "/sites/ condition+area": f"/sites/?condition=Destroyed&area={district.slug}",
        "/sites/ q latin": f"/sites/?q={latin}",
        "/sites/ q cyrillic": f"/sites/?q={cyrillic}",
        "/sites/ q two words": f"/sites/?q={quote(latin_name)}",
        "/sites/ q place": f"/sites/?q={quote(village.name.split()[0])}",
        "/sites/ q close": f"/sites/?q={quote(close)}",
        "/sites/ q country": f"/sites/?q={quote(country)}",
        "/sites/ q broad": "/sites/?q=ba",
        # Filters on the assessments: a level held by half the sites, and the last ten days
        # of assessments of the synthetic register (a thousand sites or so at 500,000).
        "/sites/ verification": "/sites/?verification=verified",
        "/sites/ assessed days": f"/sites/?assessed_from={recent[0]}&assessed_to={recent[1]}",
        # One whole year of mosques, as /statistics/ links a year (counted by the maintained
        # counts of each year).
        "/sites/ year+category": (
            f"/sites/?assessed_from={last.year - 3}-01-01&assessed_to={last.year - 3}-12-31"
            "&category=mosque"
        ),
        # Sorted by the latest assessment's date; the last page of the whole listing.
        "/sites/ recent": "/sites/?sort=-assessed",
        "/sites/ last page": "/sites/?page=last",
        "suggest": f"/sites/suggest?q={quote(latin[:4])}",
        # Two letters start tens of thousands of names; "évi" is inside as many.
        "suggest two letters": f"/sites/suggest?q={quote(latin[:2])}",
        "suggest inside": f"/sites/suggest?q={quote('évi')}",
        "dossier": site.get_absolute_url(),
        "dossier history": f"{site.get_absolute_url()}history/",
        "/visits/": "/visits/",
        "/sources/": "/sources/",
        "/sources/ cited": "/sources/?cited=yes",
        # The organisation that assessed most (a fifth of the synthetic assessments).
        "organisation": f"/organisations/{busiest_organisation().slug}/",
        "/disagreements/": "/disagreements/",
        "/": "/",
        **recovery_targets(district),
        **map_targets(district),
        "/statistics/": "/statistics/",
        "area district": f"/areas/{district.slug}/",
        "area village": f"/areas/{village.slug}/",
        "feed assessments": "/feeds/assessments.atom",
        "feed district": f"/feeds/assessments.atom?area={district.slug}",
        "feed village": f"/feeds/assessments.atom?area={village.slug}",
        "feed visits": "/feeds/visits.atom",
        **api_targets(district, site),
    }


def busiest_organisation():
    """The organisation named as the assessor of the most published assessments."""
    counted = (
        Assessment.objects.published()
        .exclude(assessed_by=None)
        .values("assessed_by")
        .annotate(number=Count("pk"))
        .order_by("-number", "assessed_by")
    )
    return Organisation.objects.get(pk=counted[0]["assessed_by"])


def recovery_targets(district):
    """The lists of restoration projects and commitments, filtered and not, and one page of
    each."""
    project = RestorationProject.objects.public().order_by("pk").first()
    commitment = Commitment.objects.public().order_by("pk").first()
    return {
        "/restoration/": "/restoration/",
        "/restoration/ status+area": f"/restoration/?status=planned&area={district.slug}",
        "project": project.get_absolute_url(),
        "/commitments/": "/commitments/",
        # A status and year that the synthetic register holds at every size, so that the
        # growth compares pages that list some: 2 commitments at 10,000 sites, 78 at
        # 500,000 (a page of 25), so its page grows with what it lists.
        "/commitments/ status+year": "/commitments/?status=in_progress&year=2019",
        "commitment": commitment.get_absolute_url(),
    }


def map_targets(district):
    """The map's data requests as the home page's map makes them: the extent, then the
    visible box at a world's, a country's, a district's, a town's and a street's zoom, the
    smaller ones centred on a district (about 1,200 × 800 screen pixels each); and some as
    the listing's map makes them with an assessment filter."""
    url = "/sites/map.json"
    latitude, longitude = float(district.latitude), float(district.longitude)
    top = Place.objects.filter(parent__isnull=True).order_by("pk").first()
    organisation = busiest_organisation().slug
    last = Assessment.objects.published().aggregate(last=Max("assessed_on"))["last"]
    since = last - datetime.timedelta(days=730)

    def box(zoom):
        width = 1200 / 256 * 360 / 2**zoom
        height = width * 2 / 3
        return ",".join(
            f"{value:.5f}"
            for value in (
                longitude - width / 2,
                latitude - height / 2,
                longitude + width / 2,
                latitude + height / 2,
            )
        )

    return {
        "map extent": url,
        "map z3 world": f"{url}?bbox=-180,-85,180,85&zoom=3",
        # The place at the top holds every site: the map reads the maintained cells.
        "map z3 world, top area": f"{url}?bbox=-180,-85,180,85&zoom=3&area={top.slug}",
        "map z7 country": f"{url}?bbox={box(7)}&zoom=7",
        "map z10 district": f"{url}?bbox={box(10)}&zoom=10",
        "map z13 town": f"{url}?bbox={box(13)}&zoom=13",
        "map z16 street": f"{url}?bbox={box(16)}&zoom=16",
        # The assessment filters the cells count by: the extent of an organisation's sites,
        # its country's clusters, and a district's clusters of a verification level.
        "map extent, organisation": f"{url}?organisation={organisation}",
        "map z7 country, organisation": f"{url}?bbox={box(7)}&zoom=7&organisation={organisation}",
        "map z10 district, verified": f"{url}?bbox={box(10)}&zoom=10&verification=verified",
        # The organisation's verified assessments: counted by the pairs of one assessment.
        "map extent, organisation verified": (
            f"{url}?organisation={organisation}&verification=verified"
        ),
        "map z7 country, organisation verified": (
            f"{url}?bbox={box(7)}&zoom=7&organisation={organisation}&verification=verified"
        ),
        # A level's sites of a category, counted by the cells by category: the extent the
        # listing's map asks for first.
        "map extent, verified mosques": f"{url}?verification=verified&category=mosque",
        # The sites assessed since a day two years before the last assessment: not counted
        # by the cells, but by the date of each site's latest assessment; and since the
        # first day of that year, which the cells count by the year of the latest.
        "map z7 country, since": f"{url}?bbox={box(7)}&zoom=7&assessed_from={since}",
        "map z7 country, since a year": (
            f"{url}?bbox={box(7)}&zoom=7&assessed_from={since.year}-01-01"
        ),
        # The sites assessed up to the same day: counted by the date of each site's earliest
        # assessment (its year, then the months and days of that year).
        "map z7 country, up to": f"{url}?bbox={box(7)}&zoom=7&assessed_to={since}",
        "map extent, up to": f"{url}?assessed_to={since}",
        # A year's mosques, as the listing of /statistics/'s link maps them (counted by the
        # cells by category and year), and half of that year (by month, less the pairs).
        "map z7 country, a year's mosques": (
            f"{url}?bbox={box(7)}&zoom=7&assessed_from={last.year - 3}-01-01"
            f"&assessed_to={last.year - 3}-12-31&category=mosque"
        ),
        "map z7 country, half a year": (
            f"{url}?bbox={box(7)}&zoom=7&assessed_from={last.year - 3}-01-01"
            f"&assessed_to={last.year - 3}-06-30"
        ),
        "map extent, half a year": (
            f"{url}?assessed_from={last.year - 3}-01-01&assessed_to={last.year - 3}-06-30"
        ),
    }


def api_targets(district, site):
    """The read API: the first page of sites, a page nine tenths of the way through the
    cursor (as a client reaches by following ``next``), a filtered page and a site."""
    ids = Site.objects.public().order_by("pk").values_list("pk", flat=True)
    deep = ids[ids.count() * 9 // 10]
    cursor = base64.b64encode(f"p={deep}".encode()).decode()
    return {
        "api sites": "/api/v1/sites/",
        "api sites deep cursor": f"/api/v1/sites/?cursor={cursor}",
        "api sites condition+area": f"/api/v1/sites/?condition=Destroyed&area={district.slug}",
        "api site detail": f"/api/v1/sites/{site.slug}/",
    }


def read(response):
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


#: The category a counting edit gives a site, and the one it gives a site already of it.
OTHER_CATEGORIES = ("museum", "library")
#: {site id: its category as built}: every second counting edit gives it back.
ORIGINAL_CATEGORIES = {}


def edit_a_record(site, counting=False):
    """Save a published site through the ORM, as an editor's change does: its version and
    the register's cache version change. A plain edit changes the registry number, which no
    number depends on; a ``counting`` one the category, which moves the counts of the site's
    village, of the places above it and of the whole register. Every second edit gives back
    the original value, so the register stays as it was built. The copy is read again
    first: another edit of the benchmark may have saved the site since (the register
    refuses a stale copy)."""
    site.refresh_from_db()
    if counting:
        original = ORIGINAL_CATEGORIES.setdefault(site.pk, site.category)
        if site.category != original:
            site.category = original
        else:
            other = [value for value in OTHER_CATEGORIES if value != original]
            site.category = other[0]
    elif site.registry_number.endswith("-edited"):
        site.registry_number = site.registry_number.removesuffix("-edited")
    else:
        site.registry_number = f"{site.registry_number}-edited"
    site.save()


def cold_after_edits(client, url, site, edits, counting=False):
    """The milliseconds of the first request after each of ``edits`` edits."""
    timings = []
    for _ in range(edits):
        edit_a_record(site, counting)
        started = time.perf_counter()
        read(client.get(url))
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def measure(client, url, repeat, site=None, edits=0, cold_runs=5):
    """Time ``cold_runs`` requests each with an empty cache (as after the cache is emptied or
    restarted; their median: one such request is too noisy to compare two registers by), then
    ``repeat`` requests with the cache as they leave it; then, with a ``site``, the first
    request after each of ``edits`` edits of it."""
    colds = []
    for _ in range(cold_runs):
        cache.clear()
        reset_queries()  # the log is cut at each request's start: count from zero
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            size = read(client.get(url))
            colds.append(time.perf_counter() - started)
        cold_queries = len(captured.captured_queries)
    cold = statistics.median(colds)
    totals, db_times, queries = [], [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            read(response)
            totals.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries.append(len(captured.captured_queries))
        db_times.append(sum(float(query["time"]) for query in captured.captured_queries))
    ordered = sorted(totals)
    # An edit raises the register's version: every cached result is out of reach. (A
    # published site: the first site by id may be a draft.)
    edit_a_record(site or Site.objects.public().order_by("pk").first())
    reset_queries()  # the log is cut at each request's start: count from zero
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        read(client.get(url))
        edited = time.perf_counter() - started
    # Counted now: captured_queries reads the connection's log, which later requests reset.
    edited_queries = len(captured.captured_queries)
    after_edits = cold_after_edits(client, url, site, edits) if site is not None else []
    after_counting = (
        cold_after_edits(client, url, site, edits, counting=True) if site is not None else []
    )
    return {
        "edited_p50_ms": statistics.median(after_edits) if after_edits else None,
        "edited_max_ms": after_edits[-1] if after_edits else None,
        "counted_p50_ms": statistics.median(after_counting) if after_counting else None,
        "counted_max_ms": after_counting[-1] if after_counting else None,
        "url": url,
        "bytes": size,
        "edit_cold_ms": edited * 1000,
        "edit_cold_queries": edited_queries,
        "p50_ms": statistics.median(totals) * 1000,
        "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000,
        "queries": max(queries),
        "db_share": sum(db_times) / sum(totals),
        "cold_ms": cold * 1000,
        "cold_queries": cold_queries,
    }


def stream_export(client, url):
    """Read a whole streamed export; return the number of features."""
    rows = 0
    for chunk in client.get(url).streaming_content:
        rows += chunk.count(b'"type": "Feature"')
    return rows


def measure_export(client, repeat):
    """Rows per second over full exports, then the peak memory of one more export.

    Memory is traced in a separate run because tracing slows Python down severalfold.
    """
    url = "/sites/export.geojson"
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = stream_export(client, url)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    stream_export(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    seconds = min(timings)
    return {
        "url": url,
        "seconds": seconds,
        "rows": rows,
        "rows_per_s": rows / seconds,
        "peak_mib": peak / 2**20,
    }


def warm_up(client, urls):
    """Ask for each page once, as a server that has run a while has: its code imported, its
    templates compiled, the database's pages in memory. Each page's cold request is then
    its own work with an empty cache, not the process's start. The milliseconds of the
    process's first request, and of the whole pass. The cache is emptied first: a page
    kept from an earlier run would answer without rendering anything."""
    cache.clear()
    started = time.perf_counter()
    first = None
    for url in urls:
        read(client.get(url))
        if first is None:
            first = (time.perf_counter() - started) * 1000
    return first, (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--export-repeat", type=int, default=1, help="full exports (0: no export measured)"
    )
    parser.add_argument(
        "--edits", type=int, default=5, help="edits of a site, each followed by a cold request"
    )
    parser.add_argument(
        "--cold-runs",
        type=int,
        default=5,
        help="requests with an empty cache per page, the cache emptied before each (median)",
    )
    parser.add_argument(
        "--only", default="", help="measure only the pages whose name starts with this, no export"
    )
    args = parser.parse_args()
    if args.cold_runs < 1:
        parser.error("--cold-runs must be at least 1")
    if args.export_repeat < 0:
        parser.error("--export-repeat must be 0 or more")
    client = Client(HTTP_HOST="localhost")
    targets = {name: url for name, url in pick_targets().items() if name.startswith(args.only)}
    edited = Site.objects.public().order_by("pk").first()
    first_ms, warm_up_ms = warm_up(client, targets.values())
    pages = {
        name: measure(client, url, args.repeat, edited, args.edits, args.cold_runs)
        for name, url in targets.items()
    }
    result = {
        "vendor": connection.vendor,
        "cache": settings.BENCH_CACHE,
        "sites": Site.objects.count(),
        "first_request_ms": first_ms,
        "warm_up_ms": warm_up_ms,
        "pages": pages,
    }
    if not args.only and args.export_repeat > 0:
        result["export"] = measure_export(client, args.export_repeat)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
