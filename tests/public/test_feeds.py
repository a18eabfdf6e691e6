"""The Atom feeds: newly published assessments (all, or of the sites a /sites/ filter
selects), visits and sources. They parse without error, hold only published records, carry
each record's verification level, and are read in a fixed number of queries."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.models import Place
from inspections.models import Assessment
from public.views import feeds
from tests.factories import (
    AssessmentFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
    VisitFactory,
    published_assessment,
)
from tests.public.pages import parse_feed as parse

pytestmark = pytest.mark.django_db


def links(feed):
    return [entry.link for entry in feed.entries]


def test_the_assessment_feed_holds_every_published_assessment(client, four_sites):
    feed = parse(client, "/feeds/assessments.atom")
    assert sorted(link.split("/")[4] for link in links(feed)) == ["alpha", "beta", "delta"]


def test_the_assessment_feed_leaves_out_what_is_not_public(client, unpublished_findings):
    draft_site = SiteFactory(slug="draft-site")
    AssessmentFactory(site=draft_site, published=True)
    feed = parse(client, "/feeds/assessments.atom")
    assert feed.entries == []


def test_an_entry_carries_its_verification_level_and_links_to_the_assessment(client, four_sites):
    feed = parse(client, "/feeds/assessments.atom?site=alpha")
    (entry,) = feed.entries
    assert entry.link.startswith("http://testserver/sites/alpha/#assessment-")
    assert entry.id == f"http://testserver/a/{entry.link.rsplit('-', 1)[1]}"
    assert entry.title == "Alpha Mosque: Destroyed"
    assert [(tag.term, tag.label) for tag in entry.tags] == [
        ("verified", "Verified on site or by imagery")
    ]
    assert "Verified on site or by imagery" in entry.summary
    assert "12 January 2021" in entry.summary


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("area=east", ["alpha", "beta"]),
        ("area=west", ["delta"]),
        ("category=mosque", ["alpha"]),
        ("condition=Poor", ["beta"]),
        ("area=east&condition=Destroyed", ["alpha"]),
        ("area=west&category=mosque", []),
    ],
)
def test_the_assessment_feed_follows_the_listings_filters(client, four_sites, query, slugs):
    feed = parse(client, f"/feeds/assessments.atom?{query}")
    assert sorted(link.split("/")[4] for link in links(feed)) == slugs
    assert feed.feed.link == f"http://testserver/sites/?{query}"


def test_a_district_feed_is_named_after_the_district(client, four_sites):
    feed = parse(client, "/feeds/assessments.atom?area=east")
    assert feed.feed.title == "Condition assessments in East District – Heritage damage register"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("area=nowhere", "area"),
        ("category=castle", "category"),
        ("condition=Shiny", "condition"),
        ("assessed_from=2021-13-01", "assessed_from"),
    ],
)
def test_a_bad_filter_parameter_is_a_400_naming_it(client, four_sites, query, parameter):
    response = client.get(f"/feeds/assessments.atom?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"“{parameter}”" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "name"), [("", "Gargabazar Mosque"), ("/az", "Qarğabazar məscidi")]
)
def test_an_entry_names_its_site_in_the_feeds_language(client, prefix, name):
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi", language="az", kind="official")
    published_assessment(site, datetime.date(2021, 1, 1), "Destroyed")
    feed = parse(client, f"{prefix}/feeds/assessments.atom")
    assert [entry.title.split(": ")[0] for entry in feed.entries] == [name]


def test_the_newest_published_assessment_comes_first(client, four_sites):
    site = SiteFactory(published=True, slug="epsilon")
    assessment = published_assessment(site, datetime.date(2019, 1, 1), "Fair")
    assessment.reviewed_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assessment.save()
    feed = parse(client, "/feeds/assessments.atom")
    assert links(feed)[0].startswith("http://testserver/sites/epsilon/")
    assert feed.entries[0].published.startswith("2026-01-01")


def test_the_visit_feed_holds_published_visits_with_their_findings_levels(
    client, unpublished_findings
):
    visit = VisitFactory(published=True, slug="seen")
    site = SiteFactory(published=True)
    published_assessment(site, visit.start_date, "Poor", visit=visit, verification="corroborated")
    AssessmentFactory(site=site, visit=visit, verification="verified")
    feed = parse(client, "/feeds/visits.atom")
    (entry,) = feed.entries
    assert entry.link == "http://testserver/visits/seen/"
    assert entry.id == f"http://testserver/v/{visit.pk}"
    assert [tag.term for tag in entry.tags] == ["corroborated"]
    assert entry.tags[0].label in entry.summary


def test_an_updated_visit_comes_first_in_the_visit_feed(client):
    older = VisitFactory(published=True, slug="older", start_date=datetime.date(2020, 1, 1))
    VisitFactory(published=True, slug="newer", start_date=datetime.date(2024, 1, 1))
    older.summary = "Corrected."
    older.save()
    feed = parse(client, "/feeds/visits.atom")
    assert links(feed) == ["http://testserver/visits/older/", "http://testserver/visits/newer/"]


def test_the_source_feed_holds_published_sources_only(client):
    published = SourceFactory(published=True, title="A published report")
    SourceFactory(title="A draft report")
    feed = parse(client, "/feeds/sources.atom")
    assert [entry.title for entry in feed.entries] == ["A published report"]
    assert feed.entries[0].link == f"http://testserver/sources/{published.pk}/"
    assert feed.entries[0].id == f"http://testserver/src/{published.pk}"


def test_an_arabic_feed_links_to_the_arabic_pages_with_the_same_ids(client, four_sites):
    english = parse(client, "/feeds/assessments.atom?site=alpha").entries[0]
    arabic = parse(client, "/ar/feeds/assessments.atom?site=alpha").entries[0]
    assert arabic.link == english.link.replace("testserver/", "testserver/ar/")
    assert arabic.id == english.id


def test_a_hostile_title_is_escaped_in_the_feed(client):
    SourceFactory(published=True, title="<script>alert(1)</script>", publisher="<b>x</b>")
    response = client.get("/feeds/sources.atom")
    assert b"<script>" not in response.content
    assert b"<b>x</b>" not in response.content
    assert feedparser.parse(response.content).bozo == 0


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_records(n, start):
    for index in range(start, start + n):
        site = SiteFactory(published=True, slug=f"site-{index}")
        visit = VisitFactory(published=True, slug=f"visit-{index}")
        published_assessment(site, datetime.date(2021, 1, 1), "Poor", visit=visit)
        SourceFactory(published=True)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/assessments.atom",
        "/az/feeds/assessments.atom?category=mosque",
        "/ar/feeds/visits.atom",
        "/feeds/sources.atom",
    ],
)
def test_a_feed_is_read_in_a_fixed_number_of_queries(client, url):
    add_records(2, 0)
    few = queries(client, url)
    add_records(6, 2)
    assert queries(client, url) == few
    # On PostgreSQL the assessments' walks take a setting, in a savepoint of the test's
    # transaction (savepoint, setting, release).
    walk_setting = 3 if connection.vendor == "postgresql" and "assessments" in url else 0
    assert few <= 6 + walk_setting


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        (
            "/",
            [
                "/feeds/assessments.atom",
                "/feeds/visits.atom",
                "/feeds/sources.atom",
                "/feeds/restoration.atom",
                "/feeds/commitments.atom",
            ],
        ),
        ("/restoration/", ["/feeds/restoration.atom"]),
        ("/commitments/", ["/feeds/commitments.atom"]),
        ("/sites/?area=east&page=1", ["/feeds/assessments.atom?area=east"]),
        ("/ar/sites/", ["/ar/feeds/assessments.atom"]),
        ("/sites/alpha/", ["/feeds/assessments.atom?site=alpha"]),
        ("/visits/", ["/feeds/visits.atom"]),
    ],
)
def test_pages_advertise_the_feeds_that_follow_them(client, four_sites, url, feeds):
    html = client.get(url).content.decode()
    advertised = [
        line.split('href="')[1].split('"')[0].replace("&amp;", "&")
        for line in html.splitlines()
        if 'type="application/atom+xml"' in line
    ]
    assert advertised == feeds


def test_a_source_page_advertises_the_source_feed(client):
    source = SourceFactory(published=True)
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'type="application/atom+xml" title="Sources (Atom)" href="/feeds/sources.atom"' in html


@pytest.mark.parametrize("few_sites", [feeds.FEW_SITES, 0])
def test_a_district_feed_holds_its_newest_published_assessments_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, monkeypatch, few_sites
):
    """The feed keeps the newest assessments of the district's sites: the most recently
    published first, then those whose publication time is not recorded, by date; drafts,
    withdrawn records and other districts' never. Whether it reads the assessments of a few
    sites through their index of sites, or walks all assessments newest first and keeps
    those of the many sites matching (``few_sites`` 0), it finds the same."""
    monkeypatch.setattr(feeds, "FEW_SITES", few_sites)
    east = PlaceFactory(slug="east-side", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(slug="east-side-village", kind=Place.Kind.VILLAGE, parent=east)
    west = PlaceFactory(slug="west-side", kind=Place.Kind.DISTRICT)
    here = SiteFactory(published=True, slug="here", place=village)
    there = SiteFactory(published=True, slug="there", place=west)
    draft_site = SiteFactory(slug="draft-site", place=village)
    reviewed = published_assessment(here, datetime.date(2020, 1, 1), "Poor")
    Assessment.objects.filter(pk=reviewed.pk).update(
        reviewed_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    )
    older = published_assessment(here, datetime.date(2021, 5, 1), "Destroyed")
    Assessment.objects.filter(pk=older.pk).update(reviewed_at=None)
    newer = published_assessment(here, datetime.date(2022, 5, 1), "Destroyed")
    Assessment.objects.filter(pk=newer.pk).update(reviewed_at=None)
    AssessmentFactory(site=here, assessed_on=datetime.date(2023, 1, 1))  # a draft
    published_assessment(there, datetime.date(2024, 1, 1), "Good")
    published_assessment(draft_site, datetime.date(2024, 1, 1), "Good")
    hidden_visit = VisitFactory()
    published_assessment(here, datetime.date(2025, 1, 1), "Good", visit=hidden_visit)

    # The area, the places below it (the place tree, cached afterwards), the matching sites
    # (up to one more than a few), the published assessments, those without a publication
    # time and the records (an English feed names sites by their name, not by a name
    # variant); on PostgreSQL the walks' setting, in a savepoint of the test's transaction
    # (savepoint, setting, release).
    walk_setting = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(6 + walk_setting) as captured:
        response = client.get("/feeds/assessments.atom?area=east-side")
    feed = feedparser.parse(response.content)
    settings = [query["sql"] for query in captured if "max_parallel" in query["sql"]]
    assert settings == (["SET LOCAL max_parallel_workers_per_gather = 0"] if walk_setting else [])

    assert feed.bozo == 0
    assert [entry.link.split("#")[1] for entry in feed.entries] == [
        f"assessment-{reviewed.pk}",
        f"assessment-{newer.pk}",
        f"assessment-{older.pk}",
    ]
