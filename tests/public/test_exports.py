"""``/sites/export.csv`` and ``/sites/export.geojson``: the listing's sites, streamed, in the
visitor's language, at their public position, with no cell a spreadsheet would run."""

import csv
import datetime
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from heritage.models import NameKind, Site
from public.views import exports
from tests.factories import (
    AssessmentFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    condition,
    published_assessment,
)
from tests.languages import in_language
from tests.public.pages import assert_shows, body, csv_rows, features_by_slug, geojson

pytestmark = pytest.mark.django_db

CSV_URL = reverse("site-export-csv")
GEOJSON_URL = reverse("site-export-geojson")


CSV_COLUMNS = [
    "slug",
    "name",
    "category",
    "place",
    "district",
    "latitude",
    "longitude",
    "location_precision",
    "dating",
    "latest_condition",
    "latest_assessment_date",
    "url",
    "condition_status",
    "condition_inferred",
    "unosat_class",
    "chw_category",
]


@pytest.fixture
def mosque(db):
    """A published mosque located by its village, destroyed when last assessed."""
    place = PlaceFactory(name="Qarğabazar", latitude="39.539700", longitude="47.156400")
    site = SiteFactory(
        published=True,
        slug="gargabazar-mosque",
        name="Gargabazar Mosque",
        category="mosque",
        place=place,
        latitude="39.539700",
        longitude="47.156400",
        location_precision="settlement",
        dating_label="AH 1095 / 1683–84",
    )
    published_assessment(site, datetime.date(2021, 1, 12), "Destroyed")


@pytest.mark.usefixtures("mosque")
@pytest.mark.parametrize(
    ("url", "content_type", "name"),
    [
        (CSV_URL, "text/csv; charset=utf-8", "sites.csv"),
        (GEOJSON_URL, "application/geo+json", "sites.geojson"),
    ],
    ids=["csv", "geojson"],
)
def test_exports_are_streamed_attachments(client, url, content_type, name):
    response = client.get(url)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.usefixtures("mosque")
def test_csv_has_a_row_of_every_column_per_site(client):
    text = body(client.get(CSV_URL))
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    [row] = csv.DictReader(io.StringIO(text, newline=""))
    assert row == {
        "slug": "gargabazar-mosque",
        "name": "Gargabazar Mosque",
        "category": "mosque",
        "place": "Qarğabazar",
        "district": "",
        "latitude": "39.539700",
        "longitude": "47.156400",
        "location_precision": "settlement",
        "dating": "AH 1095 / 1683–84",
        "latest_condition": "Destroyed",
        "latest_assessment_date": "2021-01-12",
        "url": "http://testserver/sites/gargabazar-mosque/",
        "condition_status": "stated",
        "condition_inferred": "no",
        "unosat_class": "destroyed",
        "chw_category": "destroyed",
    }


def test_csv_gives_dating_as_years_when_there_is_no_label(client):
    SiteFactory(published=True, slug="years", year_from=1683, year_to=1684)
    SiteFactory(published=True, slug="one-year", year_from=1905, year_to=1905)
    SiteFactory(published=True, slug="undated")

    rows = {row["slug"]: row for row in csv_rows(client.get(CSV_URL))}

    assert rows["years"]["dating"] == "1683–1684"
    assert rows["one-year"]["dating"] == "1905"
    assert rows["undated"]["dating"] == ""
    assert rows["undated"]["latest_condition"] == ""
    assert rows["undated"]["latest_assessment_date"] == ""


@pytest.mark.usefixtures("mosque")
def test_geojson_is_an_rfc_7946_feature_collection(client):
    data = geojson(client.get(GEOJSON_URL))
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [47.1564, 39.5397]}
    assert feature["properties"] == {
        "name": "Gargabazar Mosque",
        "slug": "gargabazar-mosque",
        "url": "http://testserver/sites/gargabazar-mosque/",
        "category": "mosque",
        "category_label": "Mosque",
        "condition": "Destroyed",
        "condition_label": "Destroyed",
        "latest_assessment": "2021-01-12",
        "location_precision": "settlement",
        "condition_status": "stated",
        "condition_inferred": False,
        "unosat_class": "destroyed",
        "chw_category": "destroyed",
    }


def test_geojson_of_nothing_is_an_empty_collection(client):
    assert geojson(client.get(GEOJSON_URL)) == {"type": "FeatureCollection", "features": []}


def test_geojson_gives_null_geometry_and_condition_when_unknown(client):
    SiteFactory(published=True, slug="nowhere", place=PlaceFactory())

    feature = features_by_slug(client.get(GEOJSON_URL))["nowhere"]

    assert feature["geometry"] is None
    assert feature["properties"]["condition"] is None
    # One vocabulary on every page and export: no published assessment is "Not assessed".
    assert feature["properties"]["condition_label"] == "Not assessed"
    assert feature["properties"]["condition_status"] == "not_assessed"
    assert feature["properties"]["latest_assessment"] is None


@pytest.mark.usefixtures("demo")
def test_geojson_coordinates_are_longitude_then_latitude_within_range(client):
    SiteFactory(published=True, latitude="-33.856784", longitude="151.215297")
    SiteFactory(published=True, latitude="64.146582", longitude="-21.942635")

    features = geojson(client.get(GEOJSON_URL))["features"]

    assert len(features) == 7
    for feature in features:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert isinstance(longitude, float)
        assert isinstance(latitude, float)
        assert -180 <= longitude <= 180
        assert -90 <= latitude <= 90
    demo = next(f for f in features if f["properties"]["slug"] == "gargabazar-caravanserai")
    assert demo["geometry"]["coordinates"] == [47.156952, 39.539143]


