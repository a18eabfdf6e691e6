"""``/sites/``: each filter of the listing, alone and with another, its sort orders, and the
400 that a bad value gets."""

import datetime
import itertools
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from heritage.models import Place
from public.filters import sites as site_filters
from public.views import sites as sites_view
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    VisitFactory,
    published_assessment,
)
from tests.public.pages import assert_shows, listed_slugs
from tests.public.site_filters import (
    BAD_PAGES,
    BAD_PARAMETERS,
    FILTER_CASES,
    MORE_FILTER_CASES,
    case_id,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
ALL_SITES = {"alpha", "beta", "gamma", "delta"}


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    FILTER_CASES + MORE_FILTER_CASES,
    ids=case_id,
)
def test_each_filter_alone_finds_its_sites(client, parameter, value, expected):
    response = client.get(LIST_URL, {parameter: value})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == expected


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(FILTER_CASES, 2)),
    ids=lambda case: f"{case[0]}={case[1]}",
)
def test_two_filters_together_find_the_sites_matching_both(client, first, second):
    response = client.get(LIST_URL, {first[0]: first[1], second[0]: second[1]})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == first[2] & second[2]


@pytest.mark.usefixtures("four_sites")
def test_an_empty_search_lists_everything(client):
    response = client.get(LIST_URL, {"q": "   ", "category": "", "sort": ""})

    assert response.status_code == 200
    assert set(listed_slugs(response)) == ALL_SITES


def test_condition_is_that_of_the_latest_published_assessment(client):
    site = SiteFactory(published=True, slug="mended")
    published_assessment(site, datetime.date(2020, 1, 1), "Destroyed")
    published_assessment(site, datetime.date(2023, 1, 1), "Fair")

    assert listed_slugs(client.get(LIST_URL, {"condition": "Destroyed"})) == []
    assert listed_slugs(client.get(LIST_URL, {"condition": "Fair"})) == ["mended"]


def test_assessment_filters_apply_to_one_and_the_same_assessment(client):
    icesco = OrganisationFactory(slug="icesco")
    other = OrganisationFactory(slug="other")
    site = SiteFactory(published=True, slug="twice-assessed")
    AssessmentFactory(
        site=site, published=True, assessed_by=icesco, assessed_on=datetime.date(2019, 5, 1)
    )
    AssessmentFactory(
        site=site,
        published=True,
        assessed_by=other,
        assessed_on=datetime.date(2022, 5, 1),
        verification="verified",
    )

    def found(**params):
        return listed_slugs(client.get(LIST_URL, params))

    assert found(organisation="icesco", assessed_from="2022-01-01") == []
    assert found(organisation="icesco", verification="verified") == []
    assert found(organisation="other", assessed_from="2022-01-01") == ["twice-assessed"]
    assert found(assessed_from="2019-01-01", assessed_to="2019-12-31") == ["twice-assessed"]
    assert found(assessed_from="2020-01-01", assessed_to="2021-12-31") == []


def test_date_range_includes_both_ends(client):
    site = SiteFactory(published=True, slug="on-the-day")
    AssessmentFactory(site=site, published=True, assessed_on=datetime.date(2021, 1, 12))

    response = client.get(LIST_URL, {"assessed_from": "2021-01-12", "assessed_to": "2021-01-12"})

    assert listed_slugs(response) == ["on-the-day"]


def test_area_includes_every_level_below_it(client):
    country = PlaceFactory(slug="country", kind=Place.Kind.COUNTRY)
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT, parent=country)
    city = PlaceFactory(slug="city", parent=district)
    quarter = PlaceFactory(slug="quarter", kind=Place.Kind.OTHER, parent=city)
    for slug, place in [("in-country", country), ("in-city", city), ("in-quarter", quarter)]:
        SiteFactory(published=True, slug=slug, place=place)
    SiteFactory(published=True, slug="elsewhere")

    assert set(listed_slugs(client.get(LIST_URL, {"area": "country"}))) == {
        "in-country",
        "in-city",
        "in-quarter",
    }
    assert set(listed_slugs(client.get(LIST_URL, {"area": "district"}))) == {
        "in-city",
        "in-quarter",
    }
    # The places below an area are kept until a place changes: a new one counts at once.
    street = PlaceFactory(slug="street", kind=Place.Kind.OTHER, parent=quarter)
    SiteFactory(published=True, slug="in-street", place=street)
    assert set(listed_slugs(client.get(LIST_URL, {"area": "district"}))) == {
        "in-city",
        "in-quarter",
        "in-street",
    }


