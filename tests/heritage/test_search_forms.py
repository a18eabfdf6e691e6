"""Names are searched in a folded form, without case or diacritics, which every save and
fixture load stores."""

import pytest
from django.core.management import call_command

from heritage.models import Place, PlaceName, Site, SiteName
from heritage.text import fold


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("qargabazar", "Qarğabazar"),
        ("QARGABAZAR", "Qarğabazar"),
        ("Haci Alakbar", "Hacı Ələkbər"),
        ("qocahmadli", "Qoçəhmədli"),
        ("istanbul", "İstanbul"),
        ("мечеть гаджи", "Мечеть Гаджи"),
        ("  fuzuli   city ", "Füzuli City"),
    ],
)
def test_fold_matches_names_typed_without_special_letters(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_names_apart():
    assert fold("Qarğabazar") != fold("Qoçəhmədli")
    assert fold("") == ""


@pytest.mark.django_db
def test_saving_a_name_stores_its_search_form():
    place = Place.objects.create(slug="q", name="Qarğabazar", kind="village")
    site = Site.objects.create(slug="m", name="Gargabazar Mosque", category="mosque", place=place)
    variant = SiteName.objects.create(site=site, name="Qarğabazar məscidi", language="az")
    place_name = PlaceName.objects.create(place=place, name="Qarğabazar", language="az")
    site.refresh_from_db()
    variant.refresh_from_db()
    place_name.refresh_from_db()
    assert site.folded_name == "gargabazar mosque"
    assert variant.folded == "qargabazar mascidi"
    assert place_name.folded == "qargabazar"

    variant.name = "Hacı Qiyasəddin məscidi"
    variant.save()
    variant.refresh_from_db()
    assert variant.folded == "haci qiyasaddin mascidi"


@pytest.mark.django_db
def test_fixture_loading_fills_search_forms(tmp_path):
    fixture = tmp_path / "names.json"
    fixture.write_text(
        """[
        {"model": "heritage.place",
          "fields": {"slug": "q", "name": "Qarğabazar", "kind": "village"}},
        {"model": "heritage.site", "fields": {"slug": "m", "name": "Qarğabazar Mosque",
          "category": "mosque", "place": ["q"]}},
        {"model": "heritage.sitename", "fields": {"site": ["m"], "language": "az",
          "name": "Qarğabazar məscidi"}}
        ]""",
        encoding="utf-8",
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert Site.objects.get(slug="m").folded_name == "qargabazar mosque"
    assert SiteName.objects.get(site__slug="m").folded == "qargabazar mascidi"
