"""Searching the admin: names are found in any of their variants, whatever the case and the
diacritics typed; the site form edits the variants inline."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from heritage.models import Site
from inspections.models import Assessment
from tests.admin_forms import admin_url
from tests.factories import AssessmentFactory, PlaceFactory, SiteFactory, SiteNameFactory

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
