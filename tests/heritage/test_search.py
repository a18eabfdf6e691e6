"""The text search over sites (``Site.objects.search``): place names, several words, other
scripts and keyboards, close matches, names as sources report them, and the ranking. Run on
SQLite and on PostgreSQL: both must give the same answers."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from heritage.models import (
    NameKind,
    Place,
    SearchWord,
    Site,
    SiteName,
    SiteSearch,
    site_queries,
    site_search,
)
from heritage.models.site_search import CLOSE, EXACT, NAME, PLACE, PREFIX
from heritage.text import fold
from tests.factories import (
    PlaceFactory,
    PlaceNameFactory,
    SiteFactory,
    SiteNameFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def found(text):
    """Slugs of the published sites the search finds, best first."""
    return [site.slug for site in Site.objects.public().order_by("name", "id").search(text)]


def ranks(text):
    return {site.slug: site.search_rank for site in Site.objects.public().search(text)}


# The searches a reader tried on the demo (the "Why"): each finds the site meant.
DEMO_SEARCHES = [
    ("Gargabazari", {"gargabazar-mosque", "gargabazar-caravanserai"}),
    ("Garqabazar", {"gargabazar-mosque", "gargabazar-caravanserai"}),
    ("Juma", {"haji-alakbar-mosque"}),
    ("Fuzuli cemetery", {"fuzuli-city-cemetery"}),
    ("cemetery Füzuli", {"fuzuli-city-cemetery"}),
    ("Кочахмедли", {"gochahmadli-mosque"}),
    ("Физули", {"haji-alakbar-mosque", "fuzuli-city-cemetery"}),
    ("Varanda", {"haji-alakbar-mosque", "fuzuli-city-cemetery"}),
    ("Гаргабазар", {"gargabazar-mosque", "gargabazar-caravanserai"}),
    ("mescidi", {"gargabazar-mosque", "gochahmadli-mosque", "haji-alakbar-mosque"}),
    ("Gargabazar mosque", {"gargabazar-mosque"}),
]


@pytest.mark.usefixtures("demo")
def test_the_demo_searches_find_the_sites_a_reader_means():
    for text, expected in DEMO_SEARCHES:
        assert set(found(text)) == expected, text


@pytest.mark.usefixtures("demo")
def test_a_place_name_ranks_the_sites_of_that_place_before_those_of_the_district():
    # "Fuzuli" is the city and, in "Fuzuli District", the district holding every village.
    order = found("mosque fuzuli")
    assert order[0] == "haji-alakbar-mosque"
    assert set(order[1:]) == {"gargabazar-mosque", "gochahmadli-mosque"}


def test_a_site_is_found_by_every_name_of_its_place_and_the_places_above_it():
    district = PlaceFactory(name="Fuzuli District", kind=Place.Kind.DISTRICT)
    city = PlaceFactory(name="Fuzuli", parent=district)
    PlaceNameFactory(place=city, name="Физули", language="ru", script="Cyrl")
    PlaceNameFactory(place=city, name="Varanda", language="hy")
    village = PlaceFactory(name="Qarğabazar", kind=Place.Kind.VILLAGE, parent=district)
    in_city = SiteFactory(published=True, slug="in-city", name="City mosque", place=city)
    SiteFactory(published=True, slug="in-village", name="Village mosque", place=village)
    SiteFactory(published=True, slug="elsewhere", name="Other mosque")

    assert found("Varanda") == [in_city.slug]
    assert found("физули") == [in_city.slug]
    assert found("district") == ["in-city", "in-village"]
    assert found("mosque varanda") == ["in-city"]
    assert ranks("Varanda") == {"in-city": PLACE}


def test_every_word_must_match_in_any_order():
    SiteFactory(published=True, slug="cemetery", name="Fuzuli city cemetery")
    SiteFactory(published=True, slug="mosque", name="Fuzuli mosque")

    assert found("cemetery fuzuli") == ["cemetery"]
    assert found("FUZULI   Cemetery") == ["cemetery"]
    assert found("fuzuli") == ["cemetery", "mosque"]
    assert found("fuzuli library") == []


def test_cyrillic_and_latin_spellings_find_each_other():
    latin = SiteFactory(published=True, slug="latin", name="Gargabazar Caravanserai")
    cyrillic = SiteFactory(published=True, slug="cyrillic", name="Village mosque")
    SiteNameFactory(site=cyrillic, name="Мечеть Кочахмедли", language="ru", script="Cyrl")

    assert found("Гаргабазар") == [latin.slug]
    assert found("Qoçəhmədli") == [cyrillic.slug]
    assert found("Gochahmadli") == [cyrillic.slug]


def test_azerbaijani_letters_typed_on_other_keyboards_match():
    site = SiteFactory(published=True, slug="mosque", name="Mosque")
    SiteNameFactory(site=site, name="Şah Abbas məscidi")
    SiteNameFactory(site=site, name="Xanəgah Qarğabazar")

    for typed in ["shah abbas", "sah abbas", "mescidi", "khanagah", "garghabazar"]:
        assert found(typed) == ["mosque"], typed


def test_arabic_script_names_stay_searchable():
    site = SiteFactory(published=True, slug="mosque", name="Mosque")
    SiteNameFactory(site=site, name="مسجد قرغابازار", language="ar", script="Arab")
    SiteFactory(published=True, slug="other", name="Other")

    assert found("قرغابازار") == ["mosque"]
    assert found("مسجد") == ["mosque"]


def test_a_word_that_matches_no_name_finds_the_closest_names_ranked_by_closeness():
    SiteFactory(published=True, slug="closer", name="Gargabazar mosque")
    SiteFactory(published=True, slug="further", name="Gargabazir library")
    SiteFactory(published=True, slug="unrelated", name="Qoçəhmədli mosque")

    search = SiteSearch.parse("Gargabazarx")
    assert list(search.close) == [fold("Gargabazarx")]
    assert search.typed_close == ["Gargabazarx"]
    result = list(Site.objects.public().search("Gargabazarx"))
    assert [site.slug for site in result] == ["closer", "further"]
    assert {site.search_rank for site in result} == {CLOSE}
    assert result[0].search_closeness > result[1].search_closeness


def test_the_closest_words_are_among_the_candidates_when_many_more_share_a_trigram(
    monkeypatch,
):
    """Both databases pick at most ``CLOSE_CANDIDATES`` words before measuring them: those
    sharing most trigrams with the word for their length, on SQLite counted from its
    trigram index."""
    monkeypatch.setattr(site_search, "CLOSE_CANDIDATES", 20)
    # Sixty long words, each holding one trigram of "qarvendo" ("qar"), and the nearer
    # words written in the middle of them: neither end of the table holds them.
    far = [
        f"qar{'lmnpstuvwz'[index % 10]}{'bcdfghjklm'[index // 10]}ixuyeoz" for index in range(60)
    ]
    near = ["qarvenda", "qarvend", "arvendo", "qarvendos", "zzarvendoz", "lvendol"]
    SearchWord.objects.bulk_create(SearchWord(word=word) for word in far[:30] + near + far[30:])

    closest = site_search.read_close_words("qarvendo")

    # The four of similarity 0.4 or more (as pg_trgm measures it), the closest first.
    assert [word for word, _similarity in closest] == [
        "qarvendos",
        "qarvend",
        "qarvenda",
        "arvendo",
    ]
    assert closest == sorted(closest, key=lambda pair: -pair[1])


def test_a_word_of_fewer_than_three_letters_and_digits_gets_no_close_matches():
    SiteFactory(published=True, slug="numbered", name="Mosque No 1")
    SiteFactory(published=True, slug="short", name="Ab bazaar")

    # "-1" and "1" have the same trigrams: "1" is not a close match of it, nor "ab" of
    # "x-ab". (PostgreSQL's trigram index offers them; SQLite's offers only words holding
    # three of the characters typed in a row.)
    assert SiteSearch.parse("-1").close == {"-1": []}
    assert found("-1") == []
    assert found("x-ab") == []
    assert found("1") == ["numbered"]


def test_a_word_that_matches_a_name_gets_no_close_matches():
    SiteFactory(published=True, slug="a", name="Gargabazar mosque")
    SiteFactory(published=True, slug="b", name="Gargabazor mosque")

    assert SiteSearch.parse("gargabazar").close == {}
    assert found("gargabazar") == ["a"]


def test_ranking_puts_exact_names_first_then_prefixes_names_places_and_close_matches():
    place = PlaceFactory(name="Juma village")
    SiteFactory(published=True, slug="contains", name="Old Juma Mosque")
    SiteFactory(published=True, slug="prefix", name="Juma Mosque of Fuzuli")
    exact = SiteFactory(published=True, slug="exact", name="Haji Alakbar Mosque")
    SiteNameFactory(site=exact, name="Juma Mosque", language="en")
    SiteFactory(published=True, slug="place", name="Village mosque", place=place)

    assert ranks("juma mosque") == {
        "exact": EXACT,
        "prefix": PREFIX,
        "contains": NAME,
        "place": PLACE,
    }
    assert ranks("juma") == {"exact": PREFIX, "prefix": PREFIX, "contains": NAME, "place": PLACE}
    assert found("juma") == ["exact", "prefix", "contains", "place"]


def test_names_as_sources_report_them_need_a_source_and_count_only_once_it_is_published():
    draft = SourceFactory(publication_status="draft")
    site = SiteFactory(published=True, slug="haji", name="Haji Alakbar Mosque")
    name = SiteName(site=site, name="Juma Mosque", language="en", kind=NameKind.AS_REPORTED)

    with pytest.raises(ValidationError) as error:
        name.full_clean()
    assert "source" in error.value.message_dict
    with transaction.atomic(), pytest.raises(IntegrityError):
        name.save()

    name.source = draft
    name.save()
    assert found("Juma") == []
    assert Site.objects.public().suggestions("Juma") == []

    draft.publication_status = "published"
    draft.save()
    assert found("Juma") == ["haji"]
    assert Site.objects.public().suggestions("Juma") == ["Juma Mosque"]


def test_suggestions_are_names_of_published_sites_starting_with_the_text_first():
    site = SiteFactory(published=True, name="Gargabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi")
    SiteNameFactory(site=site, name="Old Gargabazar bridge")
    hidden = SiteFactory(publication_status="draft", name="Draft")
    SiteNameFactory(site=hidden, name="Qarğabazar karvansarası")

    assert Site.objects.public().suggestions("garg") == [
        "Qarğabazar məscidi",
        "Old Gargabazar bridge",
    ]
    assert Site.objects.public().suggestions("garg", limit=1) == ["Qarğabazar məscidi"]
    assert Site.objects.public().suggestions("   ") == []


def test_suggestions_read_a_bounded_number_of_names_and_suggest_the_shortest_of_them(
    monkeypatch,
):
    site = SiteFactory(published=True, name="Bazaar")
    for name in ["Baba Bazaar mosque", "Babak", "Bac", "Bad Bazaar", "Bay", "Bazaar house"]:
        SiteNameFactory(site=site, name=name)
    monkeypatch.setattr(site_queries, "SUGGESTION_CANDIDATES", 3)

    with CaptureQueriesContext(connection) as captured:
        # The one name starting with "baz", then those containing it.
        suggested = Site.objects.public().suggestions("baz", limit=10)
        # The shortest two of the first three names starting with "ba", in the order of
        # their search forms.
        first = Site.objects.public().suggestions("ba", limit=2)

    assert suggested == ["Bazaar house", "Bad Bazaar", "Baba Bazaar mosque"]
    # "Bay", as short as "Bac", is not among the first three.
    assert first == ["Bac", "Babak"]
    assert all(query["sql"].rstrip().endswith("LIMIT 3") for query in captured)


class StatementRunner:
    """What the backfill uses of a schema editor, inside the test's transaction (SQLite's
    schema editor refuses to run in one)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_backfills_the_search_forms_and_words_of_existing_names():
    site = SiteFactory(name="Qarğabazar karvansarası")
    variant = SiteNameFactory(site=site, name="Гаргабазар")
    place_name = PlaceNameFactory(name="Füzuli")
    Site.objects.update(folded_name="old")
    SiteName.objects.update(folded="old")
    type(place_name).objects.update(folded="old")
    SearchWord.objects.all().delete()

    migration = importlib.import_module("heritage.migrations.0010_search_forms_and_reported_names")
    migration.backfill(ProjectState().apps, StatementRunner())

    site.refresh_from_db()
    variant.refresh_from_db()
    place_name.refresh_from_db()
    assert site.folded_name == fold("Qarğabazar karvansarası")
    assert variant.folded == fold("Gargabazar")
    assert place_name.folded == fold("Fuzuli")
    assert SearchWord.objects.filter(word=fold("karvansarası")).exists()
    # The indexes follow the new forms: the search finds the site by them.
    site.publication_status = "published"
    site.save()
    assert found("Gargabazar") == [site.slug]


