"""``/sites/map.json``: clusters counted on a grid at low zoom, the visible sites at high zoom,
withheld locations at their place's point, bounded size and pinned queries."""

import datetime
import json
import math

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from heritage.base import PublicationStatus
from heritage.models import Organisation, Place, Site, site_search
from heritage.query_budget import OverBudget
from inspections.map_cells import BLOCK
from inspections.models import Assessment, MapCellYear, OverallCondition
from inspections.models.map_cells import FINE_ZOOM, cell_size
from inspections.status import rebuild_site_status
from public import statistics
from public.filters import sites as site_filters
from public.views import map_data
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    VisitFactory,
    published_assessment,
)
from tests.map_sites import many_sites

pytestmark = pytest.mark.django_db

URL = reverse("site-map-data")
WHOLE_WORLD = "-180,-90,180,90"
REGION = "44,38,51,42"


def answer(client, **parameters):
    response = client.get(URL, parameters)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


@pytest.mark.parametrize(
    "parameters",
    [
        {"bbox": REGION},
        {"zoom": "5"},
        {"bbox": REGION, "zoom": "-1"},
        {"bbox": REGION, "zoom": "21"},
        {"bbox": REGION, "zoom": "five"},
        {"bbox": "44,38,51", "zoom": "5"},
        {"bbox": "51,38,44,42", "zoom": "5"},
        {"bbox": "44,42,51,38", "zoom": "5"},
        {"bbox": "-190,38,51,42", "zoom": "5"},
        {"bbox": "44,-91,51,42", "zoom": "5"},
        {"bbox": "44,38,51,nan", "zoom": "5"},
        {"bbox": "44,38,inf,42", "zoom": "5"},
        {"bbox": REGION, "zoom": "5", "category": "spaceship"},
        {"bbox": REGION, "zoom": "5", "area": "nowhere"},
        {"bbox": REGION, "zoom": "5", "organisation": "nobody"},
        {"bbox": REGION, "zoom": "5", "verification": "rumoured"},
        {"assessed_from": "2021-02-30", "assessed_to": "2021-12-31"},
        {"assessed_from": "2021-12-31", "assessed_to": "2021-01-01"},
    ],
)
def test_a_malformed_or_out_of_range_parameter_is_a_400_with_a_message(client, parameters):
    response = client.get(URL, parameters)

    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_without_a_box_the_answer_is_the_extent_of_the_matching_sites(client):
    SiteFactory(published=True, category="mosque", latitude="39.5", longitude="47.1")
    SiteFactory(published=True, category="mosque", latitude="40.0", longitude="46.2")
    SiteFactory(published=True, category="library", latitude="41.0", longitude="49.0")
    SiteFactory(latitude="10.0", longitude="10.0")  # a draft

    # The extent of the fine cells that hold the mosques: it holds every mosque, and none
    # of its sides is further than a cell (about 2.4 km) from one.
    [[south, west], [north, east]] = answer(client, category="mosque")["bounds"]
    size = cell_size(FINE_ZOOM)
    assert south <= 39.5 < south + size
    assert north - size < 40.0 <= north
    assert west <= 46.2 < west + size
    assert east - size < 47.1 <= east
    assert answer(client, category="museum") == {"bounds": None}
    # A filter the cells are not counted by reads the sites' own extent.
    assert answer(client, q="site") == {"bounds": [[39.5, 46.2], [41.0, 49.0]]}


def test_a_search_in_most_names_is_counted_from_sets_read_once(client, monkeypatch):
    monkeypatch.setattr(site_search, "COMMON", 2)
    SiteFactory(published=True, name="Bazar mosque", latitude="39.5", longitude="47.1")
    SiteFactory(published=True, name="Dash bazar", latitude="40.0", longitude="46.2")
    SiteFactory(published=True, name="Old bridge", latitude="41.0", longitude="49.0")
    assert site_search.SiteSearch.parse("ba").broad
    with CaptureQueriesContext(connection) as captured:
        bounds = answer(client, q="ba")["bounds"]
        counted = answer(client, q="ba", bbox=REGION, zoom="6")
    assert bounds == [[39.5, 46.2], [40.0, 47.1]]
    assert sorted(site["name"] for site in counted["sites"]) == ["Bazar mosque", "Dash bazar"]
    # Every site is read: the names are read once as a set, not each site's in turn.
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert 'U0."site_id" = ("heritage_site"."id")' not in sql
    assert "SELECT site_id FROM heritage_sitename" in sql


def test_a_broad_search_too_slow_to_map_whole_maps_the_sites_the_list_gives_first(
    client, monkeypatch
):
    monkeypatch.setattr(site_search, "COMMON", 2)
    monkeypatch.setattr(map_data, "BROAD_COUNT_LIMIT", 3)
    points = {"Bazar 0": "39.5", "Bazar 1": "39.6", "Bazar 2": "39.7", "Bazar 3": "40.9"}
    for name, latitude in points.items():
        SiteFactory(published=True, name=name, latitude=latitude, longitude="47.1")
    SiteFactory(published=True, name="Dash bazar", latitude="41.0", longitude="49.0")
    SiteFactory(published=True, name="Old bridge", latitude="40.0", longitude="46.2")
    assert site_search.SiteSearch.parse("ba").broad
    whole = answer(client, q="ba", bbox=REGION, zoom="6")
    assert len(whole["sites"]) == 5
    assert "message" not in whole

    # Every site found, counted from the sets of the word's sites, took too long (as
    # "mosque" did at a country's zoom at 500,000 sites): the sites the list gives first.
    mapped = map_data.map_answer

    def too_slow_unless_listed(request, listed=False):
        if not listed:
            raise OverBudget
        return mapped(request, listed=True)

    monkeypatch.setattr(map_data, "map_answer", too_slow_unless_listed)
    listed = answer(client, q="ba", bbox=REGION, zoom="6")
    assert sorted(site["name"] for site in listed["sites"]) == ["Bazar 0", "Bazar 1", "Bazar 2"]
    assert listed["truncated"] is True
    assert "the list gives first (3)" in listed["message"]
    assert answer(client, q="ba")["bounds"] == [[39.5, 47.1], [39.7, 47.1]]
    # In the list's order: sorted from Z to A, the list gives others first.
    backwards = answer(client, q="ba", sort="-name", bbox=REGION, zoom="6")
    assert sorted(site["name"] for site in backwards["sites"]) == [
        "Bazar 2",
        "Bazar 3",
        "Dash bazar",
    ]
    # A search that is not broad is ranked and counted in full by the list: the map's
    # message stays that it took too long.
    response = client.get(URL, {"q": "bazar", "bbox": REGION, "zoom": "6"})
    assert response.status_code == 400
    assert "took too long" in json.loads(response.content)["error"]

    # The sites the list gives first are kept apart from every site found.
    monkeypatch.setattr(map_data, "map_answer", mapped)
    assert answer(client, q="ba", bbox=REGION, zoom="6") == whole


