"""Cursor pagination: fixed order, no page shifted by records added meanwhile, page sizes
within the documented bounds, and cursors that the API did not make refused."""

import pytest
from django.test import override_settings

from tests.factories import SiteFactory
from tests.public.api.reading import all_pages, get_json, path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(db):
    return [SiteFactory(published=True, slug=f"site-{n:02}") for n in range(7)]


def test_pages_follow_one_another_without_overlap(client, sites):
    listed = [item["slug"] for item in all_pages(client, "/api/v1/sites/?page_size=3")]
    assert listed == [site.slug for site in sites]


def test_records_added_meanwhile_shift_no_page(client, sites):
    first = get_json(client, "/api/v1/sites/?page_size=3")
    # New sites, one of which sorts before every other by name.
    SiteFactory(published=True, slug="aaa-new", name="AAA")
    SiteFactory(published=True, slug="zzz-new", name="ZZZ")
    second = get_json(client, path_of(first["next"]))
    assert [item["slug"] for item in second["results"]] == [site.slug for site in sites[3:6]]
    back = get_json(client, path_of(second["previous"]))
    assert back["results"] == first["results"]
    rest = all_pages(client, path_of(second["next"]))
    assert [item["slug"] for item in rest] == ["site-06", "aaa-new", "zzz-new"]


@pytest.mark.parametrize("query", ["", "?page_size="])
def test_the_default_page_holds_25(client, db, query):
    for n in range(26):
        SiteFactory(published=True, slug=f"s-{n}")
    body = get_json(client, f"/api/v1/sites/{query}")
    assert len(body["results"]) == 25
    assert body["next"]
    assert body["previous"] is None


@pytest.mark.parametrize("size", ["0", "101", "-1", "1.5", "ten", "٣"])
def test_a_page_size_outside_1_to_100_is_refused(client, sites, size):
    response = client.get("/api/v1/sites/", {"page_size": size})
    assert response.status_code == 400
    assert "from 1 to 100" in response.json()["parameters"]["page_size"][0]


@override_settings(API_MAX_PAGE_SIZE=5)
def test_the_largest_page_size_is_configurable(client, sites):
    assert client.get("/api/v1/sites/", {"page_size": "5"}).status_code == 200
    assert client.get("/api/v1/sites/", {"page_size": "6"}).status_code == 400


@pytest.mark.parametrize(
    "cursor", ["zzz", "cD1hYmM=", "cD0=", "bz0tMQ==", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "é"]
)
def test_a_cursor_the_api_did_not_make_is_refused(client, sites, cursor):
    response = client.get("/api/v1/sites/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["parameters"]