@pytest.mark.usefixtures("unpublished_findings")
def test_organisation_counts_a_visit_only_when_the_visit_is_published(client):
    assert listed_slugs(client.get(LIST_URL, {"organisation": "icesco"})) == []


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["alpha", "beta", "delta", "gamma"]),
        ("-name", ["gamma", "delta", "beta", "alpha"]),
        ("category", ["gamma", "beta", "delta", "alpha"]),
        ("-assessed", ["beta", "alpha", "delta", "gamma"]),
        ("assessed", ["delta", "alpha", "beta", "gamma"]),
    ],
)
def test_sort_orders_the_results(client, sort, expected):
    assert listed_slugs(client.get(LIST_URL, {"sort": sort})) == expected


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    BAD_PARAMETERS + BAD_PAGES,
    ids=case_id,
)
def test_bad_parameter_gets_the_full_page_with_a_400_naming_it(client, params, parameter, message):
    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert_shows(
        html,
        shown=["<h1>Sites</h1>", '<form class="filters"', f"Parameter “{parameter}”", message],
    )
    assert listed_slugs(response) == []


@pytest.mark.usefixtures("four_sites")
def test_bad_parameter_keeps_the_other_values_in_the_form(client):
    response = client.get(LIST_URL, {"category": "fish", "area": "east"})

    assert response.status_code == 400
    assert '<option value="east" selected>' in response.content.decode()


def test_unpublished_sites_are_not_found_by_any_filter(client):
    icesco = OrganisationFactory(slug="icesco")
    draft = SiteFactory(publication_status="draft", slug="draft-site", category="cemetery")
    SiteNameFactory(site=draft, name="Secret name")
    AssessmentFactory(site=draft, published=True, assessed_by=icesco, condition="Destroyed")

    for params in [
        {"q": "secret"},
        {"category": "cemetery"},
        {"condition": "Destroyed"},
        {"organisation": "icesco"},
        {"verification": "reported"},
    ]:
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        assert "draft-site" not in response.content.decode()


@pytest.mark.usefixtures("unpublished_findings")
def test_a_draft_assessment_counts_for_no_filter_and_shows_nowhere(client):
    for params in [
        {"condition": "Destroyed"},
        {"organisation": "icesco"},
        {"verification": "verified"},
        {"assessed_from": "2021-01-01"},
    ]:
        assert "only-draft-assessment" not in listed_slugs(client.get(LIST_URL, params))
    html = client.get(LIST_URL).content.decode()
    assert set(listed_slugs(client.get(LIST_URL))) == {"only-draft-assessment", "on-a-draft-visit"}
    assert_shows(
        html,
        shown=["Not assessed"],
        hidden=["2021-01-12", "Destroyed</td>"],
    )


