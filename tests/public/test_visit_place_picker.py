"""``/visits/``'s place picker, the one of ``/sites/``: the districts that visits went to in a
select, a city or village typed by name or slug (with suggestions as one types, and without
JavaScript alike), and a listing whose HTML stays small however many places the register
has."""

import datetime
import re

import pytest
from django.urls import reverse

from heritage.base import PublicationStatus
from heritage.models import Place
from inspections.models import Visit
from tests.factories import PlaceFactory, PlaceNameFactory, VisitFactory
from tests.public.pages import select_of, visit_titles

pytestmark = pytest.mark.django_db

LIST_URL = reverse("visit-list")

#: What the form sends when nothing but the typed place is filled in and no script has left
#: the empty fields out (static/js/filters.js).
PLAIN_FORM = {"organisation": "", "year": "", "status": "", "place": "", "place_name": ""}


@pytest.fixture
def places():
    country = PlaceFactory(slug="azerbaijan", name="Azerbaijan", kind=Place.Kind.COUNTRY)
    fuzuli = PlaceFactory(slug="fuzuli", name="Fuzuli", kind=Place.Kind.DISTRICT, parent=country)
    shusha = PlaceFactory(slug="shusha", name="Shusha", kind=Place.Kind.DISTRICT, parent=country)
    horadiz = PlaceFactory(slug="horadiz", name="Horadiz", kind=Place.Kind.CITY, parent=fuzuli)
    garghabazar = PlaceFactory(
        slug="garghabazar", name="Garghabazar", kind=Place.Kind.VILLAGE, parent=horadiz
    )
    PlaceNameFactory(place=garghabazar, language="az", name="Qarğabazar")
    ahmadalilar = PlaceFactory(
        slug="ahmadalilar-fuzuli", name="Ahmadalilar", kind=Place.Kind.VILLAGE, parent=fuzuli
    )
    PlaceFactory(
        slug="ahmadalilar-shusha", name="Ahmadalilar", kind=Place.Kind.VILLAGE, parent=shusha
    )
    VisitFactory(published=True, title="Garghabazar visit").places.add(garghabazar)
    VisitFactory(published=True, title="Horadiz visit").places.add(horadiz)
    VisitFactory(published=True, title="Ahmadalilar visit").places.add(ahmadalilar)
    VisitFactory(published=True, title="Shusha visit").places.add(shusha)
    # A visit to two places is listed under either.
    VisitFactory(published=True, title="Tour").places.add(garghabazar, shusha)
    return {"fuzuli": fuzuli, "garghabazar": garghabazar}


def test_the_place_select_offers_the_districts_visits_went_to_and_above_only(client, places):
    html = client.get(LIST_URL).content.decode()
    select = select_of(html, "place")

    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        "azerbaijan",
        "fuzuli",
        "shusha",
    ]
    assert "Garghabazar" not in select
    assert "Horadiz" not in select


def test_the_typed_place_has_its_label_help_suggestions_and_script(client, places):
    html = client.get(LIST_URL).content.decode()
    field = re.search(r'<input type="text" name="place_name"[^>]*>', html).group(0)

    assert '<label for="id_place_name">City or village' in html
    assert 'list="area-suggestions"' in field
    assert f'data-suggest-url="{reverse("area-suggestions")}"' in field
    assert 'autocomplete="off"' in field
    assert 'aria-describedby="id_place_name_helptext"' in field
    assert '<datalist id="area-suggestions"></datalist>' in html
    assert re.search(r'<script src="[^"]*js/suggest(\.[0-9a-f]+)?\.js" defer>', html)


@pytest.mark.parametrize("text", ["Garghabazar", "garghabazar", "Qarğabazar", "qargabazar"])
def test_a_village_is_found_by_name_slug_or_name_variant(client, places, text):
    response = client.get(LIST_URL, {"place_name": text})

    assert response.status_code == 200
    assert sorted(visit_titles(response)) == ["Garghabazar visit", "Tour"]


def test_a_typed_city_includes_its_villages(client, places):
    response = client.get(LIST_URL, {"place_name": "Horadiz"})

    assert sorted(visit_titles(response)) == ["Garghabazar visit", "Horadiz visit", "Tour"]


def test_a_district_chosen_in_the_select_includes_its_cities_and_villages(client, places):
    response = client.get(LIST_URL, {"place": "fuzuli"})

    assert sorted(visit_titles(response)) == [
        "Ahmadalilar visit",
        "Garghabazar visit",
        "Horadiz visit",
        "Tour",
    ]
    assert '<option value="fuzuli" selected>' in select_of(response.text, "place")


