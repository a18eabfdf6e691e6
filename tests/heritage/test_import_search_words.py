"""An import writes its sites and name variants with bulk queries, which send no
``post_save``: the words of their names must still reach the close-match search."""

import pytest
from django.urls import reverse

from heritage.models import SearchWord, Site
from heritage.models.site_search import close_words
from heritage.text import fold
from tests.factories import PlaceFactory, SiteFactory
from tests.heritage.imports import confirm, csv_upload, preview

pytestmark = pytest.mark.django_db


def test_imported_names_and_variants_are_search_words(admin_client):
    PlaceFactory(slug="fuzuli")
    upload = csv_upload(
        "slug,name,category,place,names\n"
        "xanbulaq-caravanserai,Xanbulaq Caravanserai,caravanserai,fuzuli,"
        "ru/Cyrl:Ханбулагский караван-сарай\n"
    )

    confirm(admin_client, Site, preview(admin_client, Site, upload))

    assert Site.objects.filter(slug="xanbulaq-caravanserai").exists()
    words = set(SearchWord.objects.values_list("word", flat=True))
    # The words of the site's name and of its variant, in their search forms.
    expected = {"hanbulag", "caravansarai", "hanbulagsgiy", "garavan-saray"}
    assert expected == set(fold("Xanbulaq Caravanserai Ханбулагский караван-сарай").split())
    assert expected <= words
    assert "hanbulag" in [word for word, _similarity in close_words(fold("Xanbolaq"))]


def test_a_site_found_only_by_a_close_match_after_its_import(admin_client, client):
    PlaceFactory(slug="fuzuli")
    upload = csv_upload(
        "slug,name,category,place\nxanbulaq-caravanserai,Xanbulaq Caravanserai,mosque,fuzuli\n"
    )
    confirm(admin_client, Site, preview(admin_client, Site, upload))
    Site.objects.filter(slug="xanbulaq-caravanserai").update(publication_status="published")

    html = client.get(reverse("site-list"), {"q": "Xanbolaq"}).content.decode()

    assert "Xanbulaq Caravanserai" in html


def test_close_matches_are_kept_until_a_word_is_added(django_assert_num_queries):
    place = PlaceFactory(slug="fuzuli")
    site = SiteFactory(name="Xanbulaq Caravanserai", place=place)
    assert close_words(fold("Xanbolaq")) == [("hanbulag", 0.5)]

    # Read again, and after an edit that adds no word: from the cache.
    with django_assert_num_queries(0):
        assert close_words(fold("Xanbolaq")) == [("hanbulag", 0.5)]
    site.registry_number = "AZ-1"
    site.save()
    with django_assert_num_queries(0):
        assert close_words(fold("Xanbolaq")) == [("hanbulag", 0.5)]

    # A name with a new word: read again, and the new word is among the close matches.
    SiteFactory(name="Xanbolaqi Bridge", place=place)
    matches = dict(close_words(fold("Xanbolaq")))
    assert set(matches) == {"hanbulag", "hanbolagi"}
