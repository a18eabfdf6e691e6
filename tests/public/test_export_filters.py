"""The exports hold the sites the listing would show: its filters and sort, its 400 for a bad
value (as plain text), published records only, or the one site asked for."""

import itertools
import json

import pytest
from django.urls import reverse

from heritage.models import Site
from tests.factories import (
    PlaceFactory,
    SiteFactory,
)
from tests.public.pages import assert_shows, body, csv_rows, features_by_slug, geojson
from tests.public.site_filters import BAD_PARAMETERS, FILTER_CASES, case_id

pytestmark = pytest.mark.django_db

CSV_URL = reverse("site-export-csv")
GEOJSON_URL = reverse("site-export-geojson")


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    FILTER_CASES,
    ids=case_id,
)
def test_exports_apply_each_filter_of_the_listing(client, parameter, value, expected):
    csv_slugs = {row["slug"] for row in csv_rows(client.get(CSV_URL, {parameter: value}))}
    geojson_slugs = set(features_by_slug(client.get(GEOJSON_URL, {parameter: value})))

    assert csv_slugs == expected
    assert geojson_slugs == expected


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(FILTER_CASES, 2)),
    ids=lambda case: f"{case[0]}={case[1]}",
)
def test_exports_apply_two_filters_together(client, first, second):
    params = {first[0]: first[1], second[0]: second[1]}

    csv_slugs = {row["slug"] for row in csv_rows(client.get(CSV_URL, params))}
    geojson_slugs = set(features_by_slug(client.get(GEOJSON_URL, params)))

    assert csv_slugs == geojson_slugs == first[2] & second[2]


@pytest.mark.usefixtures("four_sites")
def test_exports_follow_the_sort_and_ignore_the_page(client):
    rows = csv_rows(client.get(CSV_URL, {"sort": "-name", "page": "7"}))
    features = geojson(client.get(GEOJSON_URL, {"sort": "-assessed", "page": "abc"}))["features"]

    assert [row["slug"] for row in rows] == ["gamma", "delta", "beta", "alpha"]
    assert [f["properties"]["slug"] for f in features] == ["beta", "alpha", "delta", "gamma"]


@pytest.mark.usefixtures("four_sites")
@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    BAD_PARAMETERS,
    ids=case_id,
)
def test_export_with_a_bad_parameter_gets_a_plain_text_400(client, url, params, parameter, message):
    response = client.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert_shows(
        text,
        shown=[f"Parameter “{parameter}”", message],
        hidden=["<"],
    )


@pytest.mark.usefixtures("demo")
def test_demo_district_export_holds_all_five_sites(client):
    features = features_by_slug(client.get(GEOJSON_URL, {"area": "fuzuli-district"}))
    rows = csv_rows(client.get(CSV_URL, {"area": "fuzuli-district", "condition": "Destroyed"}))

    assert len(features) == 5
    assert {row["slug"] for row in rows} == {"haji-alakbar-mosque", "gochahmadli-mosque"}


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


@pytest.mark.usefixtures("unpublished_findings")
def test_exports_ignore_draft_assessments(client):
    for url in (CSV_URL, GEOJSON_URL):
        assert "only-draft-assessment" not in body(client.get(url, {"condition": "Destroyed"}))
        text = body(client.get(url, {"organisation": "icesco"}))
        assert "only-draft-assessment" not in text
        assert "on-a-draft-visit" not in text
    feature = features_by_slug(client.get(GEOJSON_URL))["only-draft-assessment"]
    assert feature["properties"]["condition"] is None
    assert feature["properties"]["latest_assessment"] is None
    assert "Destroyed" not in body(client.get(CSV_URL))


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

    # An unpublished site is answered as an unknown one: 400 naming the parameter.
    for url in (GEOJSON_URL, CSV_URL):
        for slug in (draft.slug, "nope"):
            hidden = client.get(url, {"site": slug})
            assert hidden.status_code == 400
            assert "Parameter “site”" in hidden.content.decode()
            assert draft.name not in hidden.content.decode()


def test_site_parameter_is_kept_as_a_hidden_field_of_the_listing_form(client):
    site = SiteFactory(published=True, name="Kept Site")
    SiteFactory(published=True, name="Other Site")

    html = client.get(reverse("site-list"), {"site": site.slug}).content.decode()

    assert_shows(
        html,
        shown=[f'type="hidden" name="site" value="{site.slug}"', "Kept Site"],
        hidden=["Other Site"],
    )
