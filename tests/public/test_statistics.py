"""/statistics/ and /areas/<slug>/: breakdowns read from the maintained counts, every
number linking to the listing it counts, charts drawn on the server, CSV, bad parameters."""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.models import Place, Site
from tests.factories import (
    DisturbanceFactory,
    PlaceFactory,
    ReportedFigureFactory,
    SiteCitationFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
    published_assessment,
)
from tests.public.pages import body

pytestmark = pytest.mark.django_db

STATISTICS = "/statistics/"
AREA_QUERIES = 10
#: The place tree; the districts' counts and the whole register's (twice: by condition and
#: verification, then by category too); condition terms; months; the sites of each year;
#: damage years; figures; the category select's terms.
STATISTICS_QUERIES = 9


def links(html):
    return re.findall(r'<a href="([^"]+)">([\d,]+)</a>', html)


def listing_count(client, url):
    """How many sites the listing at ``url`` finds."""
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200
    return response.context["result_count"]


def test_statistics_counts_sites_by_district_and_condition(client, four_sites):
    html = client.get(STATISTICS).text

    assert '<a href="/areas/east/"><bdi>East District</bdi></a>' in html
    east_destroyed = "/sites/?area=east&amp;condition=Destroyed"
    assert f'<a href="{east_destroyed}">1</a>' in html
    assert '<a href="/sites/?area=west&amp;condition=Good">1</a>' in html
    assert '<a href="/sites/?area=west">2</a>' in html


def test_every_number_on_statistics_counts_what_its_listing_finds(client, four_sites):
    html = client.get(STATISTICS).text
    found = links(html)
    assert len(found) > 10
    for url, number in found:
        if url.startswith("/sites/"):
            assert listing_count(client, url) == int(number.replace(",", "")), url


def test_statistics_narrowed_to_a_category(client, four_sites):
    response = client.get(STATISTICS, {"category": "library"})
    assert response.status_code == 200
    assert '<a href="/sites/?area=west&amp;category=library&amp;condition=Good">1</a>' in (
        response.text
    )
    assert "area=east&amp;category=library" not in response.text


@pytest.mark.parametrize("query", [{"category": "castle"}, {"category": "\x00"}])
def test_statistics_answers_400_to_a_bad_category(client, four_sites, query):
    response = client.get(STATISTICS, query)
    assert response.status_code == 400
    assert "category" in response.text


def test_statistics_charts_are_svg_with_a_title_and_no_inline_style(client, four_sites):
    html = client.get(STATISTICS).text
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(charts) >= 3
    for chart in charts:
        assert 'role="img"' in chart
        assert "<title id=" in chart
        assert "<desc id=" in chart
        assert "style=" not in chart
        assert "<script" not in chart


def test_statistics_show_sites_assessed_by_month_and_damage_by_year(client, four_sites):
    alpha_assessment = four_sites_assessment("alpha")
    DisturbanceFactory(assessment=alpha_assessment, date_from=datetime.date(2020, 9, 27))
    html = client.get(STATISTICS).text

    january = "/sites/?assessed_from=2021-01-01&amp;assessed_to=2021-01-31"
    assert f'<a href="{january}">1</a>' in html
    # The last column counts each site once a year, however many months it was assessed in.
    published_assessment(Site.objects.get(slug="alpha"), datetime.date(2021, 3, 2), "Destroyed")
    html = client.get(STATISTICS).text
    year = "/sites/?assessed_from=2021-01-01&amp;assessed_to=2021-12-31"
    row = re.search(r'<th scope="row">2021</th>(.*?)</tr>', html).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "0", "1", *["0"] * 9, "1"]
    assert f'<a href="{year}">1</a></td></tr>' in row + "</tr>"
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-years.*?</svg>', html, flags=re.S)
    assert "<title>2021: 1</title>" in chart.group(0)
    assert '<th scope="row">2020</th><td class="number">1</td>' in html


def four_sites_assessment(slug):
    from inspections.models import Assessment

    return Assessment.objects.get(site__slug=slug)


def test_reported_figures_stand_beside_what_the_register_documents(client, four_sites):
    east = Place.objects.get(slug="east")
    source = SourceFactory(published=True, title="Report on mosques")
    ReportedFigureFactory(
        published=True, source=source, category="mosque", area=east, value=65, subject="mosques"
    )
    ReportedFigureFactory(publication_status="draft", source=source, subject="hidden figure")
    html = client.get(STATISTICS).text

    assert "Report on mosques" in html
    assert "hidden figure" not in html
    assert '<a href="/sites/?area=east&amp;category=mosque">1</a>' in html
    rows = list(csv.reader(io.StringIO(client.get("/statistics/figures.csv").text)))
    assert rows[0][-1] == "sites_in_register"
    assert rows[1][4] == "east"
    assert rows[1][-1] == "1"


