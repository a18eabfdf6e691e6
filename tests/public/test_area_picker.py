"""The listing's area picker: districts in a select, finer areas typed by name or slug (with
suggestions), and a listing whose HTML stays small however many places the register has."""

import json

import pytest
from django.urls import reverse

from heritage.base import PublicationStatus
from heritage.models import Place, Site
from inspections.counts import rebuild_site_counts
from tests.factories import PlaceFactory, PlaceNameFactory, SiteFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
SUGGEST_URL = reverse("area-suggestions")


@pytest.fixture
def places():
    country = PlaceFactory(slug="azerbaijan", name="Azerbaijan", kind=Place.Kind.COUNTRY)
    fuzuli = PlaceFactory(slug="fuzuli", name="Fuzuli", kind=Place.Kind.DISTRICT, parent=country)
    shusha = PlaceFactory(slug="shusha", name="Shusha", kind=Place.Kind.DISTRICT, parent=country)
    garghabazar = PlaceFactory(
        slug="garghabazar", name="Garghabazar", kind=Place.Kind.VILLAGE, parent=fuzuli
    )
    PlaceNameFactory(place=garghabazar, language="az", name="Qarğabazar")
    ahmadalilar = PlaceFactory(
        slug="ahmadalilar-fuzuli", name="Ahmadalilar", kind=Place.Kind.VILLAGE, parent=fuzuli
    )
    PlaceFactory(
        slug="ahmadalilar-shusha", name="Ahmadalilar", kind=Place.Kind.VILLAGE, parent=shusha
    )
    SiteFactory(published=True, name="Gargabazar Mosque", place=garghabazar)
    SiteFactory(published=True, name="Ahmadalilar Bath", place=ahmadalilar)
    SiteFactory(published=True, name="Shusha Juma Mosque", place=shusha)
    return {"fuzuli": fuzuli, "garghabazar": garghabazar}


def names_listed(response):
    return [site.name for site in response.context["object_list"]]


def test_the_area_select_offers_districts_and_above_only(client, places):
    html = client.get(LIST_URL).content.decode()
    select = html[html.index('name="area"') : html.index("</select>", html.index('name="area"'))]

    assert 'value="fuzuli"' in select
    assert 'value="azerbaijan"' in select
    assert 'value="garghabazar"' not in select
    assert 'list="area-suggestions"' in html
    assert '<datalist id="area-suggestions"></datalist>' in html


@pytest.mark.parametrize("text", ["Garghabazar", "garghabazar", "Qarğabazar", "qargabazar"])
def test_a_village_is_found_by_name_slug_or_variant(client, places, text):
    response = client.get(LIST_URL, {"area_name": text})

    assert response.status_code == 200
    assert names_listed(response) == ["Gargabazar Mosque"]


def test_an_area_by_slug_keeps_its_meaning(client, places):
    assert names_listed(client.get(LIST_URL, {"area": "garghabazar"})) == ["Gargabazar Mosque"]
    assert names_listed(client.get(LIST_URL, {"area": "fuzuli"})) == [
        "Ahmadalilar Bath",
        "Gargabazar Mosque",
    ]


def test_a_village_given_in_area_is_shown_typed_so_the_form_keeps_it(client, places):
    response = client.get(LIST_URL, {"area": "garghabazar"})
    html = response.content.decode()
    select = html[html.index('name="area"') : html.index("</select>", html.index('name="area"'))]

    assert names_listed(response) == ["Gargabazar Mosque"]
    assert 'name="area_name" value="garghabazar"' in html
    assert '<option value="" selected>' in select
    # A district stays chosen in the select.
    district = client.get(LIST_URL, {"area": "fuzuli"}).content.decode()
    assert '<option value="fuzuli" selected>' in district
    assert 'name="area_name" value=' not in district


def test_an_unknown_area_name_is_a_400_that_says_so(client, places):
    response = client.get(LIST_URL, {"area_name": "Atlantis"})

    assert response.status_code == 400
    assert "No area is called “Atlantis”" in response.content.decode()


def test_an_ambiguous_area_name_is_a_400_naming_the_places(client, places):
    response = client.get(LIST_URL, {"area_name": "Ahmadalilar"})
    text = response.content.decode()

    assert response.status_code == 400
    assert "Several areas are called “Ahmadalilar”" in text
    assert "slug ahmadalilar-fuzuli" in text
    assert "slug ahmadalilar-shusha" in text
    # The slug settles it.
    chosen = client.get(LIST_URL, {"area_name": "ahmadalilar-fuzuli"})
    assert names_listed(chosen) == ["Ahmadalilar Bath"]


def test_the_exports_and_the_map_take_the_area_name_too(client, places):
    csv = client.get(reverse("site-export-csv"), {"area_name": "Garghabazar"})
    bad = client.get(reverse("site-map-data"), {"area_name": "Atlantis"})

    assert "Gargabazar Mosque" in csv.getvalue().decode()
    assert "Shusha" not in csv.getvalue().decode()
    assert bad.status_code == 400


def test_suggestions_name_areas_in_any_spelling(client, places):
    answer = json.loads(client.get(SUGGEST_URL, {"q": "garg"}).content)
    assert answer == {"query": "garg", "suggestions": ["Garghabazar"]}
    assert json.loads(client.get(SUGGEST_URL, {"q": "qarğa"}).content)["suggestions"] == [
        "Garghabazar"
    ]
    assert json.loads(client.get(SUGGEST_URL, {"q": "g"}).content)["suggestions"] == []
    assert client.get(SUGGEST_URL, {"q": "x" * 201}).status_code == 400
    assert client.get(SUGGEST_URL, {"q": "ab\x00"}).status_code == 400


def test_the_listing_stays_under_60_kb_with_thousands_of_places(client, places, many_villages):
    villages = many_villages
    Site.objects.bulk_create(
        Site(
            slug=f"bulk-{i}",
            name=f"Bulk site {i}",
            category="mosque",
            place=village,
            publication_status=PublicationStatus.PUBLISHED,
        )
        for i, village in enumerate(villages)
    )
    # Rows written around the ORM are counted by a rebuild, as after any bulk load: the
    # select offers the districts that the maintained counts say hold public sites.
    rebuild_site_counts()

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.content) < 60_000
    assert response.content.decode().count('value="district-') == 20
