"""``/sites/export-excel.csv``: the listing's CSV for spreadsheet programs, starting with a
UTF-8 byte-order mark so that Excel shows "Qarğabazar" as written; the listing links to it
with its filters. The exports' ``url`` fields are absolute."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import PlaceFactory, SiteFactory
from tests.public.pages import body, csv_rows, geojson

pytestmark = pytest.mark.django_db

SPREADSHEET_URL = reverse("site-export-spreadsheet-csv")


@pytest.fixture
def sites(db):
    village = PlaceFactory(slug="gargabazar", name="Qarğabazar")
    SiteFactory(published=True, slug="mosque", name="Qarğabazar məscidi", place=village)
    SiteFactory(published=True, slug="cemetery", name="Cemetery", category="cemetery")
    SiteFactory(slug="draft", name="Draft site")


def test_the_spreadsheet_csv_is_the_csv_with_a_byte_order_mark(client, sites):
    response = client.get(SPREADSHEET_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sites-excel.csv"'
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbfslug,")
    assert data.count(b"\xef\xbb\xbf") == 1
    plain = body(client.get(reverse("site-export-csv")))
    assert data.decode("utf-8-sig") == plain
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert {row["name"] for row in rows} == {"Qarğabazar məscidi", "Cemetery"}
    assert {row["place"] for row in rows} >= {"Qarğabazar"}


def test_the_spreadsheet_csv_takes_the_listing_filters(client, sites):
    response = client.get(SPREADSHEET_URL, {"category": "cemetery"})
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [row["slug"] for row in csv.DictReader(io.StringIO(data))] == ["cemetery"]
    refused = client.get(SPREADSHEET_URL, {"category": "nonsense"})
    assert refused.status_code == 400
    assert "category" in refused.content.decode()


def test_the_listing_links_to_the_spreadsheet_csv_with_its_filters(client, sites):
    html = client.get(reverse("site-list"), {"category": "mosque"}).content.decode()
    assert f'href="{SPREADSHEET_URL}?category=mosque"' in html
    assert f'href="{reverse("data")}"' in html


def test_the_exports_urls_are_absolute(client, sites):
    [feature] = [
        feature
        for feature in geojson(client.get(reverse("site-export-geojson")))["features"]
        if feature["id"] == "mosque"
    ]
    assert feature["properties"]["url"] == "http://testserver/sites/mosque/"
    rows = csv_rows(client.get(reverse("site-export-csv")))
    assert {row["url"] for row in rows} == {
        "http://testserver/sites/mosque/",
        "http://testserver/sites/cemetery/",
    }
    api = client.get("/api/v1/sites/", {"format": "geojson"}).json()
    assert {feature["properties"]["url"] for feature in api["features"]} == {
        "http://testserver/sites/mosque/",
        "http://testserver/sites/cemetery/",
    }