def test_statistics_csv_holds_every_combination_with_its_verification_level(client, four_sites):
    response = client.get("/statistics/sites.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["district", "category", "latest_condition", "verification", "sites"]
    assert sorted(rows[1:]) == [
        ["east", "cemetery", "Poor", "reported", "1"],
        ["east", "mosque", "Destroyed", "verified", "1"],
        ["west", "caravanserai", "", "", "1"],
        ["west", "library", "Good", "corroborated", "1"],
    ]


@pytest.mark.parametrize("table", ["assessments", "damage", "figures"])
def test_every_statistics_table_downloads(client, four_sites, table):
    response = client.get(f"/statistics/{table}.csv")
    assert response.status_code == 200
    assert response.text.splitlines()[0]


def test_statistics_csv_refuses_parameters_and_unknown_tables(client):
    assert client.get("/statistics/sites.csv", {"x": "1"}).status_code == 400
    assert client.get("/statistics/secrets.csv").status_code == 404


def test_statistics_query_count_does_not_grow_with_the_register(
    client, four_sites, django_assert_num_queries
):
    cache.clear()
    with django_assert_num_queries(STATISTICS_QUERIES):
        client.get(STATISTICS)
    for index in range(6):
        SiteFactory(published=True, place=PlaceFactory(kind="district", slug=f"d{index}"))
    cache.clear()
    with django_assert_num_queries(STATISTICS_QUERIES):
        assert client.get(STATISTICS).status_code == 200


def test_statistics_read_counts_not_sites(client, four_sites, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(12) as captured:
        client.get(STATISTICS)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "inspections_sitecount" in sql
    assert 'FROM "heritage_site"' not in sql
    assert '"inspections_sitestatus"' not in sql
    # The counts are read for the districts and the places at the top, not summed over
    # the rows of every village.
    assert all(
        '"place_id" IN' in query["sql"] or '"parent_id" IS NULL' in query["sql"]
        for query in captured.captured_queries
        if 'FROM "inspections_sitecount"' in query["sql"]
    )


@pytest.mark.parametrize("query", ["", "?category=mosque"])
def test_statistics_sum_the_districts_from_an_index_alone(client, four_sites, query):
    """The sums by district read the index of the counts by place, condition and level
    (``inspections_sitecount_sums``), grouped in its order: no row of the table, no sort.
    SQLite's plan: PostgreSQL's planner chooses by the size of the table."""
    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(STATISTICS + query)
    (summed,) = [
        q["sql"]
        for q in captured.captured_queries
        if "GROUP BY" in q["sql"] and "_sitecount" in q["sql"] and '"place_id" IN' in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {summed}")
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "USING COVERING INDEX inspections_sitecount_sums" in plan
    assert "TEMP B-TREE" not in plan


def test_area_page_reads_its_own_counts_not_its_sites_or_their_citations(
    client, four_sites, django_assert_max_num_queries
):
    add_area_records(3)
    cache.clear()
    with django_assert_max_num_queries(AREA_QUERIES) as captured:
        assert client.get("/areas/east/").status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert 'FROM "heritage_site" ' not in sql
    assert '"heritage_sitecitation"' not in sql
    assert '"inspections_sitestatus"' not in sql
    assert '"inspections_citedsourcecount"' in sql


# --- Area pages ----------------------------------------------------------------------


def test_area_page_counts_its_sites_and_those_of_the_places_below_it(client, four_sites):
    response = client.get("/areas/east/")
    assert response.status_code == 200
    html = response.text
    assert '<a href="/sites/?area=east">2 published sites</a>' in html
    assert '<a href="/sites/?area=east&amp;category=mosque&amp;condition=Destroyed">1</a>' in html
    assert "Delta Library" not in html
    for url, number in links(html):
        if url.startswith("/sites/"):
            assert listing_count(client, url) == int(number), url


def test_area_page_of_a_village_links_up_to_its_district(client, four_sites):
    html = client.get("/areas/east-village/").text
    assert '<a href="/areas/east/"><bdi>East District</bdi></a>' in html
    assert '<a href="/sites/?area=east-village">1 published site</a>' in html


def test_area_page_shows_its_map_visits_figures_and_sources(client, four_sites):
    east = Place.objects.get(slug="east")
    visit = VisitFactory(published=True, title="Mission to the east")
    visit.places.add(east)
    VisitFactory(publication_status="draft", title="Draft mission").places.add(east)
    cited = SiteCitationFactory(
        site=SiteFactory(published=True, place=east), source__published=True
    ).source
    SiteCitationFactory(
        site=SiteFactory(publication_status="draft", place=east),
        source=SourceFactory(published=True, title="Only on a draft"),
    )
    html = client.get("/areas/east/").text

    assert 'data-geojson-url="/sites/export.geojson?area=east"' in html
    assert "Mission to the east" in html
    assert "Draft mission" not in html
    assert cited.title in html
    assert "Only on a draft" not in html


def test_area_page_of_an_unknown_place_is_404_and_parameters_are_400(client, four_sites):
    assert client.get("/areas/nowhere/").status_code == 404
    assert client.get("/areas/east/", {"category": "mosque"}).status_code == 400


def add_area_records(count):
    east, city = Place.objects.get(slug="east"), Place.objects.get(slug="east-city")
    for _index in range(count):
        site = SiteFactory(published=True, place=city)
        SiteCitationFactory(site=site, source__published=True)
        VisitFactory(published=True).places.add(east)
        ReportedFigureFactory(published=True, area=city, source__published=True)


@pytest.mark.parametrize("count", [1, 6])
def test_area_page_query_count_is_pinned(client, four_sites, django_assert_num_queries, count):
    add_area_records(count)
    cache.clear()
    # place; the place tree (and from it the places below) and names; condition terms;
    # counts; visits with their organisations and places; figures; sources; the map
    # legend's terms
    with django_assert_num_queries(AREA_QUERIES):
        assert client.get("/areas/east/").status_code == 200


def test_listing_and_dossier_link_place_names_to_area_pages(client, four_sites):
    assert '<a href="/areas/east-village/"><bdi>East Village</bdi></a>' in (
        client.get("/sites/").text
    )
    dossier = client.get(reverse("site-detail", args=["alpha"])).text
    assert '<a href="/areas/east-village/"><bdi>East Village</bdi></a>' in dossier
    assert '<a href="/areas/east/"><bdi>East District</bdi></a>' in dossier


def test_area_page_escapes_place_names(client):
    PlaceFactory(slug="bad", name="<script>alert(1)</script>")
    html = client.get("/areas/bad/").text
    assert "<script>alert(1)" not in html


def test_csv_export_names_each_sites_district(client, four_sites):
    response = client.get(reverse("site-export-csv"))
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body(response)))}
    assert rows["alpha"]["place"] == "East Village"
    assert rows["alpha"]["district"] == "East District"
    assert rows["beta"]["district"] == "East District"
    assert rows["delta"]["district"] == "West District"