def test_a_search_starts_from_its_least_common_word_and_finds_the_same_sites(monkeypatch):
    monkeypatch.setattr(site_search, "COMMON", 3)
    for number in range(4):
        SiteFactory(published=True, slug=f"mosque-{number}", name=f"Mosque number {number}")
    SiteFactory(published=True, slug="qoch", name="Qoçəhmədli mosque")
    SiteFactory(published=True, slug="qoch-library", name="Qoçəhmədli library")

    search = SiteSearch.parse("mosque qochahmadli")
    assert search.counts == {fold("mosque"): 3, fold("qochahmadli"): 2}
    assert search.first_word() == fold("qochahmadli")
    assert found("mosque qochahmadli") == ["qoch"]
    assert found("qochahmadli mosque") == ["qoch"]
    assert found("mosque number") == [f"mosque-{number}" for number in range(4)]


def test_a_broad_search_tests_each_site_and_finds_what_the_set_of_ids_finds(monkeypatch):
    SiteFactory(published=True, slug="bazar", name="Bazar mosque")
    variant_only = SiteFactory(published=True, slug="variant", name="Old mosque")
    SiteNameFactory(site=variant_only, name="Köhnə baba məscidi")
    SiteFactory(published=True, slug="other", name="Gochahmadli mosque")
    hidden = SiteFactory(published=True, slug="hidden", name="Library")
    SiteNameFactory(
        site=hidden,
        name="Ba library",
        kind=NameKind.AS_REPORTED,
        source=SourceFactory(publication_status="draft"),
    )

    assert not SiteSearch.parse("ba").broad
    by_ids = found("ba")
    monkeypatch.setattr(site_search, "COMMON", 1)
    search = SiteSearch.parse("ba")
    assert search.broad
    assert found("ba") == by_ids == ["bazar", "variant"]
    assert ranks("ba") == {"bazar": PREFIX, "variant": NAME}


