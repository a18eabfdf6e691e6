"""The search on the public pages: ``/sites/?q=``, its exports, the suggestions endpoint,
the admin's site search and autocomplete, and the dossier's names as sources report them."""

import json

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from heritage.models import NameKind, Site, site_search
from public.views import sites as sites_view
from tests.admin_forms import admin_url
from tests.factories import (
    PlaceFactory,
    PlaceNameFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
)
from tests.public.pages import body, listed_slugs

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
SUGGEST_URL = reverse("site-suggestions")


@pytest.fixture
def sites():
    city = PlaceFactory(name="Fuzuli")
    PlaceNameFactory(place=city, name="Varanda", language="hy")
    SiteFactory(published=True, slug="cemetery", name="Fuzuli city cemetery", place=city)
    SiteFactory(published=True, slug="gargabazar", name="Gargabazar Mosque")
    SiteFactory(published=True, slug="gochahmadli", name="Gochahmadli Mosque")
    SiteFactory(publication_status="draft", slug="draft", name="Gargabazar library")


def test_the_listing_ranks_the_best_match_first_unless_another_sort_is_chosen(client, sites):
    assert listed_slugs(client.get(LIST_URL, {"q": "gargabazar mosque"})) == ["gargabazar"]
    assert listed_slugs(client.get(LIST_URL, {"q": "mosque"})) == ["gargabazar", "gochahmadli"]
    best_first = listed_slugs(client.get(LIST_URL, {"q": "gochahmadli mosque"}))
    assert best_first == ["gochahmadli"]
    assert listed_slugs(client.get(LIST_URL, {"q": "mosque", "sort": "-name"})) == [
        "gochahmadli",
        "gargabazar",
    ]
    assert listed_slugs(client.get(LIST_URL, {"q": "mosque", "sort": "match"})) == [
        "gargabazar",
        "gochahmadli",
    ]


def test_the_listing_finds_sites_by_place_names_and_says_when_close_matches_stand_in(client, sites):
    assert listed_slugs(client.get(LIST_URL, {"q": "Varanda"})) == ["cemetery"]

    response = client.get(LIST_URL, {"q": "Gargabazor"})
    assert listed_slugs(response) == ["gargabazar"]
    assertContains(response, "Showing close matches for “Gargabazor”")

    exact = client.get(LIST_URL, {"q": "Gargabazar"})
    assertNotContains(exact, "Showing close matches")


def test_the_close_match_line_escapes_what_was_typed(client, sites):
    response = client.get(LIST_URL, {"q": "<b>Gargabazor</b>"})
    assertNotContains(response, "<b>Gargabazor")
    assertContains(response, "&lt;b&gt;Gargabazor&lt;/b&gt;")


def test_the_exports_use_the_same_search(client, sites):
    text = body(client.get(reverse("site-export-csv"), {"q": "cemetery varanda"}))
    assert "/sites/cemetery/" in text
    assert "/sites/gargabazar/" not in text
    geojson = json.loads(body(client.get(reverse("site-export-geojson"), {"q": "Gargabazor"})))
    assert [feature["properties"]["name"] for feature in geojson["features"]] == [
        "Gargabazar Mosque"
    ]


def test_the_search_box_offers_suggestions_and_works_without_them(client, sites):
    response = client.get(LIST_URL)
    assertContains(response, 'list="site-suggestions"')
    assertContains(response, f'data-suggest-url="{SUGGEST_URL}"')
    assertContains(response, '<datalist id="site-suggestions"></datalist>')
    assertContains(response, "/static/js/suggest.js")


