"""Places are named in the visitor's language on every public page that shows them."""

import pytest

from heritage.models import NameKind
from tests.factories import PlaceFactory, PlaceNameFactory, SiteFactory, VisitFactory
from tests.languages import in_language
from tests.public.pages import without_isolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuzuli():
    district = PlaceFactory(slug="fuzuli-district", name="Fuzuli District", kind="district")
    PlaceNameFactory(place=district, language="az", name="Füzuli rayonu")
    village = PlaceFactory(slug="gargabazar", name="Gargabazar", parent=district, kind="village")
    PlaceNameFactory(place=village, language="az", name="Qarğabazar")
    PlaceNameFactory(place=village, language="az", name="Karkabazar", kind=NameKind.HISTORICAL)
    PlaceNameFactory(place=village, language="ru", name="Гаргабазар")
    return village


def get(client, url, language):
    return client.get(in_language(url, language)).content.decode()


def test_dossier_names_the_place_and_its_district_in_the_visitors_language(client, fuzuli):
    site = SiteFactory(published=True, place=fuzuli)

    azerbaijani = get(client, site.get_absolute_url(), "az")
    english = get(client, site.get_absolute_url(), "en")

    assert "Qarğabazar</a>, <a" in without_isolation(azerbaijani)
    assert "Füzuli rayonu</a>" in without_isolation(azerbaijani)
    assert "Gargabazar</a>, <a" in without_isolation(english)
    assert "Fuzuli District</a>" in without_isolation(english)
    assert "Karkabazar" not in azerbaijani  # a historical name does not stand for the place


def test_a_place_without_a_name_in_the_language_keeps_its_own(client, fuzuli):
    site = SiteFactory(published=True, place=fuzuli)

    arabic = get(client, site.get_absolute_url(), "ar")

    assert "Gargabazar</a>, <a" in without_isolation(arabic)
    assert "Fuzuli District</a>" in without_isolation(arabic)


def test_listing_rows_and_area_options_use_the_visitors_language(client, fuzuli):
    SiteFactory(published=True, place=fuzuli)

    azerbaijani = get(client, "/sites/", "az")

    assert "<bdi>Qarğabazar</bdi></a></td>" in azerbaijani
    assert '<option value="fuzuli-district">Füzuli rayonu</option>' in azerbaijani
    assert '<option value="fuzuli-district">Fuzuli District</option>' in get(
        client, "/sites/", "en"
    )


def test_visit_pages_name_their_places_in_the_visitors_language(client, fuzuli):
    visit = VisitFactory(published=True)
    visit.places.add(fuzuli)

    assert "Qarğabazar" in get(client, visit.get_absolute_url(), "az")
    assert "Qarğabazar" in get(client, "/visits/", "az")
    assert "Gargabazar" in get(client, visit.get_absolute_url(), "en")


def test_a_new_place_name_shows_at_once(client):
    village = PlaceFactory(slug="gochahmadli", name="Gochahmadli", kind="village")
    SiteFactory(published=True, place=village)
    assert "<bdi>Gochahmadli</bdi></a></td>" in get(client, "/sites/", "az")

    PlaceNameFactory(place=village, language="az", name="Qoçəhmədli")

    assert "<bdi>Qoçəhmədli</bdi></a></td>" in get(client, "/sites/", "az")
