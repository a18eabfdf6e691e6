"""A search with a word of one or two letters is read in every name of the register: its
listing and map data are answered within ``SHORT_WORD_SECONDS`` of database time, or else
with a 400 that says why."""

from html import unescape

import pytest
from django.urls import reverse

from public.views import map_data as map_view
from public.views import sites as sites_view
from tests.factories import SiteFactory
from tests.public.pages import assert_shows, listed_slugs

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
MAP_URL = reverse("site-map-data")
MESSAGE = "Add a word of three letters or more"


@pytest.fixture
def sites():
    SiteFactory(published=True, name="Wa mosque", slug="wa-mosque")
    SiteFactory(published=True, name="Juma mosque", slug="juma-mosque")


@pytest.fixture
def no_time(monkeypatch):
    monkeypatch.setattr(sites_view, "SHORT_WORD_SECONDS", 0)
    monkeypatch.setattr(map_view, "SHORT_WORD_SECONDS", 0)


@pytest.mark.usefixtures("sites")
def test_within_its_time_a_short_word_search_lists_its_sites(client):
    response = client.get(LIST_URL, {"q": "wa"})

    assert response.status_code == 200
    assert listed_slugs(response) == ["wa-mosque"]


@pytest.mark.usefixtures("sites", "no_time")
@pytest.mark.parametrize("text", ["wa", "wa mosque", "x y z"])
def test_a_short_word_search_past_its_time_is_a_400_naming_q(client, text):
    response = client.get(LIST_URL, {"q": text, "category": "mosque"})

    assert response.status_code == 400
    assert_shows(
        unescape(response.content.decode()),
        shown=['<form class="filters"', "Parameter “q”", MESSAGE],
    )
    assert listed_slugs(response) == []


@pytest.mark.usefixtures("sites", "no_time")
def test_a_search_of_longer_words_has_no_such_limit(client):
    response = client.get(LIST_URL, {"q": "juma mosque"})

    assert response.status_code == 200
    assert listed_slugs(response) == ["juma-mosque"]


@pytest.mark.usefixtures("sites")
def test_a_search_of_longer_words_past_its_own_time_is_a_400_naming_q(client, monkeypatch):
    monkeypatch.setattr(sites_view, "SEARCH_SECONDS", 0)
    response = client.get(LIST_URL, {"q": "juma mosque", "category": "mosque"})

    assert response.status_code == 400
    assert_shows(
        unescape(response.content.decode()),
        shown=['<form class="filters"', "Parameter “q”", "took too long. Type more letters"],
    )
    assert listed_slugs(response) == []
    # Without a search, the listing has no such limit.
    assert listed_slugs(client.get(LIST_URL, {"category": "mosque"})) == [
        "juma-mosque",
        "wa-mosque",
    ]


@pytest.mark.usefixtures("sites", "no_time")
@pytest.mark.parametrize("params", [{}, {"bbox": "-180,-90,180,90", "zoom": "3"}])
def test_the_maps_data_of_a_short_word_search_past_its_time_is_a_json_400(client, params):
    response = client.get(MAP_URL, {"q": "wa", **params})

    assert response.status_code == 400
    assert MESSAGE in response.json()["error"]
    assert client.get(MAP_URL, {"q": "juma", **params}).status_code == 200


@pytest.mark.usefixtures("sites", "no_time")
def test_the_assessment_feed_of_a_short_word_search_past_its_time_is_a_400(client):
    response = client.get(reverse("assessment-feed"), {"q": "wa"})

    assert response.status_code == 400
    assert "Parameter “q”" in response.content.decode()
    assert MESSAGE in response.content.decode()
    assert client.get(reverse("assessment-feed"), {"q": "juma"}).status_code == 200


@pytest.mark.usefixtures("sites")
@pytest.mark.parametrize("params", [{}, {"bbox": "-180,-90,180,90", "zoom": "3"}])
def test_a_map_of_filters_read_from_the_sites_past_its_time_is_a_json_400(
    client, monkeypatch, params
):
    monkeypatch.setattr(map_view, "READ_FILTER_SECONDS", 0)

    response = client.get(MAP_URL, {"organisation": "", "verification": "verified", **params})

    assert response.status_code == 400
    assert "Mapping the sites these filters match took too long" in response.json()["error"]
    # Filters the maintained counts hold have no such limit.
    assert client.get(MAP_URL, {"category": "mosque", **params}).status_code == 200


@pytest.mark.usefixtures("sites")
def test_the_assessment_feed_of_a_longer_word_search_past_its_time_is_a_400(client, monkeypatch):
    monkeypatch.setattr(sites_view, "SEARCH_SECONDS", 0)
    feed = reverse("assessment-feed")

    response = client.get(feed, {"q": "juma mosque"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Parameter “q”" in response.content.decode()
    assert "took too long. Type more letters" in response.content.decode()
    # Without a search (or with blanks only), the feed has no such limit.
    assert client.get(feed, {"category": "mosque"}).status_code == 200
    assert client.get(feed, {"q": "  "}).status_code == 200