@pytest.mark.usefixtures("four_sites")
def test_filters_on_the_assessments_count_up_to_the_limit_and_say_so(client, monkeypatch):
    # Every site has a published assessment from 2020 on but gamma: three match.
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 2)
    response = client.get(LIST_URL, {"assessed_from": "2020-01-01"})

    assertContains(
        response,
        "More than 2 sites match: the first 2 are listed. Narrow the filters, or download an "
        "export for all of them.",
    )
    assert len(listed_slugs(response)) == 2
    assert client.get(LIST_URL, {"assessed_from": "2020-01-01", "page": 2}).status_code == 400
    # The export is not limited.
    export = client.get(reverse("site-export-csv"), {"assessed_from": "2020-01-01"})
    assert len(b"".join(export.streaming_content).decode().strip().splitlines()) == 4
    translated = client.get(f"/az{LIST_URL}", {"assessed_from": "2020-01-01"})
    assertContains(translated, "Filtrləri daraldın və ya hamısı üçün ixrac faylını yükləyin.")

    # Up to the limit the count is exact; filters the maintained counts know are not limited.
    assertContains(client.get(LIST_URL, {"verification": "verified"}), "1 site matches.")
    assertContains(client.get(LIST_URL, {"area": "east"}), "2 sites match.")
    assertContains(client.get(LIST_URL), "4 sites match.")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {0, 1, 2, 3, 4}),
        ({"category": "mosque"}, {0, 1, 4}),
        ({"condition": "Destroyed"}, {0, 2, 4}),
        ({"area": "east"}, {0, 1, 2}),
        ({"category": "library", "condition": "Good", "area": "west"}, {3}),
    ],
    ids=["year", "category", "condition", "area", "all-three"],
)
def test_a_whole_year_is_counted_exactly_from_the_maintained_counts(
    client, monkeypatch, params, expected
):
    east, west = PlaceFactory(slug="east"), PlaceFactory(slug="west")
    village = PlaceFactory(slug="east-village", parent=east)
    sites = []
    for number, (place, category, condition) in enumerate(
        [
            (village, "mosque", "Destroyed"),
            (village, "mosque", "Poor"),
            (east, "library", "Destroyed"),
            (west, "library", "Good"),
            (west, "mosque", "Destroyed"),
        ]
    ):
        site = SiteFactory(published=True, slug=f"site-{number}", place=place, category=category)
        # Two assessments in 2021 count the site once; a later one gives its condition.
        published_assessment(site, datetime.date(2021, 2, 1), "Fair")
        published_assessment(site, datetime.date(2021, 11, 1), "Poor")
        published_assessment(site, datetime.date(2022, 1, 1), condition)
        sites.append(site)
    unassessed = SiteFactory(published=True, slug="unassessed", place=village)
    published_assessment(unassessed, datetime.date(2020, 12, 31), "Destroyed")
    year = {"assessed_from": "2021-01-01", "assessed_to": "2021-12-31"}
    expected = {f"site-{number}" for number in expected}
    assert set(listed_slugs(client.get(LIST_URL, {**params, **year}))) == expected
    # The count is exact beyond the limit (the sites listed stop there): it is not tested
    # site by site.
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 2)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, {**params, **year})
    if len(expected) > 2:
        assertContains(response, f"{len(expected)} sites match: the first 2 are listed.")
        assert client.get(LIST_URL, {**params, **year, "page": 2}).status_code == 400
    else:
        assertContains(response, f"{len(expected)} site")
    assert len(listed_slugs(response)) == min(len(expected), 2)
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"]]
    assert not any("heritage_site" in sql for sql in counts)
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 1000)
    # What it counts is what the listing finds, read site by site: more sites were assessed
    # in the year than FEW_ASSESSED_SITES, so their ids are not read first.
    monkeypatch.setattr(site_filters, "FEW_ASSESSED_SITES", 1)
    with CaptureQueriesContext(connection) as captured:
        assert set(listed_slugs(client.get(LIST_URL, {**params, **year, "sort": "name"}))) == (
            expected
        )
    assert not any("DISTINCT" in query["sql"] for query in captured)
    # A year and a day later reads them first, and is limited.
    longer = {**params, **year, "assessed_to": "2022-01-01"}
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST_URL, longer)
    assert any("DISTINCT" in query["sql"] for query in captured)