def test_a_word_naming_a_large_area_maps_the_same_sites_read_either_way(client, monkeypatch):
    region = PlaceFactory(name="Qarabag region", kind="region")
    SiteFactory(published=True, place=region, latitude="39.5", longitude="47.1")
    SiteFactory(published=True, place=region, latitude="40.0", longitude="46.2")
    SiteFactory(published=True, name="Qarabag library", latitude="41.0", longitude="49.0")
    SiteFactory(published=True, name="Other mosque", latitude="38.5", longitude="45.0")
    narrow = answer(client, q="qarabag"), answer(client, q="qarabag", bbox=REGION, zoom="6")
    monkeypatch.setattr(site_search, "WIDE_PLACES", 1)
    assert site_search.SiteSearch.parse("qarabag").wide
    cache.clear()  # the answers are kept until the register changes
    wide = answer(client, q="qarabag"), answer(client, q="qarabag", bbox=REGION, zoom="6")
    assert wide == narrow
    assert narrow[0]["bounds"] == [[39.5, 46.2], [41.0, 49.0]]


def test_a_withheld_location_is_placed_at_its_place_at_every_zoom(client):
    village = PlaceFactory(latitude="39.600300", longitude="47.143100")
    SiteFactory(
        published=True,
        slug="hidden",
        name="Hidden shrine",
        latitude="39.539700",
        longitude="47.156400",
        location_precision=Site.Precision.WITHHELD,
        place=village,
    )

    extent = answer(client)
    sites = answer(client, bbox=REGION, zoom="15")["sites"]
    cells = many_sites_cells(client)

    # The extent is the fine cell of the place's point, which the site's own point is not in.
    [[south, west], [north, east]] = extent["bounds"]
    assert south <= 39.6003 <= north
    assert west <= 47.1431 <= east
    assert not south <= 39.5397 <= north
    assert north - south == east - west == cell_size(FINE_ZOOM)
    assert [(site["lat"], site["lon"]) for site in sites] == [(39.6003, 47.1431)]
    assert sites[0]["location_precision"] == "withheld"
    # A box around the true point only finds nothing.
    assert answer(client, bbox="47.15,39.53,47.16,39.54", zoom="15")["sites"] == []
    assert all("39.5397" not in json.dumps(cell) for cell in cells)


def many_sites_cells(client):
    return [answer(client, bbox=REGION, zoom=str(zoom)) for zoom in (3, 7, 10)]


def test_clusters_count_sites_by_condition_per_cell(client):
    many_sites(300, places=10)

    data = answer(client, bbox=REGION, zoom="6")

    assert data["mode"] == "clusters"
    assert data["total"] == 300
    assert sum(cluster["count"] for cluster in data["clusters"]) == 300
    conditions = [item["condition"] for item in data["conditions"]]
    assert conditions == ["Good", "Fair", "Poor", "Very Bad", "Destroyed", "Unknown", None]
    totals = [sum(column) for column in zip(*(c["counts"] for c in data["clusters"]), strict=True)]
    # Every fifth site has no latest condition; the others take the terms in turn.
    assert totals[-1] == 60
    assert sum(totals) == 300
    for cluster in data["clusters"]:
        assert sum(cluster["counts"]) == cluster["count"]
        noun = "site" if cluster["count"] == 1 else "sites"
        assert cluster["label"].startswith(f"{cluster['count']} {noun}: ")


def test_cluster_labels_name_the_conditions(client):
    for index in range(101):
        site = SiteFactory(published=True, latitude="40.1", longitude="47.1")
        if index < 3:
            published_assessment(site, "2021-05-01", "Destroyed")

    [cluster] = answer(client, bbox=REGION, zoom="5")["clusters"]

    assert cluster["label"] == "101 sites: 3 Destroyed, 98 Not assessed"