def test_exports_speak_the_visitors_language(client):
    site = SiteFactory(published=True, slug="mosque", name="Gargabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi", language="az")
    AssessmentFactory(site=site, published=True, condition="Destroyed")

    az = features_by_slug(client.get(in_language(GEOJSON_URL, "az")))["mosque"]
    ar = features_by_slug(client.get(in_language(GEOJSON_URL, "ar")))["mosque"]
    [row] = csv_rows(client.get(in_language(CSV_URL, "az")))

    assert az["properties"]["name"] == "Qarğabazar məscidi"
    assert row["name"] == "Qarğabazar məscidi"
    assert ar["properties"]["name"] == "Gargabazar Mosque"
    assert ar["properties"]["condition"] == "Destroyed"
    assert ar["properties"]["condition_label"] == condition("Destroyed").label_ar


@pytest.mark.parametrize("language", ["en", "az", "ar"])
def test_exported_name_is_the_display_name(language):
    """The exports compute ``Site.display_name`` in the database; the two must agree."""
    plain = SiteFactory(published=True, name="Plain")
    preferred = SiteFactory(published=True, name="Preferred")
    for name, kind in [
        ("Tərcümə", NameKind.TRANSLATION),
        ("Alternativ", NameKind.ALTERNATIVE),
        ("Rəsmi B", NameKind.OFFICIAL),
        ("Rəsmi A", NameKind.OFFICIAL),
        ("Tarixi", NameKind.HISTORICAL),
    ]:
        SiteNameFactory(site=preferred, name=name, language="az", kind=kind)
    SiteNameFactory(site=preferred, name="Кириллица", language="az-Cyrl", kind=NameKind.OFFICIAL)
    historical_only = SiteFactory(published=True, name="Historical only")
    SiteNameFactory(site=historical_only, name="Köhnə", language="az", kind=NameKind.HISTORICAL)
    arabic = SiteFactory(published=True, name="Arabic")
    SiteNameFactory(site=arabic, name="مسجد", language="ar", kind=NameKind.TRANSLATION)

    with translation.override(language):
        annotated = {site.pk: site.localized_name for site in Site.objects.with_localized_name()}
        for site in Site.objects.prefetch_related("names"):
            assert annotated[site.pk] == site.display_name()
    assert plain.pk in annotated


def test_withheld_location_is_exported_at_its_place_only(client):
    place = PlaceFactory(latitude="39.539700", longitude="47.156400")
    SiteFactory(
        published=True,
        slug="secret-spot",
        place=place,
        latitude="40.123456",
        longitude="45.654321",
        location_precision="withheld",
    )

    csv_response = client.get(CSV_URL)
    csv_text = body(csv_response)
    geojson_response = client.get(GEOJSON_URL)
    geojson_text = body(geojson_response)

    for text in (csv_text, geojson_text):
        assert_shows(
            text,
            hidden=["40.123456", "45.654321", "40.12", "45.65"],
        )
    [row] = csv.DictReader(io.StringIO(csv_text, newline=""))
    assert (row["latitude"], row["longitude"]) == ("39.539700", "47.156400")
    assert row["location_precision"] == "withheld"
    feature = json.loads(geojson_text)["features"][0]
    assert feature["geometry"]["coordinates"] == [47.1564, 39.5397]
    assert feature["properties"]["location_precision"] == "withheld"


def test_withheld_location_of_a_place_without_coordinates_has_no_geometry(client):
    SiteFactory(
        published=True,
        slug="secret-spot",
        place=PlaceFactory(),
        latitude="40.123456",
        longitude="45.654321",
        location_precision="withheld",
    )

    feature = features_by_slug(client.get(GEOJSON_URL))["secret-spot"]
    [row] = csv_rows(client.get(CSV_URL))

    assert feature["geometry"] is None
    assert (row["latitude"], row["longitude"]) == ("", "")


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturned"],
)
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client, name):
    place = PlaceFactory(name="=cmd|' /C calc'!A0")
    site = SiteFactory(published=True, place=place, dating_label="+17th century")
    # Stored as it is, without the trimming of a save (a record stored before it, say).
    Site.objects.filter(pk=site.pk).update(name=name)

    [row] = csv_rows(client.get(CSV_URL))

    assert row["name"] == "'" + name
    assert row["place"] == "'=cmd|' /C calc'!A0"
    assert row["dating"] == "'+17th century"


def test_csv_leaves_ordinary_text_and_negative_coordinates_alone(client):
    SiteFactory(
        published=True,
        name="Mosque - old town",
        latitude="-33.856784",
        longitude="-21.942635",
        location_precision="exact",
    )

    [row] = csv_rows(client.get(CSV_URL))

    assert row["name"] == "Mosque - old town"
    assert (row["latitude"], row["longitude"]) == ("-33.856784", "-21.942635")


@pytest.mark.parametrize("language", ["en", "az", "ar"])
@pytest.mark.parametrize("name", ["site-detail", "restoration-detail"])
def test_an_address_reversed_once_is_the_address_reverse_gives_for_each_slug(language, name):
    with translation.override(language):
        address = exports.slug_url(name)
        for slug in ["juma-mosque", "site_2", "0-slug-0", "a"]:
            assert address(slug) == reverse(name, args=[slug])