@pytest.mark.parametrize("since", ["2020-01-01", "2021-06-01", "2021-06-02", "2022-05-01"])
def test_assessed_since_a_date_finds_the_sites_of_a_later_published_assessment(
    client, monkeypatch, since
):
    """Beyond ``FEW_ASSESSED_SITES`` the sites assessed since a date are those whose latest
    published assessment is (``Site.last_assessed_on``): the same sites as their ids read
    from the assessments, on the listing and on the map."""
    place = PlaceFactory(latitude=40, longitude=47)
    sites = {
        slug: SiteFactory(published=True, slug=slug, place=place, latitude=40, longitude=47)
        for slug in ("twice", "draft-later", "draft-visit-later", "never")
    }
    published_assessment(sites["twice"], datetime.date(2020, 1, 1), "Poor")
    published_assessment(sites["twice"], datetime.date(2022, 5, 1), "Destroyed")
    published_assessment(sites["draft-later"], datetime.date(2021, 6, 1), "Poor")
    AssessmentFactory(
        site=sites["draft-later"], publication_status="draft", assessed_on=datetime.date(2023, 1, 1)
    )
    published_assessment(sites["draft-visit-later"], datetime.date(2020, 1, 1), "Good")
    published_assessment(
        sites["draft-visit-later"],
        datetime.date(2023, 1, 1),
        "Destroyed",
        visit=VisitFactory(publication_status="draft"),
    )
    expected = {
        "2020-01-01": {"twice", "draft-later", "draft-visit-later"},
        "2021-06-01": {"twice", "draft-later"},
        "2021-06-02": {"twice"},
        "2022-05-01": {"twice"},
    }[since]

    def found():
        listed = set(listed_slugs(client.get(LIST_URL, {"assessed_from": since})))
        mapped = client.get(
            "/sites/map.json", {"assessed_from": since, "bbox": "46,39,48,41", "zoom": "16"}
        ).json()
        return listed, {site["url"].strip("/").split("/")[-1] for site in mapped["sites"]}

    assert found() == (expected, expected)
    monkeypatch.setattr(site_filters, "FEW_ASSESSED_SITES", 0)
    with CaptureQueriesContext(connection) as captured:
        assert found() == (expected, expected)
    assert any("last_assessed_on" in query["sql"] for query in captured)
    assert not any("EXISTS" in query["sql"] for query in captured)


def test_the_sites_assessed_since_a_date_are_written_for_the_index_of_their_dates():
    """Written for an index (``assessed_since(indexed=True)``), the test of a date's presence
    is the index's own column (``last_assessed_on IS NULL``) compared with false: on
    PostgreSQL as ``IS FALSE``, since its planner rewrote ``= false`` as ``IS NOT NULL``,
    which no index answers (at 500,000 sites, a scan of the whole table rather than a
    range of the index); SQLite searches the index with ``= false``."""
    from django.db.models import Q

    from heritage.models import Site

    for day in (1, 15):
        site = SiteFactory(published=True)
        published_assessment(site, datetime.date(2022, 2, day), "Poor")
    SiteFactory(published=True)
    since = site_filters.assessed_since(datetime.date(2022, 2, 12), indexed=True)
    sites = Site.objects.public().filter(since & Q(last_assessed_on__lte="2022-02-28"))
    assert list(sites.values_list("last_assessed_on", flat=True)) == [datetime.date(2022, 2, 15)]
    sql = str(sites.query)
    if connection.vendor == "postgresql":
        assert '("heritage_site"."last_assessed_on" IS NULL) IS FALSE' in sql
    else:
        assert '("heritage_site"."last_assessed_on" IS NULL) = ' in sql


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    "params",
    [
        {"verification": "verified"},
        {"organisation": "icesco"},
        {"assessed_from": "2020-01-01", "assessed_to": "2021-12-31"},
        {"organisation": "icesco", "verification": "corroborated", "category": "library"},
    ],
    ids=lambda params: "&".join(params),
)
def test_filters_on_the_assessments_find_the_same_sites_from_their_ids_or_site_by_site(
    client, monkeypatch, params
):
    with CaptureQueriesContext(connection) as from_ids:
        found = listed_slugs(client.get(LIST_URL, params))
    assert found
    monkeypatch.setattr(site_filters, "FEW_ASSESSED_SITES", 0)
    with CaptureQueriesContext(connection) as site_by_site:
        assert listed_slugs(client.get(LIST_URL, {**params, "sort": "name"})) == found

    def listing_queries(captured):
        return [q["sql"] for q in captured if 'FROM "heritage_site"' in q["sql"].split("WHERE")[0]]

    assert not any("EXISTS" in sql for sql in listing_queries(from_ids))
    assert any("EXISTS" in sql for sql in listing_queries(site_by_site))


def test_a_search_of_characters_that_fold_to_nothing_finds_nothing(client):
    # U+D7FC, a Hangul letter that folding to Latin letters drops: no word is left.
    SiteFactory(published=True, slug="alpha", name="Alpha Mosque")

    response = client.get(LIST_URL, {"q": "\ud7fc"})

    assert response.status_code == 200
    assert listed_slugs(response) == []
    assert client.get("/sites/map.json", {"q": "\ud7fc"}).status_code == 200
