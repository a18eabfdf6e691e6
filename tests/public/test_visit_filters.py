"""``/visits/``: each filter of the listing, and the 400 with the whole page that a bad value
gets."""

import datetime
import re

import pytest
from django.urls import reverse

from heritage.models import Place
from inspections.models import Visit
from tests.factories import OrganisationFactory, PlaceFactory, VisitFactory
from tests.public.pages import assert_shows, visit_titles

pytestmark = pytest.mark.django_db

LIST_URL = reverse("visit-list")


def test_visit_list_filters_by_organisation_slug(client):
    icesco = OrganisationFactory(slug="icesco")
    ours = VisitFactory(published=True, title="ICESCO visit")
    ours.organisations.add(icesco, OrganisationFactory())
    VisitFactory(published=True, title="Other visit").organisations.add(OrganisationFactory())

    response = client.get(LIST_URL, {"organisation": "icesco"})

    assert response.status_code == 200
    assert visit_titles(response) == ["ICESCO visit"]


def test_visit_list_filters_by_year_of_start_date(client):
    VisitFactory(published=True, title="2021 visit", start_date=datetime.date(2021, 12, 31))
    VisitFactory(published=True, title="2022 visit", start_date=datetime.date(2022, 1, 1))

    response = client.get(LIST_URL, {"year": "2021"})

    assert visit_titles(response) == ["2021 visit"]


@pytest.mark.parametrize("status", [choice.value for choice in Visit.Status])
def test_visit_list_filters_by_each_status(client, status):
    for choice in Visit.Status:
        VisitFactory(published=True, title=f"Visit {choice.value}", status=choice)

    response = client.get(LIST_URL, {"status": status})

    assert visit_titles(response) == [f"Visit {status}"]


def test_visit_list_place_filter_includes_the_cities_and_villages_of_a_district(client):
    district = PlaceFactory(slug="fuzuli-district", kind=Place.Kind.DISTRICT)
    city = PlaceFactory(parent=district, kind=Place.Kind.CITY)
    village = PlaceFactory(parent=city, kind=Place.Kind.VILLAGE)
    elsewhere = PlaceFactory(kind=Place.Kind.DISTRICT)
    VisitFactory(published=True, title="City visit").places.add(city)
    VisitFactory(published=True, title="Village visit").places.add(village)
    VisitFactory(published=True, title="District visit").places.add(district)
    VisitFactory(published=True, title="Elsewhere").places.add(elsewhere)

    response = client.get(LIST_URL, {"place": "fuzuli-district"})

    assert sorted(visit_titles(response)) == ["City visit", "District visit", "Village visit"]


def test_visit_list_place_filter_does_not_include_the_parent_place(client):
    district = PlaceFactory(kind=Place.Kind.DISTRICT)
    city = PlaceFactory(slug="fuzuli", parent=district)
    VisitFactory(published=True, title="District-wide visit").places.add(district)
    VisitFactory(published=True, title="City visit").places.add(city)

    response = client.get(LIST_URL, {"place": "fuzuli"})

    assert visit_titles(response) == ["City visit"]


def test_visit_list_lists_a_visit_once_when_several_of_its_places_match(client):
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    villages = [PlaceFactory(parent=district) for _ in range(3)]
    visit = VisitFactory(published=True, title="Tour of the villages")
    visit.places.add(*villages)
    visit.organisations.add(OrganisationFactory(slug="org"))

    response = client.get(LIST_URL, {"place": "district", "organisation": "org"})

    assert visit_titles(response) == ["Tour of the villages"]
    assert "1 visit found." in response.text


def test_visit_list_combines_filters(client):
    org = OrganisationFactory(slug="icesco")
    match = VisitFactory(published=True, title="Match", status=Visit.Status.COMPLETED)
    match.organisations.add(org)
    wrong_status = VisitFactory(published=True, title="Wrong status", status=Visit.Status.PLANNED)
    wrong_status.organisations.add(org)

    response = client.get(LIST_URL, {"organisation": "icesco", "status": "completed"})

    assert visit_titles(response) == ["Match"]


def test_visit_list_filters_never_reveal_drafts(client):
    org = OrganisationFactory(slug="icesco")
    VisitFactory(title="Draft visit").organisations.add(org)

    response = client.get(LIST_URL, {"organisation": "icesco"})

    assert response.status_code == 200
    assert visit_titles(response) == []
    assert "Draft visit" not in response.text


def test_visit_list_empty_parameters_mean_no_filter(client):
    VisitFactory(published=True, title="Any visit")

    response = client.get(LIST_URL, {"organisation": "", "year": "", "status": "", "place": ""})

    assert response.status_code == 200
    assert visit_titles(response) == ["Any visit"]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"status": "lost"}, "status", "“lost” is not a visit status"),
        ({"year": "abc"}, "year", "Enter a year as a number"),
        ({"year": "99999"}, "year", "Enter a year between 1 and 9999"),
        ({"year": "0"}, "year", "Enter a year between 1 and 9999"),
        ({"year": "20.5"}, "year", "Enter a year as a number"),
        ({"organisation": "no-such-body"}, "organisation", "There is no organisation"),
        ({"organisation": "bad slug!"}, "organisation", "There is no organisation"),
        ({"place": "atlantis"}, "place", "There is no place"),
        ({"page": "abc"}, "page", "A page number is a whole number"),
        ({"page": "99"}, "page", "There is no page 99"),
        ({"page": "0"}, "page", "There is no page 0"),
    ],
)
def test_visit_list_invalid_parameter_answers_400_with_the_page_and_names_it(
    client, params, parameter, message
):
    VisitFactory(published=True, title="Listed visit")

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    text = response.text
    assert_shows(
        text,
        shown=[
            "<h1>Visits</h1>",
            '<form class="filters"',
            "The address contains a value the register cannot use",
            f"Parameter “{parameter}”",
            message,
        ],
        hidden=["Listed visit"],
    )


def test_visit_list_invalid_filter_is_marked_on_its_form_field(client):
    response = client.get(LIST_URL, {"status": "lost"})

    assert response.status_code == 400
    assert re.search(r'<select name="status"[^>]*aria-invalid="true"', response.text)


def test_visit_list_page_error_is_not_reported_twice_when_filters_are_invalid(client):
    response = client.get(LIST_URL, {"status": "lost", "page": "3"})

    assert response.status_code == 400
    assert "Parameter “status”" in response.text
    assert "Parameter “page”" not in response.text
