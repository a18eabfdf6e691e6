"""The lists of sites and visits take the parameters of ``/sites/`` and ``/visits/``, through
the same FilterSets: the same matches, and a 400 naming each refused parameter."""

import datetime

import pytest

from heritage.models import Place
from tests.factories import OrganisationFactory, PlaceFactory, VisitFactory
from tests.public.api.reading import all_pages
from tests.public.site_filters import BAD_PARAMETERS, FILTER_CASES, MORE_FILTER_CASES

pytestmark = pytest.mark.django_db


def slugs(client, url, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return {item["slug"] for item in all_pages(client, f"{url}?{query}")}


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(("parameter", "value", "expected"), FILTER_CASES + MORE_FILTER_CASES)
def test_each_site_filter_finds_what_the_page_finds(client, parameter, value, expected):
    response = client.get("/api/v1/sites/", {parameter: value})
    assert response.status_code == 200
    assert {item["slug"] for item in response.json()["results"]} == expected
    page = client.get("/sites/", {parameter: value}).content.decode()
    for slug in expected:
        assert f'href="/sites/{slug}/"' in page


@pytest.mark.usefixtures("four_sites")
def test_site_filters_combine(client):
    found = slugs(client, "/api/v1/sites/", area="east", assessed_from="2022-01-01")
    assert found == {"beta"}


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(("params", "parameter", "message"), BAD_PARAMETERS)
def test_a_refused_site_parameter_is_a_400_naming_it(client, params, parameter, message):
    response = client.get("/api/v1/sites/", params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["parameters"]) == [parameter]
    if parameter == "sort":
        # The API's lists run in the order of their cursor.
        message = "This resource takes no such parameter"
    assert message in body["parameters"][parameter][0]


@pytest.fixture
def visits(db):
    icesco = OrganisationFactory(slug="icesco")
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(slug="village", kind=Place.Kind.VILLAGE, parent=district)
    first = VisitFactory(
        published=True, slug="first", start_date=datetime.date(2021, 1, 12), status="completed"
    )
    first.organisations.add(icesco)
    first.places.add(village)
    VisitFactory(
        published=True, slug="second", start_date=datetime.date(2022, 5, 1), status="planned"
    )
    VisitFactory(slug="draft", start_date=datetime.date(2021, 3, 1), status="completed")


@pytest.mark.usefixtures("visits")
@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    [
        ("organisation", "icesco", {"first"}),
        ("year", "2022", {"second"}),
        ("status", "completed", {"first"}),
        ("place", "district", {"first"}),
        ("place", "village", {"first"}),
    ],
)
def test_each_visit_filter(client, parameter, value, expected):
    assert slugs(client, "/api/v1/visits/", **{parameter: value}) == expected


@pytest.mark.usefixtures("visits")
@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"status": "lost"}, "status", "“lost” is not a visit status"),
        ({"year": "abc"}, "year", "Enter a year as a number"),
        ({"year": "0"}, "year", "Enter a year between 1 and 9999"),
        ({"organisation": "nul\x00byte"}, "organisation", "U+0000"),
        ({"place": "atlantis"}, "place", "There is no place"),
        ({"page": "2"}, "page", "This resource takes no such parameter"),
    ],
)
def test_a_refused_visit_parameter_is_a_400_naming_it(client, params, parameter, message):
    response = client.get("/api/v1/visits/", params)
    assert response.status_code == 400
    assert message in response.json()["parameters"][parameter][0]


@pytest.mark.parametrize(
    "url", ["/api/v1/places/", "/api/v1/figures/", "/api/v1/sources/", "/api/v1/vocabularies/"]
)
def test_resources_without_filters_refuse_any_filter(client, db, url):
    response = client.get(url, {"category": "mosque"})
    assert response.status_code == 400
    assert "category" in response.json()["parameters"]


@pytest.mark.usefixtures("four_sites")
def test_an_unknown_format_is_a_400_naming_it(client):
    response = client.get("/api/v1/sites/", {"format": "xml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "geojson" in response.json()["parameters"]["format"][0]
