"""``/sites/export.csv`` and ``/sites/export.geojson``: the listing's sites, streamed."""

import csv
import datetime
import io
import itertools
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from heritage import selectors
from heritage.base import PublishableQuerySet
from heritage.models import NameKind, Site
from heritage.views import sites as site_views
from inspections.models import OverallCondition
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    VisitFactory,
)
from tests.public.test_site_list import (
    BAD_PARAMETERS,
    FILTER_CASES,
    build_register,
)

pytestmark = pytest.mark.django_db

CSV_URL = reverse("site-export-csv")
GEOJSON_URL = reverse("site-export-geojson")

CSV_COLUMNS = [
    "slug",
    "name",
    "category",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "dating",
    "latest_condition",
    "latest_assessment_date",
    "url",
]


def condition(label):
    return OverallCondition.objects.get(label=label)


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def geojson(response):
    return json.loads(body(response))


def features_by_slug(response):
    return {feature["properties"]["slug"]: feature for feature in geojson(response)["features"]}


# --- Format -------------------------------------------------------------------------------


def test_csv_is_a_streamed_attachment_with_every_column(client):
    place = PlaceFactory(name="Qarğabazar", latitude="39.539700", longitude="47.156400")
    site = SiteFactory(
        published=True,
        slug="gargabazar-mosque",
        name="Gargabazar Mosque",
        place=place,
        latitude="39.539700",
        longitude="47.156400",
        location_precision="settlement",
        dating_label="AH 1095 / 1683–84",
    )
    AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2021, 1, 12),
        overall_condition=condition("Destroyed"),
    )

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sites.csv"'
    text = body(response)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    [row] = csv.DictReader(io.StringIO(text, newline=""))
    assert row == {
        "slug": "gargabazar-mosque",
        "name": "Gargabazar Mosque",
        "category": "mosque",
        "place": "Qarğabazar",
        "latitude": "39.539700",
        "longitude": "47.156400",
        "location_precision": "settlement",
        "dating": "AH 1095 / 1683–84",
        "latest_condition": "Destroyed",
        "latest_assessment_date": "2021-01-12",
        "url": "http://testserver/sites/gargabazar-mosque/",
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


def test_geojson_is_a_streamed_rfc_7946_feature_collection(client):
    place = PlaceFactory(name="Fuzuli", latitude="39.600300", longitude="47.143100")
    site = SiteFactory(
        published=True,
        slug="haji-alakbar-mosque",
        name="Haji Alakbar Mosque",
        category="mosque",
        place=place,
        latitude="39.595600",
        longitude="47.145300",
        location_precision="exact",
    )
    AssessmentFactory(
        site=site,
        published=True,
        assessed_on=datetime.date(2021, 1, 12),
        overall_condition=condition("Destroyed"),
    )

    response = client.get(GEOJSON_URL)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="sites.geojson"'
    data = geojson(response)
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [47.1453, 39.5956]}
    assert feature["properties"] == {
        "name": "Haji Alakbar Mosque",
        "slug": "haji-alakbar-mosque",
        "url": "/sites/haji-alakbar-mosque/",
        "category": "mosque",
        "category_label": "Mosque",
        "condition": "Destroyed",
        "condition_label": "Destroyed",
        "latest_assessment": "2021-01-12",
        "location_precision": "exact",
    }


def test_geojson_of_nothing_is_an_empty_collection(client):
    assert geojson(client.get(GEOJSON_URL)) == {"type": "FeatureCollection", "features": []}


def test_geojson_gives_null_geometry_and_condition_when_unknown(client):
    SiteFactory(published=True, slug="nowhere", place=PlaceFactory())

    feature = features_by_slug(client.get(GEOJSON_URL))["nowhere"]

    assert feature["geometry"] is None
    assert feature["properties"]["condition"] is None
    assert feature["properties"]["condition_label"] is None
    assert feature["properties"]["latest_assessment"] is None