def test_area_page_is_kept_until_the_register_changes(
    client, four_sites, django_assert_num_queries
):
    client.get("/areas/east/")
    # the place only: the rest of the page is cached
    with django_assert_num_queries(1):
        html = client.get("/areas/east/").text
    assert '<a href="/sites/?area=east">2 published sites</a>' in html

    SiteFactory(published=True, place=Place.objects.get(slug="east-village"))
    assert '<a href="/sites/?area=east">3 published sites</a>' in client.get("/areas/east/").text


# --- What an edit makes the statistics compute again ---------------------------------


def count_table_reads(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if "_sitecount" in query["sql"]
        or "_assessmentmonthcount" in query["sql"]
        or "_damageyearcount" in query["sql"]
    ]


def edit_alpha(**fields):
    """Save the site "alpha" of ``four_sites`` with ``fields`` changed, as an editor would."""
    site = Site.objects.get(slug="alpha")
    for name, value in fields.items():
        setattr(site, name, value)
    site.save()


def test_an_edit_that_moves_no_number_leaves_the_statistics_tables_kept(
    client, four_sites, django_assert_max_num_queries
):
    client.get(STATISTICS)
    edit_alpha(description="A description no number depends on.")

    with django_assert_max_num_queries(STATISTICS_QUERIES) as captured:
        html = client.get(STATISTICS).text

    # The tables by district, category and time are kept rendered until a count moves.
    assert count_table_reads(captured) == []
    assert '<a href="/sites/?area=east&amp;condition=Destroyed">1</a>' in html


def test_an_edit_that_moves_a_number_shows_on_the_statistics_at_once(client, four_sites):
    by_category = r'<a href="/sites/\?category=(\w+)">([\d,]+)</a>'
    before = dict(re.findall(by_category, client.get(STATISTICS).text))
    assert before["library"] == "1"
    assert before["mosque"] == "1"
    edit_alpha(category="library")

    after = dict(re.findall(by_category, client.get(STATISTICS).text))

    assert after["library"] == "2"
    assert "mosque" not in after


def test_an_edit_that_moves_the_counts_of_sites_leaves_those_over_time_and_the_places_kept(
    client, four_sites, django_assert_max_num_queries
):
    client.get(STATISTICS)
    edit_alpha(category="library")

    with django_assert_max_num_queries(STATISTICS_QUERIES) as captured:
        html = client.get(STATISTICS).text

    reads = count_table_reads(captured)
    assert reads, "the tables by district and category are made again"
    assert all("_sitecount" in sql for sql in reads)
    # The place tree is kept too: no query reads the places themselves.
    assert not [q for q in captured.captured_queries if 'FROM "heritage_place"' in q["sql"]]
    assert '<a href="/sites/?category=library">2</a>' in html
    # The month of the assessment is still shown, from the fragment kept.
    assert "2021" in html


