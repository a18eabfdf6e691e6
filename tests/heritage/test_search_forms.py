"""Names are searched in a folded form, without case or diacritics, which every save and
fixture load stores."""

import pytest
from django.core.management import call_command

from heritage.models import Place, PlaceName, SearchWord, Site, SiteName
from heritage.text import fold, similarity


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
        # Other scripts: Cyrillic spellings of Azerbaijani names meet the Latin ones.
        ("Гаргабазар", "Qarğabazar"),
        ("Gargabazar", "Гаргабазар"),
        ("Кочахмедли", "Qoçəhmədli"),
        ("Gochahmadli", "Кочахмедли"),
        # Keyboards without Azerbaijani letters: ə/e, ı/i, ğ/gh, ş/sh, ç/ch, x/kh, q/g.
        ("mescidi", "məscidi"),
        ("Haci", "Hacı"),
        ("Garghabazar", "Qarğabazar"),
        ("Shah Abbas", "Şah Abbas"),
        ("Gochahmadli", "Qoçəhmədli"),
        ("Khankendi", "Xankəndi"),
        ("Garqabazar", "Gargabazar"),
    ],
)
def test_fold_matches_names_typed_without_special_letters(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_names_apart():
    assert fold("Qarğabazar") != fold("Qoçəhmədli")
    assert fold("Füzuli") != fold("Qarğabazar")
    assert fold("") == ""


def test_arabic_script_names_fold_to_a_stable_latin_form():
    folded = fold("قرغابازار")
    assert folded
    assert folded.isascii()
    assert fold("قرغابازار مسجد").startswith(folded)


def test_similarity_counts_trigrams_as_postgresql_does():
    # pg_trgm: similarity('gargabazari', 'gargabazar') = 10 shared of 13 trigrams.
    assert similarity("gargabazari", "gargabazar") == pytest.approx(10 / 13)
    assert similarity("fizuli", "fuzuli") == pytest.approx(4 / 10)
    assert similarity("abc", "xyz") == 0
    assert similarity("", "abc") == 0


@pytest.mark.django_db
def test_saving_a_name_stores_its_search_form():
    place = Place.objects.create(slug="q", name="Qarğabazar", kind="village")
    site = Site.objects.create(slug="m", name="Gargabazar Mosque", category="mosque", place=place)
    variant = SiteName.objects.create(site=site, name="Qarğabazar məscidi", language="az")
    place_name = PlaceName.objects.create(place=place, name="Qarğabazar", language="az")
    site.refresh_from_db()
    variant.refresh_from_db()
    place_name.refresh_from_db()
    assert site.folded_name == fold("Gargabazar Mosque")
    assert variant.folded == fold("Qarğabazar məscidi") == fold("garghabazar mescidi")
    assert place_name.folded == fold("Qarğabazar")
    assert SearchWord.objects.filter(word__in=fold("Gargabazar Mosque").split()).count() == 2

    variant.name = "Hacı Qiyasəddin məscidi"
    variant.save()
    variant.refresh_from_db()
    assert variant.folded == fold("haci qiyaseddin mescidi")


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
    assert Site.objects.get(slug="m").folded_name == fold("Qarğabazar Mosque")
    assert SiteName.objects.get(site__slug="m").folded == fold("Qarğabazar məscidi")
    assert SearchWord.objects.filter(word=fold("məscidi")).exists()