def test_geojson_coordinates_are_longitude_then_latitude_within_range(client):
    call_command("load_demo", verbosity=0)
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
    AssessmentFactory(site=site, published=True, overall_condition=condition("Destroyed"))

    az = features_by_slug(client.get(GEOJSON_URL, headers={"accept-language": "az"}))["mosque"]
    ar = features_by_slug(client.get(GEOJSON_URL, headers={"accept-language": "ar"}))["mosque"]
    [row] = csv_rows(client.get(CSV_URL, headers={"accept-language": "az"}))

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
        annotated = {
            site.pk: site.localized_name
            for site in selectors.with_localized_name(Site.objects.all())
        }
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
        assert "40.123456" not in text
        assert "45.654321" not in text
        assert "40.12" not in text
        assert "45.65" not in text
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


# --- Formula injection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturned"],
)
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client, name):
    place = PlaceFactory(name="=cmd|' /C calc'!A0")
    SiteFactory(published=True, name=name, place=place, dating_label="+17th century")

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


# --- Filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    FILTER_CASES,
    ids=lambda case: case if isinstance(case, str) else None,
)
def test_exports_apply_each_filter_of_the_listing(client, parameter, value, expected):
    build_register()

    csv_slugs = {row["slug"] for row in csv_rows(client.get(CSV_URL, {parameter: value}))}
    geojson_slugs = set(features_by_slug(client.get(GEOJSON_URL, {parameter: value})))

    assert csv_slugs == expected
    assert geojson_slugs == expected


@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(FILTER_CASES, 2)),
    ids=lambda case: f"{case[0]}={case[1]}",
)
def test_exports_apply_two_filters_together(client, first, second):
    build_register()
    params = {first[0]: first[1], second[0]: second[1]}

    csv_slugs = {row["slug"] for row in csv_rows(client.get(CSV_URL, params))}
    geojson_slugs = set(features_by_slug(client.get(GEOJSON_URL, params)))

    assert csv_slugs == geojson_slugs == first[2] & second[2]


def test_exports_follow_the_sort_and_ignore_the_page(client):
    build_register()

    rows = csv_rows(client.get(CSV_URL, {"sort": "-name", "page": "7"}))
    features = geojson(client.get(GEOJSON_URL, {"sort": "-assessed", "page": "abc"}))["features"]

    assert [row["slug"] for row in rows] == ["gamma", "delta", "beta", "alpha"]
    assert [f["properties"]["slug"] for f in features] == ["beta", "alpha", "delta", "gamma"]


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    BAD_PARAMETERS,
    ids=lambda case: "&".join(case) if isinstance(case, dict) else None,
)
def test_export_with_a_bad_parameter_gets_a_plain_text_400(client, url, params, parameter, message):
    build_register()

    response = client.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Parameter “{parameter}”" in text
    assert message in text
    assert "<" not in text


def test_demo_district_export_holds_all_five_sites(client):
    call_command("load_demo", verbosity=0)

    features = features_by_slug(client.get(GEOJSON_URL, {"area": "fuzuli-district"}))
    rows = csv_rows(client.get(CSV_URL, {"area": "fuzuli-district", "condition": "Destroyed"}))

    assert len(features) == 5
    assert {row["slug"] for row in rows} == {"haji-alakbar-mosque", "gochahmadli-mosque"}


# --- Publication rule ---------------------------------------------------------------------


def test_exports_hold_published_sites_only(client):
    SiteFactory(published=True, slug="public-site")
    SiteFactory(publication_status="draft", slug="draft-site", name="Draft site")
    SiteFactory(publication_status="rejected", slug="rejected-site", name="Rejected site")
    SiteFactory(publication_status="in_review", slug="review-site", name="Review site")

    for url in (CSV_URL, GEOJSON_URL):
        text = body(client.get(url))
        assert "public-site" in text
        for hidden in ["draft-site", "Draft site", "rejected-site", "Rejected site", "Review site"]:
            assert hidden not in text