def test_an_edit_sums_again_only_the_district_whose_counts_it_moved(
    client, four_sites, django_assert_max_num_queries
):
    east = Place.objects.get(slug="east")
    client.get(STATISTICS)
    edit_alpha(category="library")  # a site in a village of the east district

    with django_assert_max_num_queries(STATISTICS_QUERIES) as captured:
        html = client.get(STATISTICS).text

    by_district = [
        q["sql"]
        for q in captured.captured_queries
        if "GROUP BY" in q["sql"] and "_sitecount" in q["sql"] and '"place_id" IN' in q["sql"]
    ]
    assert len(by_district) == 1
    summed = re.search(r'"place_id" IN \(([^)]*)\)', by_district[0]).group(1)
    assert summed.split(", ") == [str(east.pk)]
    # Both districts' figures are on the page, the east's as they are now.
    assert '<a href="/sites/?area=east&amp;condition=Destroyed">1</a>' in html
    assert '<a href="/sites/?area=west&amp;condition=Good">1</a>' in html


def test_a_renamed_district_shows_on_the_statistics_at_once(client, four_sites):
    assert "East District" in client.get(STATISTICS).text
    east = Place.objects.get(slug="east")
    east.name = "Eastern District"
    east.save()

    html = client.get(STATISTICS).text

    assert '<a href="/areas/east/"><bdi>Eastern District</bdi></a>' in html


def test_a_relabelled_condition_shows_on_the_statistics_at_once(client, four_sites):
    from inspections.models import OverallCondition

    client.get(STATISTICS)
    term = OverallCondition.objects.get(label="Destroyed")
    term.label_az = "Tamamilə dağıdılıb"
    term.save()

    html = client.get("/az/statistics/").text

    assert "Tamamilə dağıdılıb" in html


def test_a_page_reads_the_register_version_once(client, four_sites, monkeypatch):
    from heritage import cache as register_cache

    reads = []
    original = register_cache.cache.get

    def counting_get(key, *args, **kwargs):
        if key == register_cache.VERSION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(register_cache.cache, "get", counting_get)
    client.get("/sites/")
    reads.clear()
    assert client.get("/sites/?area=east").status_code == 200
    assert len(reads) == 1


@pytest.mark.parametrize("address", [STATISTICS, "/az/statistics/", "/statistics/?category=mosque"])
def test_the_rows_kept_after_edits_draw_the_page_a_cleared_cache_draws(client, four_sites, address):
    """Each district's row and bar are kept rendered under its own counts (and the chart's
    scale): after any edit the page must be the one drawn from nothing."""
    west = Place.objects.get(slug="west")
    edits = [
        lambda: edit_alpha(category="library"),  # moves the east district's counts
        lambda: SiteFactory(published=True, place=west, category="mosque"),  # the west's
        lambda: edit_alpha(category="mosque"),  # and back: the scale changes
        lambda: SiteFactory(published=True, place=PlaceFactory(kind="district", name="Central")),
        lambda: setattr(west, "name", "Western District") or west.save(),  # a rename
    ]
    client.get(address)
    for edit in edits:
        edit()
        kept = client.get(address).text
        cache.clear()
        assert kept == client.get(address).text
    assert "Western District" in kept
    assert "Central" in kept


def test_reported_figures_are_kept_until_a_figure_its_source_or_a_count_changes(
    client, four_sites, django_assert_max_num_queries
):
    east = Place.objects.get(slug="east")
    source = SourceFactory(published=True, title="Report on mosques")
    figure = ReportedFigureFactory(
        published=True, source=source, category="mosque", area=east, value=65, subject="mosques"
    )
    client.get(STATISTICS)

    edit_alpha(description="A description no figure depends on.")
    with django_assert_max_num_queries(STATISTICS_QUERIES) as captured:
        client.get(STATISTICS)
    assert not [q for q in captured.captured_queries if "reportedfigure" in q["sql"]]

    figure.value = 70
    figure.save()
    assert 'class="chart-value">70</text>' in client.get(STATISTICS).text
    source.title = "Report on the mosques of the east"
    source.save()
    assert "Report on the mosques of the east" in client.get(STATISTICS).text
    # A count beside the figure: the east's mosques, 1, then 0.
    assert '<a href="/sites/?area=east&amp;category=mosque">1</a>' in client.get(STATISTICS).text
    edit_alpha(category="library")
    assert '<a href="/sites/?area=east&amp;category=mosque">1</a>' not in (
        client.get(STATISTICS).text
    )