def test_only_blocks_with_sites_keep_their_clusters(client, monkeypatch):
    """The world's box touches dozens of blocks, most without a site: their (empty) cells are
    kept, so that the next answer reads no table, but no clusters are labelled or kept for
    them."""
    many_sites(300, places=10)
    kept = []
    set_many = cache.set_many

    def recording(data, *args, **kwargs):
        kept.extend(data)
        return set_many(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", recording)
    cache.clear()

    data = answer(client, bbox=WHOLE_WORLD, zoom="3")

    size = data["cell_size"]
    holding = {
        (math.floor(cluster["lat"] / size) // BLOCK, math.floor(cluster["lon"] / size) // BLOCK)
        for cluster in data["clusters"]
    }
    labelled = [key for key in kept if ":clusters:" in key]
    cells = [key for key in kept if key.startswith("register:map:") and ":clusters:" not in key]
    assert data["total"] == 300
    assert len(labelled) == len(holding) < len(cells)


def test_cluster_labels_are_kept_by_language_until_the_counts_change(client, monkeypatch):
    sites = [SiteFactory(published=True, latitude="40.1", longitude="47.1") for _ in range(101)]
    published_assessment(sites[0], "2021-05-01", "Destroyed")
    [english] = answer(client, bbox=REGION, zoom="5")["clusters"]
    with translation.override("az"):
        response = client.get(reverse("site-map-data"), {"bbox": REGION, "zoom": "5"})
    [azerbaijani] = json.loads(response.content)["clusters"]

    assert english["label"] == "101 sites: 1 Destroyed, 100 Not assessed"
    assert azerbaijani["label"].startswith("101 abidə: 1 Dağıdılıb, ")

    # Both are kept: answering again labels nothing.
    def no_labels(*args):
        raise AssertionError("a kept cluster was labelled again")

    monkeypatch.setattr(map_data.ClusterLabels, "__call__", no_labels)
    assert answer(client, bbox=REGION, zoom="5")["clusters"] == [english]
    monkeypatch.undo()

    published_assessment(sites[1], "2021-05-01", "Destroyed")
    [changed] = answer(client, bbox=REGION, zoom="5")["clusters"]
    assert changed["label"] == "101 sites: 2 Destroyed, 99 Not assessed"


def test_filters_apply_to_clusters_and_sites(client):
    many_sites(200, places=10)
    SiteFactory(published=True, category="library", latitude="40.1", longitude="47.1")

    assert answer(client, bbox=REGION, zoom="6")["total"] == 201
    assert answer(client, bbox=REGION, zoom="6", category="mosque")["total"] == 200
    libraries = answer(client, bbox=REGION, zoom="6", category="library")
    assert libraries["mode"] == "sites"
    assert [site["category_label"] for site in libraries["sites"]] == ["Library"]


def test_a_box_with_few_sites_gets_the_sites_at_any_zoom(client):
    SiteFactory(published=True, name="Juma Mosque", latitude="40.1", longitude="47.1")

    data = answer(client, bbox=WHOLE_WORLD, zoom="2")

    assert data["mode"] == "sites"
    assert data["truncated"] is False
    assert data["sites"][0]["name"] == "Juma Mosque"
    assert data["sites"][0]["url"] == Site.objects.get().get_absolute_url()


def test_at_high_zoom_the_sites_are_capped_and_the_answer_says_so(client):
    village = PlaceFactory(latitude="40.000000", longitude="47.000000")
    Site.objects.bulk_create(
        Site(
            slug=f"crowded-{index}",
            name=f"Crowded {index}",
            category="mosque",
            place=village,
            location_precision=Site.Precision.WITHHELD,
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index in range(map_data.MAX_SITES + 20)
    )

    data = answer(client, bbox="46.99,39.99,47.01,40.01", zoom="16")

    assert data["mode"] == "sites"
    assert data["truncated"] is True
    assert len(data["sites"]) == map_data.MAX_SITES
    assert data["message"] == "More sites are here than the map shows: zoom in."


def test_a_box_too_wide_for_its_zoom_gets_clusters_not_the_sites_of_a_region(
    client, django_assert_max_num_queries
):
    many_sites(300, places=10)

    # A street's zoom with the whole region's box: counted on the grid that fits the box,
    # from the maintained cells, not read site by site.
    with django_assert_max_num_queries(4) as captured:
        wide = answer(client, bbox=REGION, zoom="16")
    assert wide["mode"] == "clusters"
    assert wide["total"] == 300
    assert wide["cell_size"] == map_data.cell_size(map_data.grid_zoom(12, (44, 38, 51, 42)))
    assert not any('FROM "heritage_site"' in query["sql"] for query in captured)
    # A box that a map at that zoom may show still gets the sites themselves.
    narrow = answer(client, bbox="47.0,40.0,47.6,40.5", zoom="16")
    assert narrow["mode"] == "sites"


#: (zoom, box) of the size test: every kind of answer, from the world's clusters to a street.
SIZE_CASES = [
    (0, WHOLE_WORLD),
    (3, WHOLE_WORLD),
    (7, REGION),
    (9, WHOLE_WORLD),
    (9, "45,39,47,40.5"),
    (12, WHOLE_WORLD),
    (12, "46,39,46.5,39.5"),
    (13, REGION),
    (16, WHOLE_WORLD),
    (20, "46,39,46.01,39.01"),
]


def test_the_answer_stays_under_200_kb_at_any_zoom_and_box(client):
    many_sites(5000)

    for zoom, bbox in SIZE_CASES:
        cache.clear()  # each answer made afresh, not read from the last one's cells
        response = client.get(URL, {"bbox": bbox, "zoom": zoom})

        assert response.status_code == 200, (zoom, bbox)
        assert len(response.content) < 200_000, (zoom, bbox, len(response.content))


def test_queries_are_pinned_and_cells_come_from_the_cache(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    many_sites(500, places=20)
    PlaceFactory(slug="fuzuli", latitude="39.6", longitude="47.1")

    # Cold: the condition terms, then the grid.
    with django_assert_num_queries(2):
        first = answer(client, bbox=REGION, zoom="7")
    assert first["mode"] == "clusters"
    # Panned a little: most blocks come from the cache; one query counts the others.
    with django_assert_max_num_queries(1):
        answer(client, bbox="44.5,38,51.5,42", zoom="7")
    with django_assert_num_queries(0):
        assert answer(client, bbox=REGION, zoom="7") == first
    # An area (few sites: the sites themselves): the place, the places below it, the area's
    # count of sites and the register's (it does not hold every site), the grid counted
    # from the sites, and the sites shown at their own point and the withheld ones; again,
    # only the place.
    call_command("rebuild_site_counts", verbosity=0)
    with django_assert_num_queries(7):
        area = answer(client, bbox=REGION, zoom="7", area="village-3")
    assert area["mode"] == "sites"
    with django_assert_num_queries(1):
        assert answer(client, bbox=REGION, zoom="7", area="village-3") == area
    with django_assert_num_queries(2):
        answer(client, bbox="46,39,46.2,39.2", zoom="14")
    with django_assert_num_queries(1):
        answer(client)


def test_an_edit_empties_the_cached_cells(client):
    many_sites(150, places=5)
    before = answer(client, bbox=REGION, zoom="6")["total"]

    SiteFactory(published=True, latitude="40.1", longitude="47.1")

    assert answer(client, bbox=REGION, zoom="6")["total"] == before + 1


def test_the_maps_read_the_map_data_with_their_filters_and_a_dossier_its_geojson(client):
    SiteFactory(published=True, slug="juma-mosque", latitude="40.1", longitude="47.1")

    home = client.get(reverse("home")).content.decode()
    listing = client.get(reverse("site-list"), {"category": "mosque"}).content.decode()
    dossier = client.get("/sites/juma-mosque/").content.decode()

    assert 'data-map-url="/sites/map.json"' in home
    assert 'data-map-url="/sites/map.json?category=mosque"' in listing
    assert "data-map-url" not in dossier
    assert 'data-geojson-url="/sites/export.geojson?site=juma-mosque"' in dossier
    # The no-JavaScript fallback still offers the GeoJSON download.
    assert 'href="/sites/export.geojson"' in home


def test_an_area_holding_every_site_is_read_from_the_cells(client):
    many_sites(150, places=5)
    country = PlaceFactory(slug="country", name="Country")
    Place.objects.exclude(pk=country.pk).update(parent=country)
    call_command("rebuild_site_counts", verbosity=0)
    cache.clear()
    whole = many_sites_cells(client), answer(client)

    with CaptureQueriesContext(connection) as queries:
        within = [
            answer(client, bbox=REGION, zoom=str(zoom), area="country") for zoom in (3, 7, 10)
        ]
        assert (within, answer(client, area="country")) == whole
    assert not any('FROM "heritage_site"' in query["sql"] for query in queries)

    # Once a site lies outside the area, the area's sites are counted from the sites.
    SiteFactory(published=True, latitude="40.1", longitude="47.1")
    assert answer(client, bbox=REGION, zoom="7")["total"] == 151
    assert answer(client, bbox=REGION, zoom="7", area="country")["total"] == 150


def test_a_search_finding_every_site_through_its_places_is_read_from_the_cells(client, monkeypatch):
    many_sites(150, places=5)
    country = PlaceFactory(slug="country", name="Qarabag country")
    Place.objects.exclude(pk=country.pk).update(parent=country)
    call_command("rebuild_site_counts", verbosity=0)
    monkeypatch.setattr(site_search, "WIDE_PLACES", 2)
    cache.clear()
    whole = many_sites_cells(client), answer(client)

    with CaptureQueriesContext(connection) as queries:
        found = [answer(client, bbox=REGION, zoom=str(zoom), q="qarabag") for zoom in (3, 7, 10)]
        assert (found, answer(client, q="qarabag")) == whole
    # Neither the cells nor the extent were counted from the sites' points.
    assert not any('"heritage_site"."latitude"' in query["sql"] for query in queries)

    # Once a site lies outside the places the word names, the search is counted from the sites.
    SiteFactory(published=True, name="Other mosque", latitude="40.1", longitude="47.1")
    assert answer(client, bbox=REGION, zoom="7")["total"] == 151
    assert answer(client, bbox=REGION, zoom="7", q="qarabag")["total"] == 150


def assert_same_map(data, expected):
    """The same answer, its clusters or sites in any order (each way of counting gives them
    in its own), their points equal to the rounding of a mean (the cells sum millionths of a
    degree, the database averages floats)."""

    def parts(answer):
        items = sorted(
            answer.get("clusters") or answer["sites"], key=lambda item: (item["lat"], item["lon"])
        )
        rest = {key: value for key, value in answer.items() if key not in ("clusters", "sites")}
        points = [(item["lat"], item["lon"]) for item in items]
        return rest, [{**item, "lat": None, "lon": None} for item in items], points

    rest, items, points = parts(data)
    assert (rest, items) == parts(expected)[:2]
    for point, other in zip(points, parts(expected)[2], strict=True):
        assert point == pytest.approx(other, abs=2e-5)


def test_an_organisation_a_verification_level_or_a_year_is_read_from_the_cells(client, monkeypatch):
    sites = many_sites(300, places=10)
    # Every fifth site a library: an organisation's or a level's sites of a category are
    # read from the cells too.
    Site.objects.filter(pk__in=[site.pk for site in sites[::5]]).update(category="library")
    ngo, ministry = OrganisationFactory(slug="ngo"), OrganisationFactory(slug="ministry")
    visit = VisitFactory(published=True)
    visit.organisations.add(ministry)
    terms = list(OverallCondition.objects.order_by("pk"))
    Assessment.objects.bulk_create(
        Assessment(
            slug=f"assessment-{index}",
            site=site,
            assessed_on=datetime.date(2024, 1, 1 + index % 28),
            overall_condition=terms[index % len(terms)],
            # Even sites: the NGO's, verified; odd ones: made on the ministry's visit.
            assessed_by=ngo if index % 2 == 0 else None,
            visit=None if index % 2 == 0 else visit,
            verification="verified" if index % 2 == 0 else "reported",
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
        if index % 7
    )
    # A later assessment of the NGO's sites, in 2025, that finds what the first found.
    Assessment.objects.bulk_create(
        Assessment(
            slug=f"later-{index}",
            site=site,
            assessed_on=datetime.date(2025, 2, 1),
            overall_condition=terms[index % len(terms)],
            verification="reported",
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
        if index % 7 and index % 2 == 0
    )
    # Written around the ORM: the statuses and every count, as the command does.
    rebuild_site_status()
    condition = terms[2].label
    filters = [
        {"organisation": "ngo"},
        {"organisation": "ministry"},
        {"verification": "verified"},
        # A whole year, as the statistics link it, and years in a row: the NGO's sites,
        # assessed in 2024 and 2025, count once.
        {"assessed_from": "2024-01-01", "assessed_to": "2024-12-31"},
        {"assessed_from": "2024-01-01", "assessed_to": "2025-12-31"},
        {"assessed_from": "2020-01-01", "assessed_to": "2030-12-31", "condition": condition},
        # Since the first day of a year: those whose latest assessment is of a later one.
        {"assessed_from": "2024-01-01"},
        {"assessed_from": "2025-01-01"},
        {"organisation": "ngo", "condition": condition, "sort": "name"},
        {"organisation": "ministry", "category": "library"},
        {"verification": "verified", "category": "mosque"},
        {"organisation": "ministry", "category": "library", "condition": terms[3].label},
        # Up to the last day of a year: the years assessed up to it.
        {"assessed_to": "2024-12-31"},
        {"assessed_to": "2025-12-31", "condition": condition},
    ]
    counted, read = maps_and_site_reads(client, filters)
    # Neither the clusters nor the extents were counted from the sites' points: only the
    # sites of the filters that leave few were read, to be shown one by one.
    found = [maps[0].get("total") or len(maps[0]["sites"]) for maps in counted]
    assert found == [128, 129, 128, 257, 257, 43, 257, 128, 43, 26, 103, 9, 257, 43]
    modes = [data["mode"] for maps in counted for data in maps[:3]]
    assert modes == (
        ["clusters"] * 15
        + ["sites"] * 3
        + ["clusters"] * 6
        + ["sites"] * 6
        + ["clusters"] * 3
        + ["sites"] * 3
        + ["clusters"] * 3
        + ["sites"] * 3
    )
    assert len(read) == 15
    assert all("GROUP BY" not in sql and "MIN(" not in sql for sql in read)

    assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted)


def test_an_organisation_and_a_level_together_are_read_from_the_cells(client, monkeypatch):
    """An organisation with a verification level: the sites with one assessment of both (made
    by it or on its visit), read from the cells; a site whose assessment by the organisation
    is of another level, and whose verified one another body made, is not among them. The
    same map as counted from every site, and nothing read from the sites."""
    sites = many_sites(300, places=10)
    ngo, ministry = OrganisationFactory(slug="ngo"), OrganisationFactory(slug="ministry")
    visit = VisitFactory(published=True)
    visit.organisations.add(ministry)
    terms = list(OverallCondition.objects.order_by("pk"))
    levels = ["verified", "reported", "corroborated"]
    rows = [
        Assessment(
            slug=f"assessment-{index}",
            site=site,
            assessed_on=datetime.date(2024, 1, 1 + index % 28),
            overall_condition=terms[index % len(terms)],
            assessed_by=ngo if index % 2 == 0 else None,
            visit=None if index % 2 == 0 else visit,
            verification=levels[index % 3],
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
        if index % 7
    ]
    # Every fourth site assessed again by the other body, at the other levels.
    rows += [
        Assessment(
            slug=f"again-{index}",
            site=site,
            assessed_on=datetime.date(2025, 3, 1 + index % 28),
            overall_condition=terms[(index + 1) % len(terms)],
            assessed_by=ministry if index % 2 == 0 else ngo,
            verification=levels[(index + 1) % 3],
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
        if index % 4 == 0
    ]
    Assessment.objects.bulk_create(rows)
    rebuild_site_status()
    filters = [
        {"organisation": "ngo", "verification": "verified"},
        {"organisation": "ministry", "verification": "reported"},
        {"organisation": "ngo", "verification": "disputed"},
        {"organisation": "ministry", "verification": "corroborated", "condition": terms[1].label},
    ]
    counted, read = maps_and_site_reads(client, filters)
    assert all("GROUP BY" not in sql and "MIN(" not in sql for sql in read)
    found = [maps[0].get("total") or len(maps[0]["sites"]) for maps in counted]
    published = Assessment.objects.published()
    expected = []
    for parameters in filters:
        by = Organisation.objects.get(slug=parameters["organisation"])
        same = published.filter(
            Q(assessed_by=by) | Q(visit__organisations=by),
            verification=parameters["verification"],
        )
        matching = Site.objects.public().filter(pk__in=same.values("site"))
        if "condition" in parameters:
            matching = matching.filter(status__condition__label=parameters["condition"])
        expected.append(matching.count())
    assert found == expected
    assert found[0] > 0
    assert found[2] == 0
    # Not the sites that have the organisation's assessment and a verified one of another's.
    either = (
        Site.objects.public()
        .filter(pk__in=published.filter(assessed_by=ngo).values("site"))
        .filter(pk__in=published.filter(verification="verified").values("site"))
        .count()
    )
    assert either > found[0]

    assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted)


def maps_and_site_reads(client, filters):
    """With the cache emptied, each of ``filters``' maps at zooms 3, 7 and 10 over ``REGION``
    and its extent; and the SQL of the queries that read the sites' points."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        counted = [
            [answer(client, bbox=REGION, zoom=str(zoom), **parameters) for zoom in (3, 7, 10)]
            + [answer(client, **parameters)["bounds"]]
            for parameters in filters
        ]
    read = [query["sql"] for query in queries if '"heritage_site"."latitude"' in query["sql"]]
    return counted, read


def assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted):
    """Counted from the sites, each of ``filters`` has the same clusters as in ``counted``
    (at zooms 3, 7 and 10 over ``REGION``), and an extent of the same points (``counted``'s
    is of the fine cells that hold them)."""
    monkeypatch.setattr(map_data, "map_facet", lambda filterset: None)
    cache.clear()
    size = cell_size(FINE_ZOOM)
    for parameters, maps in zip(filters, counted, strict=True):
        again = [answer(client, bbox=REGION, zoom=str(zoom), **parameters) for zoom in (3, 7, 10)]
        for data, expected in zip(again, maps[:3], strict=True):
            assert_same_map(data, expected)
        found = answer(client, **parameters)["bounds"]
        if maps[3] is None:
            assert found is None
            continue
        [[south, west], [north, east]] = found
        [[cell_south, cell_west], [cell_north, cell_east]] = maps[3]
        assert cell_south <= south < cell_south + size
        assert cell_west <= west < cell_west + size
        assert cell_north - size < north <= cell_north
        assert cell_east - size < east <= cell_east


def maps_and_groupings(client, filters):
    """With the cache emptied, each of ``filters``' maps at zooms 3, 7 and 10 over ``REGION``
    and its extent; and for each, the number of queries that counted clusters or an extent
    from the sites' points."""
    cache.clear()
    counted, grouped = [], []
    for parameters in filters:
        with CaptureQueriesContext(connection) as queries:
            counted.append(
                [answer(client, bbox=REGION, zoom=str(zoom), **parameters) for zoom in (3, 7, 10)]
                + [answer(client, **parameters)["bounds"]]
            )
        grouped.append(
            sum(
                '"heritage_site"."latitude"' in query["sql"]
                and ("GROUP BY" in query["sql"] or "MIN(" in query["sql"])
                for query in queries
            )
        )
    return counted, grouped


def cell_reads(client, **parameters):
    """The SQL of the queries of the maintained cells of one map, with the cache emptied."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        answer(client, **parameters)
    return [query["sql"] for query in queries if '"inspections_mapcell' in query["sql"]]


def assessed_in_turn(sites, terms, days_apart, skipped):
    """Published assessments (unsaved) of ``sites`` from 1 January 2023 on, each site's
    ``days_apart`` days after the one before and with the next condition of ``terms``; every
    ``skipped``-th site has none."""
    first = datetime.date(2023, 1, 1)
    return [
        Assessment(
            slug=f"assessment-{index}",
            site=site,
            assessed_on=first + datetime.timedelta(days=days_apart * index),
            overall_condition=terms[index % len(terms)],
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
        if index % skipped
    ]


def a_year_later(sites, terms, draft=lambda index: False):
    """Assessments (unsaved) of every fourth of ``sites`` that ``assessed_in_turn`` (3 days
    apart, every ninth skipped) assessed, 365 days after it, with the next condition of
    ``terms``; drafts where ``draft(index)``, published otherwise."""
    first = datetime.date(2023, 1, 1)
    return [
        Assessment(
            slug=f"again-{index}",
            site=site,
            assessed_on=first + datetime.timedelta(days=3 * index + 365),
            overall_condition=terms[(index + 1) % len(terms)],
            publication_status=(
                PublicationStatus.DRAFT if draft(index) else PublicationStatus.PUBLISHED
            ),
        )
        for index, site in enumerate(sites)
        if index % 9 and index % 4 == 0
    ]


def test_the_sites_assessed_since_a_day_are_read_from_the_cells(client, monkeypatch):
    """Since a day other than the first of a year: the later years' and months' counts of
    the cells, and the counts of the days of the rest of the day's month (by the day of each
    site's latest assessment); the same map as counted from every site, with a draft later
    assessment and a site assessed twice, and nothing read from the sites."""
    sites = many_sites(300, places=10)
    terms = list(OverallCondition.objects.order_by("pk"))
    rows = assessed_in_turn(sites, terms, days_apart=3, skipped=9)
    # Every fourth site assessed again a year later; every fifth has a later draft.
    rows += a_year_later(sites, terms, draft=lambda index: index % 5 == 0)
    Assessment.objects.bulk_create(rows)
    rebuild_site_status()
    filters = [
        {"assessed_from": "2023-03-15"},
        {"assessed_from": "2023-03-01"},
        {"assessed_from": "2024-02-29", "condition": terms[2].label},
        {"assessed_from": "2024-07-04"},
        {"assessed_from": "2025-08-31"},
        {"assessed_from": "2022-05-05"},
        {"assessed_from": "2031-02-02"},
    ]
    counted, grouped = maps_and_groupings(client, filters)
    found = [maps[0].get("total") or len(maps[0]["sites"]) for maps in counted]
    assert found == [249, 253, 15, 124, 17, 266, 0]
    assert grouped == [0] * len(filters)
    # The later years from the cells, the later months from the day's year's row and the
    # days of the rest of the month from its month's row: three queries of the cells, of
    # which the month's reads the days of March 2023 alone.
    read = cell_reads(client, bbox=REGION, zoom="7", **filters[0])
    assert len(read) == 3
    assert sum('"inspections_mapcellyear"' in sql for sql in read) == 2
    for row in MapCellYear.objects.all():
        # The days of the latest assessments and of the earliest.
        days = {key for key in row.counts if key.startswith(("d:", "g:"))}
        if row.month:
            assert days == set(row.counts)
            assert {key[2:9] for key in days} == {f"{row.year}-{row.month:02}"}
        else:
            assert days == set()

    assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted)


def test_the_sites_assessed_up_to_a_day_are_read_from_the_cells(client, monkeypatch):
    """Up to a day (``assessed_to`` alone): the earlier years' and months' counts of the
    cells, and the counts of the days of the day's month up to it (by the day of each site's
    earliest assessment); the same map as counted from every site, with a draft earlier
    assessment and sites assessed twice, and nothing read from the sites."""
    sites = many_sites(300, places=10)
    terms = list(OverallCondition.objects.order_by("pk"))
    first = datetime.date(2023, 1, 1)
    rows = assessed_in_turn(sites, terms, days_apart=3, skipped=9)
    # Every fourth site assessed again a year later; every fifth has a draft a year before.
    rows += a_year_later(sites, terms)
    rows += [
        Assessment(
            slug=f"draft-{index}",
            site=site,
            assessed_on=first + datetime.timedelta(days=3 * index - 365),
            overall_condition=terms[(index + 2) % len(terms)],
            publication_status=PublicationStatus.DRAFT,
        )
        for index, site in enumerate(sites)
        if index % 5 == 0
    ]
    Assessment.objects.bulk_create(rows)
    rebuild_site_status()
    filters = [
        {"assessed_to": "2023-03-15"},
        {"assessed_to": "2023-03-31"},
        {"assessed_to": "2024-02-29", "condition": terms[2].label},
        {"assessed_to": "2024-12-31"},
        {"assessed_to": "2025-08-31"},
        {"assessed_to": "2022-05-05"},
        {"assessed_to": "2031-02-02"},
    ]
    counted, grouped = maps_and_groupings(client, filters)
    found = [maps[0].get("total") or len(maps[0]["sites"]) for maps in counted]
    published = Assessment.objects.published()
    expected = [
        Site.objects.public()
        .filter(pk__in=published.filter(assessed_on__lte=parameters["assessed_to"]).values("site"))
        .filter(
            **(
                {"status__condition__label": parameters["condition"]}
                if "condition" in parameters
                else {}
            )
        )
        .count()
        for parameters in filters
    ]
    assert found == expected
    assert found[0] < found[1] < found[3] < found[4] == found[6]
    assert found[5] == 0
    assert grouped == [0] * len(filters)
    # The earlier years from the cells, the earlier months from the day's year's row and the
    # days of its month up to it from its month's row: three queries of the cells.
    read = cell_reads(client, bbox=REGION, zoom="7", assessed_to="2024-03-15")
    assert len(read) == 3
    assert sum('"inspections_mapcellyear"' in sql for sql in read) == 2
    for row in MapCellYear.objects.all():
        days = {key for key in row.counts if key.startswith("g:")}
        if row.month:
            assert {key[2:9] for key in days} <= {f"{row.year}-{row.month:02}"}
        else:
            assert days == set()

    assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted)


def test_whole_months_are_read_from_the_cells_less_their_pairs(client, monkeypatch):
    """From the first day of a month to the last of it or of a later one, up to twelve
    months: the months' counts of the cells less those of their pairs of months, so that a
    site assessed in several of them counts once; a whole year of a category, the year's
    count by category. The same map as counted from every site, with sites assessed again
    weeks, months and more than a year later and a draft."""
    sites = many_sites(300, places=10)
    # Every third site a library.
    Site.objects.filter(pk__in=[site.pk for site in sites[::3]]).update(category="library")
    terms = list(OverallCondition.objects.order_by("pk"))
    first = datetime.date(2023, 1, 1)
    rows = assessed_in_turn(sites, terms, days_apart=3, skipped=9)
    for days, every in ((40, 3), (200, 4), (400, 7), (90, 11)):
        rows += [
            Assessment(
                slug=f"again-{days}-{index}",
                site=site,
                assessed_on=first + datetime.timedelta(days=3 * index + days),
                overall_condition=terms[(index + days) % len(terms)],
                publication_status=(
                    PublicationStatus.DRAFT if days == 90 else PublicationStatus.PUBLISHED
                ),
            )
            for index, site in enumerate(sites)
            if index % 9 and index % every == 0
        ]
    Assessment.objects.bulk_create(rows)
    rebuild_site_status()
    filters = [
        {"assessed_from": "2023-01-01", "assessed_to": "2023-06-30"},
        {"assessed_from": "2023-03-01", "assessed_to": "2023-03-31"},
        {"assessed_from": "2023-11-01", "assessed_to": "2024-10-31", "condition": terms[2].label},
        {"assessed_from": "2024-02-01", "assessed_to": "2025-01-31"},
        {"assessed_from": "2027-01-01", "assessed_to": "2027-03-31"},
        # A whole year of a category: the year's count by category.
        {"assessed_from": "2023-01-01", "assessed_to": "2023-12-31", "category": "library"},
        {
            "assessed_from": "2024-01-01",
            "assessed_to": "2024-12-31",
            "category": "mosque",
            "condition": terms[1].label,
        },
    ]
    counted, read = maps_and_site_reads(client, filters)
    # Neither the clusters nor the extents were counted from the sites' points.
    assert all("GROUP BY" not in sql and "MIN(" not in sql for sql in read)
    found = [maps[0].get("total") or len(maps[0]["sites"]) for maps in counted]
    # A site assessed in two months of the half year counts once: fewer than the months'.
    months = statistics.assessment_months()
    assert found[0] < sum(months.get((2023, month), 0) for month in range(1, 7))
    assert found[0] == (
        Site.objects.public()
        .filter(
            assessments__publication_status=PublicationStatus.PUBLISHED,
            assessments__assessed_on__range=(first, datetime.date(2023, 6, 30)),
        )
        .distinct()
        .count()
    )
    assert found[4] == 0
    # A year's months and the pairs of months taken away from them are one reading of its
    # rows: the half year reads the rows of 2023 once, the year from November 2023 those of
    # 2023 and 2024 once each.
    for parameters, years in ((filters[0], 1), (filters[2], 2)):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            answer(client, bbox=REGION, zoom="7", **parameters)
        read = [query for query in queries if '"inspections_mapcellyear"' in query["sql"]]
        assert len(read) == years

    assert_counted_from_the_sites_alike(client, monkeypatch, filters, counted)


def test_a_map_of_a_part_of_a_month_is_cached_until_its_region_changes(client):
    """The blocks of a map of the sites assessed since a day (read from the counts of the
    days of its month) or of dates the cells do not count (counted from the sites) are kept
    across edits elsewhere, and renewed by a change of a latest date within its month; those
    of an area go with the register's version."""
    sites = many_sites(200, places=10)
    poor = OverallCondition.objects.get(label="Poor")
    Assessment.objects.bulk_create(
        Assessment(
            slug=f"march-{index}",
            site=site,
            assessed_on=datetime.date(2023, 3, 5 if index == 0 else 20),
            overall_condition=poor,
            publication_status=PublicationStatus.PUBLISHED,
        )
        for index, site in enumerate(sites)
    )
    rebuild_site_status()
    far = SiteFactory(published=True, latitude="-10.3", longitude="-60.5")
    cache.clear()
    since = {"bbox": REGION, "zoom": "7", "assessed_from": "2023-03-15"}
    days = {**since, "assessed_to": "2023-03-31"}
    area = {**since, "area": sites[0].place.slug}
    assert answer(client, **since)["total"] == 199
    assert answer(client, **days)["total"] == 199
    extent = {"assessed_from": "2023-03-15", "assessed_to": "2023-03-31"}
    bounds = answer(client, **extent)["bounds"]
    in_area = answer(client, **area)["sites"]
    assert len(in_area) == 19

    far.name = "Renamed far away"
    far.save()
    with CaptureQueriesContext(connection) as queries:
        assert answer(client, **since)["total"] == 199
        assert answer(client, **days)["total"] == 199
    assert not any('"heritage_site"' in query["sql"] for query in queries)
    # The extent, of every region, stays until the map changes anywhere (as the rename
    # did): not for an edit the map does not show.
    assert answer(client, **extent)["bounds"] == bounds
    far.registry_number = "R-5"
    far.save()
    with CaptureQueriesContext(connection) as queries:
        assert answer(client, **extent)["bounds"] == bounds
    assert not any('"heritage_site"' in query["sql"] for query in queries)
    with CaptureQueriesContext(connection) as queries:
        assert answer(client, **area)["sites"] == in_area
    assert any('"heritage_site"' in query["sql"] for query in queries)

    published_assessment(sites[0], datetime.date(2023, 3, 25), "Poor")
    assert answer(client, **since)["total"] == 200
    assert answer(client, **days)["total"] == 200
    # The extent is read from the sites again: the map changed in a region.
    with CaptureQueriesContext(connection) as queries:
        moved = answer(client, **extent)["bounds"]
    assert any('"heritage_site"' in query["sql"] for query in queries)
    cache.clear()
    assert moved == answer(client, **extent)["bounds"]


def test_other_assessment_filters_are_counted_from_the_sites(client):
    site = SiteFactory(published=True, category="mosque", latitude="39.5", longitude="47.1")
    ngo = OrganisationFactory(slug="ngo")
    published_assessment(site, datetime.date(2024, 1, 1), "Poor", assessed_by=ngo)
    library = SiteFactory(published=True, category="library", latitude="39.6", longitude="47.2")
    published_assessment(
        library, datetime.date(2024, 1, 1), "Poor", assessed_by=ngo, verification="verified"
    )

    late = SiteFactory(published=True, category="museum", latitude="39.7", longitude="47.3")
    published_assessment(late, datetime.date(2024, 12, 31), "Good")

    def names(**parameters):
        data = answer(client, bbox=REGION, zoom="7", **parameters)
        return sorted(item["name"] for item in data["sites"])

    assert names(organisation="ngo") == sorted([site.name, library.name])
    assert names(organisation="ngo", category="library") == [library.name]
    assert names(organisation="ngo", verification="verified") == [library.name]
    assert names(verification="disputed") == []
    # Dates other than a whole year.
    assert names(assessed_from="2024-01-01", assessed_to="2024-12-30") == sorted(
        [site.name, library.name]
    )
    assert names(assessed_from="2024-01-02", assessed_to="2024-12-31") == [late.name]
    assert len(names(assessed_from="2024-01-01", assessed_to="2024-12-31")) == 3


def test_the_cells_are_read_for_one_assessment_filter_at_a_time_dates_without_a_category():
    ngo = OrganisationFactory(slug="ngo")

    def facet(**parameters):
        filterset = map_data.MapSiteFilter(parameters, queryset=Site.objects.public())
        assert filterset.is_valid()
        return map_data.map_facet(filterset)

    def only(field, *labels):
        return map_data.Facet(((field, labels),))

    year = {"assessed_from": "2023-01-01", "assessed_to": "2023-12-31"}
    assert facet(organisation="ngo") == only("facets", f"o:{ngo.pk}")
    assert facet(verification="verified", condition="Poor") == only("facets", "v:verified")
    assert facet(**year) == only("years", "y:2023")
    # More than one year: none yet assessed, no label.
    assert facet(assessed_from="2023-01-01", assessed_to="2024-12-31") == only("years")
    # From the first day of a year: the sites whose latest assessment is of that year or a
    # later one, among the years assessed (none yet: no label).
    assert facet(assessed_from="2023-01-01") == only("latest_years")
    published_assessment(SiteFactory(published=True), datetime.date(2021, 3, 1), "Poor")
    published_assessment(SiteFactory(published=True), datetime.date(2025, 3, 1), "Poor")
    assert facet(assessed_from="2023-01-01") == only("latest_years", "l:2023", "l:2024", "l:2025")
    # From a year to a later one: the years between less the pairs of years between, of
    # the years assessed.
    assert facet(assessed_from="2020-01-01", assessed_to="2023-12-31") == map_data.Facet(
        (("years", ("y:2021", "y:2022", "y:2023")),),
        subtracted=(("year_pairs", ("p:2021:2022", "p:2021:2023", "p:2022:2023")),),
    )
    assert facet(assessed_from="2020-01-01", assessed_to="2023-12-31", category="mosque") is None
    assert facet(assessed_from="2025-01-01", assessed_to="2030-12-31") == only("years", "y:2025")
    assert facet(assessed_from="2026-01-01", assessed_to="2030-12-31") == only("years")
    # From another day: the later years, the later months of its year (its own from its
    # first day) in its year's rows, and the days of the rest of its month in its month's.
    months = tuple(f"m:2023-{month:02}" for month in range(2, 13))
    days = tuple(f"d:2023-01-{day:02}" for day in range(2, 32))
    assert facet(assessed_from="2023-01-02") == map_data.Facet(
        (("latest_years", ("l:2024", "l:2025")), ("*years:2023", months), ("*years:2023-01", days))
    )
    later = tuple(f"m:2024-{month:02}" for month in range(2, 13))
    assert facet(assessed_from="2024-02-01") == map_data.Facet(
        (("latest_years", ("l:2025",)), ("*years:2024", later))
    )
    assert facet(assessed_from="2024-02-29").sources[1:] == (
        ("*years:2024", ("m:2024-03", *later[2:])),
        ("*years:2024-02", ("d:2024-02-29",)),
    )
    assert facet(assessed_from="2025-12-31", condition="Poor") == map_data.Facet(
        (("latest_years", ()), ("*years:2025-12", ("d:2025-12-31",)))
    )
    assert facet(assessed_from="2026-06-15") == only("latest_years")
    assert facet(assessed_from="2019-06-15") == facet(assessed_from="2021-01-01")
    assert facet(assessed_from="2023-01-01", category="mosque") is None
    # Whole years with a category: the same labels by category.
    assert facet(category="mosque", **year) == only("*years:2023", "k:2023:mosque")
    # Up to the last day of a year: the sites whose earliest assessment is of that year or
    # an earlier one, among the years assessed; none before the first.
    assert facet(assessed_to="2023-12-31") == only("earliest_years", "e:2021", "e:2022", "e:2023")
    assert facet(assessed_to="2021-12-31") == only("earliest_years", "e:2021")
    assert facet(assessed_to="2020-12-31") == only("earliest_years")
    assert facet(assessed_to="2030-12-31") == facet(assessed_to="2025-12-31")
    # Up to another day: the earlier years, the earlier months of its year (its own up to its
    # last day) in its year's rows, and the days of its month up to it in its month's.
    assert facet(assessed_to="2023-12-30") == map_data.Facet(
        (
            ("earliest_years", ("e:2021", "e:2022")),
            ("*years:2023", tuple(f"f:2023-{month:02}" for month in range(1, 12))),
            ("*years:2023-12", tuple(f"g:2023-12-{day:02}" for day in range(1, 31))),
        )
    )
    assert facet(assessed_to="2024-02-29", condition="Poor") == map_data.Facet(
        (
            ("earliest_years", ("e:2021", "e:2022", "e:2023")),
            ("*years:2024", ("f:2024-01", "f:2024-02")),
        )
    )
    assert facet(assessed_to="2021-01-01") == map_data.Facet(
        (("earliest_years", ()), ("*years:2021-01", ("g:2021-01-01",)))
    )
    assert facet(assessed_to="2020-06-15") == only("earliest_years")
    assert facet(assessed_to="2023-05-01", category="mosque") is None
    # Whole months: none of these assessed (those of 2023 counted from the sites before).
    assert facet(assessed_from="2023-02-01", assessed_to="2023-12-31") == only("years")
    assert facet(assessed_from="2023-01-01", assessed_to="2024-12-30") is None
    assert facet(organisation="ngo", **year) is None
    # An organisation and a level: those of one and the same assessment, not by category.
    assert facet(organisation="ngo", verification="verified") == only(
        "organisation_levels", f"w:{ngo.pk}:verified"
    )
    assert facet(organisation="ngo", verification="verified", condition="Poor") == only(
        "organisation_levels", f"w:{ngo.pk}:verified"
    )
    assert facet(organisation="ngo", category="mosque") == only(
        "category_facets", f"c:mosque:o:{ngo.pk}"
    )
    assert facet(verification="verified", category="library", condition="Poor") == only(
        "category_facets", "c:library:v:verified"
    )
    assert facet(organisation="ngo", verification="verified", category="mosque") is None
    assert facet(category="mosque") is None
    # Years assessed over more than MAX_PAIRED_YEARS: counted from the sites.
    published_assessment(SiteFactory(published=True), datetime.date(1950, 3, 1), "Poor")
    assert facet(assessed_from="1900-01-01", assessed_to="2030-12-31") is None
    assert facet(assessed_from="1990-01-01", assessed_to="2030-12-31") is not None
    # From the first day of a month to the last of it or of a later one, up to twelve: the
    # months assessed, less their pairs (of the year of the first month).
    published_assessment(SiteFactory(published=True), datetime.date(2025, 5, 10), "Poor")
    published_assessment(SiteFactory(published=True), datetime.date(2024, 12, 31), "Poor")
    assert facet(assessed_from="2025-01-01", assessed_to="2025-03-31") == only(
        "*years:2025", "a:2025-03"
    )
    assert facet(assessed_from="2024-12-01", assessed_to="2025-11-30") == map_data.Facet(
        (
            ("*years:2024", ("a:2024-12",)),
            ("*years:2025", ("a:2025-03", "a:2025-05")),
        ),
        subtracted=(
            ("*years:2024", ("q:2024-12:2025-03", "q:2024-12:2025-05")),
            ("*years:2025", ("q:2025-03:2025-05",)),
        ),
    )
    assert facet(assessed_from="2024-12-01", assessed_to="2025-11-30", condition="Poor") == (
        facet(assessed_from="2024-12-01", assessed_to="2025-11-30")
    )
    assert facet(assessed_from="2026-01-01", assessed_to="2026-01-31") == only("years")
    # Thirteen months, a part of a month, or with a category: counted from the sites.
    assert facet(assessed_from="2024-12-01", assessed_to="2025-12-31") is None
    assert facet(assessed_from="2025-01-01", assessed_to="2025-06-29") is None
    assert facet(assessed_from="2025-01-02", assessed_to="2025-06-30") is None
    assert facet(assessed_from="2025-01-01", assessed_to="2025-06-30", category="mosque") is None


def test_the_years_since_a_date_name_only_the_years_assessed(client, monkeypatch):
    """A year long before the first assessment names the years from the first one on, not
    every year since (a year 1 named 2,024, too many keys for SQLite's expression); the
    extent of many keys is tested a few hundred at a time."""
    for year, latitude, longitude in ((2019, "38.5", "45.0"), (2022, "41.5", "50.5")):
        site = SiteFactory(published=True, latitude=latitude, longitude=longitude)
        published_assessment(site, datetime.date(year, 5, 1), "Poor")
    SiteFactory(published=True, latitude="40.0", longitude="47.0")  # never assessed

    def facet(since):
        filterset = map_data.MapSiteFilter({"assessed_from": since}, queryset=Site.objects.public())
        assert filterset.is_valid()
        return map_data.map_facet(filterset)

    assert (
        facet("0001-01-01").sources
        == facet("2019-01-01").sources
        == (("latest_years", ("l:2019", "l:2020", "l:2021", "l:2022")),)
    )
    assert facet("2022-01-01").sources == (("latest_years", ("l:2022",)),)
    assert facet("2023-01-01").sources == (("latest_years", ()),)
    bounds = answer(client, assessed_from="0001-01-01")["bounds"]
    size = cell_size(FINE_ZOOM)
    assert bounds[0][0] <= 38.5 < bounds[0][0] + size
    assert bounds[1][1] - size < 50.5 <= bounds[1][1]
    monkeypatch.setattr(map_data, "KEYS_PER_TEST", 1)
    cache.clear()
    assert answer(client, assessed_from="0001-01-01")["bounds"] == bounds
    assert answer(client, assessed_from="2023-01-01")["bounds"] is None
    clusters = answer(client, assessed_from="0001-01-01", bbox=REGION, zoom="16")
    assert len(clusters["sites"]) == 2


def test_dates_leaving_fewer_sites_than_the_other_filters_are_read_from_the_assessments(
    client, monkeypatch
):
    """A map of assessment dates reads their assessments first when the maintained counts
    say the sites of those months are fewer than those the other filters leave, and tests
    each site otherwise, or for a street's few; either way, the same map."""
    sites = many_sites(300, places=10)
    terms = list(OverallCondition.objects.order_by("pk"))
    Assessment.objects.bulk_create(assessed_in_turn(sites, terms, days_apart=2, skipped=5))
    rebuild_site_status()
    call_command("rebuild_site_counts", verbosity=0)
    street = ",".join(
        str(float(value) + offset)
        for value, offset in (
            (sites[1].longitude, -0.01),
            (sites[1].latitude, -0.01),
            (sites[1].longitude, 0.01),
            (sites[1].latitude, 0.01),
        )
    )
    # Every assessment's sites are read site by site below this many: past it, by the dates.
    monkeypatch.setattr(site_filters, "FEW_ASSESSED_SITES", 0)
    # Not whole months (``months_between``): counted from the sites.
    spring = {"assessed_from": "2023-03-01", "assessed_to": "2023-05-30"}
    filters = [
        spring,
        {**spring, "condition": terms[1].label},
        {"assessed_from": "2023-01-02", "assessed_to": "2023-02-10"},
        # The whole register's sites of the months from February on are more than the
        # sites of one condition: tested site by site.
        {"assessed_from": "2023-02-01", "assessed_to": "2024-12-31", "condition": terms[0].label},
    ]

    def maps(parameters):
        return [answer(client, bbox=REGION, zoom=str(zoom), **parameters) for zoom in (3, 7)] + [
            answer(client, **parameters)["bounds"],
            answer(client, bbox=street, zoom="16", **parameters),
        ]

    found, plans = [], []
    for parameters in filters:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            found.append(maps(parameters))
        read = [query["sql"] for query in queries if '"heritage_site"."latitude"' in query["sql"]]
        plans.append(
            ["EXISTS" if "EXISTS" in sql else "IN" if "IN (SELECT" in sql else "" for sql in read]
        )
    # The sites of the boxes at zooms 3 and 7 (counted, then listed: they are few) and the
    # extent are read from the dates first; a street's are tested one by one.
    assert plans[:3] == [["IN"] * 5 + ["EXISTS"]] * 3
    assert plans[3] == ["EXISTS"] * 6
    assert all(maps[0]["sites"] for maps in found)
    assert any(maps[3]["sites"] for maps in found)

    monkeypatch.setattr(site_filters, "dates_first", lambda data, given: False)
    for parameters, expected in zip(filters, found, strict=True):
        cache.clear()
        again = maps(parameters)
        for data, other in zip(again[:2], expected[:2], strict=True):
            assert_same_map(data, other)
        assert again[2] == expected[2]
        assert_same_map(again[3], expected[3])