def test_a_misspelt_common_word_lists_the_sites_of_its_close_words_in_the_listing_order(
    monkeypatch,
):
    """Close words in ``COMMON`` names or more make a broad search: the same sites as the
    ranked search, found site by site in the queryset's order (by name here), not by
    closeness; and the map's every-site reading finds them too."""
    SiteFactory(published=True, slug="z-closer", name="Zgargabazar mosque")
    SiteFactory(published=True, slug="g-further", name="Gargabazir library")
    SiteFactory(published=True, slug="m-closer", name="Mgargabazar school")
    hidden = SiteFactory(published=True, slug="hidden", name="Library")
    SiteNameFactory(
        site=hidden,
        name="Gargabazar library",
        kind=NameKind.AS_REPORTED,
        source=SourceFactory(publication_status="draft"),
    )
    SiteFactory(published=True, slug="unrelated", name="Qoçəhmədli mosque")

    ranked = SiteSearch.parse("gargabazarx")
    assert not ranked.common_close
    assert not ranked.broad
    assert found("gargabazarx") == ["m-closer", "z-closer", "g-further"]

    monkeypatch.setattr(site_search, "COMMON", 2)
    common = SiteSearch.parse("gargabazarx")
    assert common.common_close
    assert common.broad
    assert not common.ranked
    assert common.typed_close == ["gargabazarx"]
    assert found("gargabazarx") == ["g-further", "m-closer", "z-closer"]
    every = common.apply(Site.objects.public(), every_site=True)
    assert sorted(every.values_list("slug", flat=True)) == ["g-further", "m-closer", "z-closer"]


def test_the_sites_of_few_close_words_are_read_once_for_the_count_and_the_page():
    SiteFactory(published=True, slug="closer", name="Gargabazar mosque")
    SiteFactory(published=True, slug="further", name="Gargabazir library")

    search = SiteSearch.parse("gargabazarx")
    sites = search.apply(Site.objects.public())
    assert list(search.close_ids) == [fold("gargabazarx")]
    with CaptureQueriesContext(connection) as captured:
        assert sites.count() == 2
        assert sorted(sites.values_list("slug", flat=True)) == ["closer", "further"]
    # Tested again only in the closeness of each site found, not to find them.
    for query in captured.captured_queries:
        assert "UNION" not in query["sql"]


def test_suggestions_for_two_letters_are_names_starting_with_them():
    site = SiteFactory(published=True, name="Bazar Mosque")
    SiteNameFactory(site=site, name="Bazar məscidi")
    SiteNameFactory(site=site, name="Qarğabazar məscidi")

    assert Site.objects.public().suggestions("Ba") == ["Bazar məscidi"]
    assert Site.objects.public().suggestions("baz") == ["Bazar məscidi", "Qarğabazar məscidi"]
