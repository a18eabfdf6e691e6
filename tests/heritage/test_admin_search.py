"""Searching the admin: names are found in any of their variants, whatever the case and the
diacritics typed; the site form edits the variants inline."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from heritage.admin import search
from heritage.models import Site
from inspections.models import Assessment
from tests.admin_forms import admin_url
from tests.factories import (
    AssessmentFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["Qarğabazar", "qargabazar", "QARGABAZAR MASCIDI", "mosque qarğabazar"]
)
def test_site_search_ignores_case_and_diacritics_in_every_name_variant(admin_client, query):
    place = PlaceFactory()
    mosque = SiteFactory(name="Gargabazar Mosque", place=place)
    SiteNameFactory(site=mosque, name="Qarğabazar məscidi")
    SiteNameFactory(site=mosque, name="Qarğabazar")
    SiteFactory(name="Juma Mosque", place=place)

    response = admin_client.get(admin_url(Site, "changelist"), {"q": query})

    assertContains(response, "Gargabazar Mosque")
    assertNotContains(response, "Juma Mosque")
    # Two matching name variants still list the site once.
    assertContains(response, "1 result")


def test_search_of_records_about_a_site_matches_its_name_variants(admin_client):
    mosque = SiteFactory(name="Gargabazar Mosque")
    SiteNameFactory(site=mosque, name="Qarğabazar məscidi")
    found = AssessmentFactory(site=mosque)
    other = AssessmentFactory()

    response = admin_client.get(admin_url(Assessment, "changelist"), {"q": "qargabazar"})

    assertContains(response, admin_url(Assessment, "change", found.pk))
    assertNotContains(response, admin_url(Assessment, "change", other.pk))


def test_site_autocomplete_matches_name_variants_without_diacritics(admin_client):
    mosque = SiteFactory(name="Gochahmadli Mosque")
    SiteNameFactory(site=mosque, name="Qoçəhmədli məscidi")
    SiteFactory(name="Juma Mosque")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "qocahmadli",
            "app_label": "inspections",
            "model_name": "assessment",
            "field_name": "site",
        },
    )

    assert [row["text"] for row in response.json()["results"]] == ["Gochahmadli Mosque"]


def test_site_change_page_shows_name_variants_inline(admin_client):
    site = SiteFactory(name="Qarghabazar Mosque")
    SiteNameFactory(site=site, name="Qarğabazar məscidi")
    SiteNameFactory(site=site, name="Гаргабазар", language="ru", script="Cyrl")

    response = admin_client.get(admin_url(Site, "change", site.pk))

    assertContains(
        response,
        '<input type="hidden" name="names-TOTAL_FORMS" value="2" id="id_names-TOTAL_FORMS">',
        html=True,
    )
    assertContains(response, 'value="Qarğabazar məscidi"')
    assertContains(response, 'value="Гаргабазар"')
    for prefix in ("claims", "citations"):
        assertContains(response, f'name="{prefix}-TOTAL_FORMS"')


def test_site_can_be_added_with_a_name_variant(admin_client):
    place = PlaceFactory()
    empty_inline = {"INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    data = {
        "slug": "qarghabazar-mosque",
        "name": "Qarghabazar Mosque",
        "category": Site.Category.MOSQUE,
        "place": place.pk,
        "location_precision": Site.Precision.SETTLEMENT,
        "publication_status": "draft",
        "names-TOTAL_FORMS": "1",
        "names-0-name": "Qarğabazar məscidi",
        "names-0-language": "az",
        "names-0-script": "Latn",
        "names-0-kind": "official",
        "claims-TOTAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": "0",
        "text_language": "en",
    }
    for prefix in ("names", "claims", "citations", "translations", "identifiers"):
        data.update({f"{prefix}-{key}": value for key, value in empty_inline.items()})

    response = admin_client.post(admin_url(Site, "add"), data)

    assertRedirects(response, admin_url(Site, "changelist"))
    site = Site.objects.get(slug="qarghabazar-mosque")
    assert list(site.names.values_list("name", "language")) == [("Qarğabazar məscidi", "az")]


def test_assessment_search_finds_each_field_once_and_reads_no_names_join(admin_client):
    """A word of the assessments' search is one set of ids: found by the assessment's own
    fields, its visit's title or any name of its site (folded), each assessment listed once,
    without ``DISTINCT`` over every column and without the site's names joined to the
    assessments (which, tested row by row, took 22-27 s at 500,000 sites)."""
    mosque = SiteFactory(name="Gargabazar Mosque")
    SiteNameFactory(site=mosque, name="Qarğabazar məscidi")
    SiteNameFactory(site=mosque, name="Qarğabazar camii")
    by_name = AssessmentFactory(site=mosque, summary="Roof intact.")
    by_summary = AssessmentFactory(summary="The minaret of Qargabazar fell.")
    by_visit = AssessmentFactory(visit=VisitFactory(title="Qargabazar delegation"))
    by_slug = AssessmentFactory(slug="qargabazar-2024")
    other = AssessmentFactory(summary="Nothing to see.")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Assessment, "changelist"), {"q": "QARGABAZAR"})

    listed = [row.pk for row in response.context["cl"].result_list]
    assert sorted(listed) == sorted([by_name.pk, by_summary.pk, by_visit.pk, by_slug.pk])
    assert other.pk not in listed
    assertContains(response, "4 results")
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "inspections_assessment"' in query["sql"]
    ]
    assert any(" UNION " in sql for sql in reads), "each word is one set of ids"
    for sql in reads:
        assert not sql.startswith('SELECT DISTINCT "inspections_assessment"."id"')
        assert 'JOIN "heritage_sitename"' not in sql


def test_words_that_find_many_rows_are_searched_among_the_few_another_found(
    admin_client, monkeypatch
):
    monkeypatch.setattr(search, "READ_ONCE", 2)
    mosque = SiteFactory(name="Gargabazar Mosque")
    found = AssessmentFactory(site=mosque, summary="The roof is ruined.")
    AssessmentFactory(site=mosque, summary="Intact.")
    ruined = [AssessmentFactory(summary=f"Ruined wall {number}.") for number in range(4)]
    url = admin_url(Assessment, "changelist")

    # "ruined" finds five, more than are read once: it is searched in the list's queries.
    many = admin_client.get(url, {"q": "ruined"})
    assert {row.pk for row in many.context["cl"].result_list} == {
        found.pk,
        *(row.pk for row in ruined),
    }
    # With a word that finds two, it is read among those two only.
    with CaptureQueriesContext(connection) as queries:
        both = admin_client.get(url, {"q": "ruined gargabazar"})
    assert [row.pk for row in both.context["cl"].result_list] == [found.pk]
    assertContains(both, "1 result")
    # Not the counts of the names holding each word (``names_holding``), one query a word.
    narrowed = [
        sql
        for sql in (query["sql"] for query in queries)
        if "UNION ALL" in sql and not sql.startswith("SELECT count(*) FROM (SELECT 1 FROM")
    ]
    assert len(narrowed) == 3  # each word read once, then "ruined" among two ids
    assert f'"inspections_assessment"."id" IN ({found.pk}, ' in narrowed[-1]


def test_a_search_of_empty_quotes_lists_every_row_without_removing_repeats(admin_client):
    assessments = [AssessmentFactory() for _number in range(2)]
    SiteNameFactory(site=assessments[0].site, name="Qarğabazar")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Assessment, "changelist"), {"q": "'' \"\""})

    assert {row.pk for row in response.context["cl"].result_list} == {row.pk for row in assessments}
    assert not any(
        query["sql"].startswith('SELECT DISTINCT "inspections_assessment"."id"')
        for query in queries.captured_queries
    )


def test_a_word_that_folds_to_several_reads_the_other_fields_once(admin_client):
    """A quoted phrase folds to several words, each of which a name must hold, unless another
    field holds the phrase as typed: those fields are read once, not once a folded word."""
    mosque = SiteFactory(name="Gargabazar Mosque")
    by_name = AssessmentFactory(site=mosque)
    by_summary = AssessmentFactory(summary="Seen from the Qarğabazar Mosque road.")
    AssessmentFactory(site=SiteFactory(name="Gargabazar Library"))

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(
            admin_url(Assessment, "changelist"), {"q": '"Qarğabazar Mosque"'}
        )

    assert {row.pk for row in response.context["cl"].result_list} == {by_name.pk, by_summary.pk}
    # The phrase as typed is looked for in the summaries (and slugs, visits' titles) once.
    typed = [
        query for query in queries.captured_queries if "qarğabazar mosque%" in query["sql"].lower()
    ]
    assert len(typed) == 1


def test_a_word_restricts_nothing_in_an_admin_without_search_fields():
    class Unsearched(search.FoldedSearchMixin, admin.ModelAdmin):
        search_fields = ()

    rows = [AssessmentFactory() for _number in range(2)]
    found, duplicates = Unsearched(Assessment, admin.site).get_search_results(
        None, Assessment.objects.all(), "anything"
    )

    assert set(found) == set(rows)
    assert not duplicates