def test_exports_ignore_draft_assessments(client):
    icesco = OrganisationFactory(slug="icesco")
    site = SiteFactory(published=True, slug="only-draft-assessment")
    AssessmentFactory(
        site=site,
        publication_status="draft",
        assessed_by=icesco,
        assessed_on=datetime.date(2021, 1, 12),
        overall_condition=condition("Destroyed"),
    )
    draft_visit = VisitFactory(publication_status="draft")
    draft_visit.organisations.add(icesco)
    other = SiteFactory(published=True, slug="on-a-draft-visit")
    AssessmentFactory(site=other, published=True, visit=draft_visit)

    for url in (CSV_URL, GEOJSON_URL):
        assert "only-draft-assessment" not in body(client.get(url, {"condition": "Destroyed"}))
        text = body(client.get(url, {"organisation": "icesco"}))
        assert "only-draft-assessment" not in text
        assert "on-a-draft-visit" not in text
    feature = features_by_slug(client.get(GEOJSON_URL))["only-draft-assessment"]
    assert feature["properties"]["condition"] is None
    assert feature["properties"]["latest_assessment"] is None
    assert "Destroyed" not in body(client.get(CSV_URL))


# --- Query counts and streaming -----------------------------------------------------------


def build_sites(count):
    icesco = OrganisationFactory(slug="icesco")
    for index in range(count):
        site = SiteFactory(
            published=True,
            category="mosque",
            latitude="39.539700",
            longitude="47.156400",
            location_precision="withheld" if index % 2 else "exact",
            place=PlaceFactory(latitude="39.600300", longitude="47.143100"),
        )
        SiteNameFactory(site=site, language="az")
        AssessmentFactory(
            site=site, published=True, assessed_by=icesco, overall_condition=condition("Poor")
        )


# The condition terms, then the sites with their place, names and latest assessment.
EXPORT_QUERIES = 2


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("language", ["en", "az"])
def test_export_query_count_does_not_grow_with_the_rows(
    client, django_assert_num_queries, monkeypatch, url, size, language
):
    # Small chunks, so that the larger export is read from the database in several.
    monkeypatch.setattr(site_views, "EXPORT_CHUNK_SIZE", 5)
    build_sites(size)

    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(url, headers={"accept-language": language})
        text = body(response)

    assert text.count("/sites/site-") == size


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_filtered_export_query_count_does_not_grow_with_the_rows(
    client, django_assert_num_queries, url
):
    build_sites(12)

    # Plus one query to look up the organisation.
    with django_assert_num_queries(EXPORT_QUERIES + 1):
        text = body(client.get(url, {"organisation": "icesco", "q": "site", "sort": "-assessed"}))

    assert text.count("/sites/site-") == 12


def test_exports_read_rows_in_chunks(client, monkeypatch):
    """The exports iterate over the queryset instead of loading it whole."""
    chunk_sizes = []
    original = PublishableQuerySet.iterator

    def spy(queryset, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return original(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(PublishableQuerySet, "iterator", spy)
    build_sites(3)

    for url in (CSV_URL, GEOJSON_URL):
        body(client.get(url))

    assert chunk_sizes == [site_views.EXPORT_CHUNK_SIZE] * 2


def test_site_parameter_exports_one_published_site_at_its_public_location(client):
    place = PlaceFactory(latitude="39.600300", longitude="47.143100")
    withheld = SiteFactory(
        published=True,
        place=place,
        latitude="39.611111",
        longitude="47.122222",
        location_precision=Site.Precision.WITHHELD,
    )
    SiteFactory(published=True, place=place)
    draft = SiteFactory(place=place)

    features = json.loads(body(client.get(GEOJSON_URL, {"site": withheld.slug})))["features"]
    assert [feature["properties"]["slug"] for feature in features] == [withheld.slug]
    assert features[0]["geometry"]["coordinates"] == [47.1431, 39.6003]
    assert features[0]["properties"]["location_precision"] == "withheld"

    hidden = json.loads(body(client.get(GEOJSON_URL, {"site": draft.slug})))
    assert hidden["features"] == []
    unknown = json.loads(body(client.get(GEOJSON_URL, {"site": "no-such-site"})))
    assert unknown["features"] == []


def test_site_parameter_is_kept_as_a_hidden_field_of_the_listing_form(client):
    site = SiteFactory(published=True, name="Kept Site")
    SiteFactory(published=True, name="Other Site")

    html = client.get(reverse("site-list"), {"site": site.slug}).content.decode()

    assert f'type="hidden" name="site" value="{site.slug}"' in html
    assert "Kept Site" in html
    assert "Other Site" not in html