def test_a_word_naming_a_large_area_counts_up_to_a_limit_and_lists_in_rank_order(
    client, monkeypatch, django_assert_max_num_queries
):
    region = PlaceFactory(name="Qarabag region", kind="region")
    for number in range(4):
        SiteFactory(published=True, slug=f"in-{number}", name=f"Mosque {number}", place=region)
    SiteFactory(published=True, slug="named", name="Qarabag library")
    SiteFactory(published=True, slug="other", name="Gochahmadli Mosque")
    whole = client.get(LIST_URL, {"q": "qarabag"})
    assertContains(whole, "5 sites match.")

    monkeypatch.setattr(site_search, "WIDE_PLACES", 3)
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 3)
    response = client.get(LIST_URL, {"q": "qarabag"})
    # More letters would not narrow a word naming a place: another word does.
    assertContains(
        response,
        "More than 3 sites match: the first 3 are listed. Add a word to narrow the search.",
    )
    assert listed_slugs(response) == listed_slugs(whole)[:3] == ["named", "in-0", "in-1"]
    translated = client.get(f"/az{LIST_URL}", {"q": "qarabag"})
    assertContains(translated, "Axtarışı daraltmaq üçün bir söz əlavə edin.")


def test_suggestions_are_at_most_ten_names_of_published_sites(client, sites):
    site = Site.objects.get(slug="gargabazar")
    for index in range(12):
        SiteNameFactory(site=site, name=f"Qarğabazar abidəsi {index}")

    response = client.get(SUGGEST_URL, {"q": "Garğ"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["query"] == "Garğ"
    assert len(data["suggestions"]) == 10
    assert all(name.startswith("Qarğabazar abidəsi") for name in data["suggestions"])
    assert client.get(SUGGEST_URL, {"q": "library"}).json()["suggestions"] == []
    assert client.get(SUGGEST_URL, {"q": "g"}).json()["suggestions"] == []
    assert client.get(SUGGEST_URL).json()["suggestions"] == []


def test_suggestions_refuse_bad_input_with_a_message(client):
    response = client.get(SUGGEST_URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert "“q”" in response.json()["error"]
    # A control character is refused before the view, as on every page.
    response = client.get(SUGGEST_URL, {"q": "gar\x00"})
    assert response.status_code == 400
    assert "“q”" in response.content.decode()


def test_suggestions_take_two_queries_at_most_whatever_the_number_of_names(
    client, django_assert_num_queries
):
    for count in (2, 20):
        site = SiteFactory(published=True)
        for index in range(count):
            SiteNameFactory(site=site, name=f"Gargabazar {count} {index}")
        with django_assert_num_queries(2):
            client.get(SUGGEST_URL, {"q": f"bazar {count}"})


def test_names_merely_containing_the_text_are_read_only_when_too_few_start_with_it(
    client, django_assert_num_queries
):
    site = SiteFactory(published=True, name="Old mosque")
    SiteNameFactory(site=site, name="Bazar")  # contains "aza", and is the shortest
    for index in range(9):
        SiteNameFactory(site=site, name=f"Azadliq meydani {index}")
    with django_assert_num_queries(2):
        names = client.get(SUGGEST_URL, {"q": "aza"}).json()["suggestions"]
    assert names == [f"Azadliq meydani {index}" for index in range(9)] + ["Bazar"]

    # Ten names start with the text: "Bazar", shorter, is not among them, nor read.
    SiteNameFactory(site=site, name="Azadliq meydani 9")
    with django_assert_num_queries(1):
        names = client.get(SUGGEST_URL, {"q": "aza"}).json()["suggestions"]
    assert names == [f"Azadliq meydani {index}" for index in range(10)]


def test_on_sqlite_the_names_containing_the_text_are_read_as_the_trigram_index_gives_them(
    client, django_assert_num_queries
):
    """Not ``id IN (<every name holding the text>)``, which SQLite lists whole before the
    first name is tested; and a name of an unpublished site or of an unpublished source is
    still left out."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's trigram index")
    site = SiteFactory(published=True, name="Old mosque")
    SiteNameFactory(site=site, name="Qazaxlar")
    SiteNameFactory(site=SiteFactory(publication_status="draft"), name="Qazax draft")
    SiteNameFactory(
        site=site,
        name="Qazax reported",
        kind=NameKind.AS_REPORTED,
        source=SourceFactory(publication_status="draft"),
    )
    with django_assert_num_queries(2) as captured:
        names = client.get(SUGGEST_URL, {"q": "aza"}).json()["suggestions"]
    assert names == ["Qazaxlar"]
    containing = captured.captured_queries[-1]["sql"]
    assert "heritage_sitename_fts" in containing.split(" WHERE ")[0]
    assert "IN (SELECT rowid" not in containing


def test_the_dossier_names_the_source_of_a_name_as_reported_once_it_is_published(client):
    source = SourceFactory(publication_status="draft", title="AzerNews report")
    site = SiteFactory(published=True, slug="haji", name="Haji Alakbar Mosque")
    SiteNameFactory(
        site=site, name="Juma Mosque", language="en", kind=NameKind.AS_REPORTED, source=source
    )
    url = reverse("site-detail", args=["haji"])

    assertNotContains(client.get(url), "Juma Mosque")
    assert listed_slugs(client.get(LIST_URL, {"q": "juma"})) == []

    source.publication_status = "published"
    source.save()
    response = client.get(url)
    assertContains(response, "Juma Mosque")
    assertContains(response, reverse("source-detail", args=[source.pk]))
    assertContains(response, "As a source reports it")
    assert listed_slugs(client.get(LIST_URL, {"q": "juma"})) == ["haji"]


def test_the_admin_site_search_and_autocomplete_use_the_public_rules(admin_client, sites):
    changelist = admin_url(Site, "changelist")
    # The admin lists drafts too: "Gargabazar library" is one.
    for text, count in [
        ("Varanda", 1),
        ("Гаргабазар", 2),
        ("Gargabazor", 2),
        ("cemetery fuzuli", 1),
    ]:
        response = admin_client.get(changelist, {"q": text})
        assert f"{count} result" in response.content.decode(), text

    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Гаргабазар",
            "app_label": "heritage",
            "model_name": "sitename",
            "field_name": "site",
        },
    )
    names = {result["text"] for result in autocomplete.json()["results"]}
    assert names == {"Gargabazar Mosque", "Gargabazar library"}


def test_a_misspelt_common_word_is_listed_by_name_and_counted_up_to_a_limit(client, monkeypatch):
    monkeypatch.setattr(site_search, "COMMON", 2)
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 2)
    for slug in ("z", "m", "b"):
        SiteFactory(published=True, slug=f"{slug}-bazar", name=f"{slug.upper()}gargabazar")

    response = client.get(LIST_URL, {"q": "Gargabazarx"})

    assertContains(response, "the first 2 are listed.")
    assertContains(response, "Gargabazarx")
    assertContains(response, 'id="close-matches"')
    assert listed_slugs(response) == ["b-bazar", "m-bazar"]


def test_a_misspelt_word_whose_close_words_are_in_few_names_is_counted_from_their_sets(
    client, monkeypatch
):
    monkeypatch.setattr(site_search, "COMMON", 2)
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 3)
    for slug in ("z", "m", "b", "k"):
        SiteFactory(published=True, slug=f"{slug}-bazar", name=f"{slug.upper()}gargabazar")
    SiteFactory(published=True, slug="old-bridge", name="Old bridge")
    assert site_search.SiteSearch.parse("Gargabazarx").sparse_close

    def listed():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL, {"q": "Gargabazarx", "sort": "-name"})
        assertContains(response, "the first 3 are listed.")
        counts = [query["sql"] for query in captured if "COUNT(*)" in query["sql"]]
        return listed_slugs(response), counts

    slugs, counts = listed()
    assert slugs == ["z-bazar", "m-bazar", "k-bazar"]
    # Counted from the sets of the close words' sites, read once, not from each site's names
    # in turn: few sites match, and one by one most of the register was read to count them.
    assert len(counts) == 1
    assert 'U0."site_id" = ("heritage_site"."id")' not in counts[0]
    assert "SELECT site_id FROM heritage_sitename" in counts[0]
    # Close words in most names are tested site by site, which finds the page at once: the
    # same sites.
    monkeypatch.setattr(site_search, "SPARSE_CLOSE", 2)
    assert not site_search.SiteSearch.parse("Gargabazarx").sparse_close
    cache.clear()
    slugs, counts = listed()
    assert slugs == ["z-bazar", "m-bazar", "k-bazar"]
    assert 'U0."site_id" = ("heritage_site"."id")' in counts[0]


def test_a_broad_search_counts_up_to_a_limit_and_says_more_sites_match(client, monkeypatch):
    monkeypatch.setattr(site_search, "COMMON", 2)
    monkeypatch.setattr(sites_view, "BROAD_COUNT_LIMIT", 3)
    for number in range(5):
        SiteFactory(published=True, slug=f"bazar-{number}", name=f"Bazar {number}")
    SiteFactory(published=True, slug="other", name="Gochahmadli Mosque")

    response = client.get(LIST_URL, {"q": "ba"})
    assertContains(response, "the first 3 are listed. Type more letters to narrow the search.")
    assert listed_slugs(response) == ["bazar-0", "bazar-1", "bazar-2"]

    # A word of three letters or more is ranked and counted in full.
    exact = client.get(LIST_URL, {"q": "bazar"})
    assertContains(exact, "5 sites match.")
    assert len(listed_slugs(exact)) == 5


def test_the_admin_finds_a_site_by_identifier_or_any_name_in_one_set_of_ids():
    site = SiteFactory(
        name="Gargabazar Mosque", slug="gargabazar-mosque", registry_number="AZ-0427"
    )
    Site.objects.filter(pk=site.pk).update(wikidata_id="Q4118212")
    # A name as an unpublished source reports it: staff find the site by it, the public not.
    SiteNameFactory(
        site=site, name="Qarghabazar", kind=NameKind.AS_REPORTED, source=SourceFactory()
    )
    SiteFactory(name="Varanda Library", slug="varanda-library")
    site_admin = admin.site._registry[Site]

    def found(text):
        queryset, _duplicates = site_admin.get_search_results(None, Site.objects.all(), text)
        return list(queryset.values_list("slug", flat=True)), str(queryset.query)

    for text in ("AZ-0427", "q4118212", "Gargabazar-Mosque", "gargabazar", "Qarghabazar"):
        assert found(text)[0] == ["gargabazar-mosque"], text
    # Each word is one set of ids: an identifier, a name or a close word joined by OR to
    # another would be tested site by site (seconds at 500,000 sites).
    slugs, sql = found("Gargabazar library")
    assert slugs == []
    assert sql.count('"heritage_site"."id" IN (') == 2
    assert 'OR "heritage_site"."id" IN' not in sql


def test_a_ranked_search_from_a_common_word_reads_its_page_ids_then_those_sites(
    client, monkeypatch
):
    """The ranking reads the sites alone; the page's sites, with their condition and place,
    are read by their ids, in the ranked order, from the published sites."""
    monkeypatch.setattr(site_search, "COMMON", 2)
    SiteFactory(published=True, slug="contains", name="Old bazar")
    SiteFactory(published=True, slug="starts", name="Bazar mosque")
    SiteFactory(published=True, slug="equal", name="Bazar")
    SiteFactory(published=True, slug="later", name="Zaqatala bazar")
    SiteFactory(publication_status="draft", slug="draft", name="Bazar draft")
    search = site_search.SiteSearch.parse("bazar")
    assert search.ranked
    assert search.starts_common

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, {"q": "bazar"})
    assert listed_slugs(response) == ["equal", "starts", "contains", "later"]
    assertContains(response, "4 sites match.")
    ranking = [query["sql"] for query in captured if "ORDER BY CASE WHEN" in query["sql"]]
    assert len(ranking) == 1  # the page's ids, ranked from the sites alone
    assert ranking[0].startswith('SELECT "heritage_site"."id" AS "pk" FROM "heritage_site" ')
    assert "inspections_sitestatus" not in ranking[0]
    rows = [query["sql"] for query in captured if "inspections_sitestatus" in query["sql"]]
    assert len(rows) == 1  # the page's sites by their ids
    assert "CASE WHEN" not in rows[0]
    # A word in fewer names is ranked in one query, as before.
    assert not site_search.SiteSearch.parse("zaqatala").starts_common