def test_the_form_sent_without_javascript_filters_by_the_typed_place(client, places):
    response = client.get(LIST_URL, {**PLAIN_FORM, "place_name": "Qarğabazar"})

    assert response.status_code == 200
    assert sorted(visit_titles(response)) == ["Garghabazar visit", "Tour"]
    # The page shows the place as typed, and the select at "Any place".
    assert 'name="place_name" value="Qarğabazar"' in response.text
    assert '<option value="" selected>Any place</option>' in select_of(response.text, "place")


def test_an_old_address_with_a_village_in_place_keeps_filtering_and_shows_it_typed(client, places):
    response = client.get(LIST_URL, {"place": "garghabazar"})

    assert response.status_code == 200
    assert sorted(visit_titles(response)) == ["Garghabazar visit", "Tour"]
    # The select cannot show the village: the text field does, so that sending the form
    # again keeps it.
    assert 'name="place_name" value="garghabazar"' in response.text
    assert '<option value="" selected>Any place</option>' in select_of(response.text, "place")
    again = client.get(LIST_URL, {**PLAIN_FORM, "place_name": "garghabazar"})
    assert visit_titles(again) == visit_titles(response)


def test_a_district_and_a_typed_place_apply_together(client, places):
    inside = client.get(LIST_URL, {"place": "fuzuli", "place_name": "Garghabazar"})
    outside = client.get(LIST_URL, {"place": "shusha", "place_name": "Garghabazar"})

    assert sorted(visit_titles(inside)) == ["Garghabazar visit", "Tour"]
    assert visit_titles(outside) == ["Tour"]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"place": "atlantis"}, "place", "There is no place “atlantis”."),
        ({"place": "bad slug!"}, "place", "There is no place “bad slug!”."),
        ({"place_name": "Atlantis"}, "place_name", "No area is called “Atlantis”."),
        ({"place_name": "x" * 201}, "place_name", "at most 200 characters"),
    ],
)
def test_an_unknown_place_is_a_400_naming_the_parameter(client, places, params, parameter, message):
    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert f"Parameter “{parameter}”" in response.text
    assert message in response.text
    assert "Garghabazar visit" not in response.text


def test_an_ambiguous_place_name_is_a_400_naming_the_places_and_the_slug_settles_it(client, places):
    response = client.get(LIST_URL, {"place_name": "Ahmadalilar"})

    assert response.status_code == 400
    assert "Parameter “place_name”" in response.text
    assert "slug ahmadalilar-fuzuli" in response.text
    assert "slug ahmadalilar-shusha" in response.text
    chosen = client.get(LIST_URL, {"place_name": "ahmadalilar-fuzuli"})
    assert visit_titles(chosen) == ["Ahmadalilar visit"]


def test_the_api_takes_place_but_not_the_pages_place_name(client, places):
    by_slug = client.get("/api/v1/visits/", {"place": "garghabazar"})
    by_name = client.get("/api/v1/visits/", {"place_name": "Garghabazar"})

    assert sorted(visit["title"] for visit in by_slug.json()["results"]) == [
        "Garghabazar visit",
        "Tour",
    ]
    assert by_name.status_code == 400
    assert "place_name" in by_name.json()["parameters"]


def test_the_listing_stays_under_60_kb_however_many_places_visits_went_to(
    client, places, many_villages
):
    villages = many_villages
    visits = Visit.objects.bulk_create(
        Visit(
            slug=f"bulk-visit-{i}",
            title=f"Bulk visit {i}",
            kind=Visit.Kind.FIELD_INSPECTION,
            status=Visit.Status.COMPLETED,
            start_date=datetime.date(2024, 5, 1),
            publication_status=PublicationStatus.PUBLISHED,
        )
        for i in range(len(villages))
    )
    Visit.places.through.objects.bulk_create(
        Visit.places.through(visit=visit, place=village)
        for visit, village in zip(visits, villages, strict=True)
    )

    response = client.get(LIST_URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert len(response.content) < 60_000
    # The blank option, Azerbaijan and its two districts, and the 20 new districts.
    assert select_of(html, "place").count("<option") == 24
    assert 'value="village-' not in html
    typed = client.get(LIST_URL, {"place_name": "Village number 1999"})
    assert visit_titles(typed) == ["Bulk visit 1999"]
