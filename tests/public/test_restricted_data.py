"""Restricted data never reaches the public: records short of published, the staff who
entered or reviewed a record and their notes, and a withheld site's own position."""

import pytest

from heritage.base import PublicationStatus
from heritage.models import LocationPrecision, Site, Source
from inspections.models import Assessment, Visit
from tests.public.pages import fetch
from tests.public.restricted import (
    SECRET,
    WITHHELD,
    add_staff_identities,
    add_unpublished_records,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(full_register):
    """The full register with its staff named, unpublished records linked to its public
    ones, and its site's own position withheld."""
    site = full_register["site"]
    add_staff_identities()
    add_unpublished_records(site, full_register["visit"])
    Site.objects.filter(pk=site.pk).update(location_precision=LocationPrecision.WITHHELD)
    return full_register


@pytest.mark.usefixtures("restricted")
@pytest.mark.parametrize("language", ["en", "az", "ar"])
def test_drafts_withheld_coordinates_and_staff_identities_never_reach_the_public(
    client, public_urls, language
):
    urls = [*public_urls, "/sites/?q=zebrastripe", "/sites/export.csv?q=zebrastripe"]
    urls += [f"/sources/{pk}/" for pk in Source.objects.public().values_list("pk", flat=True)]
    for url in urls:
        _response, body = fetch(client, url, language)
        assert SECRET not in body, url
        for number in WITHHELD:
            assert number[:8] not in body, url


@pytest.mark.usefixtures("restricted")
def test_unpublished_records_have_no_public_page(client):
    assert Assessment.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists()
    for record in [
        *Site.objects.exclude(publication_status=PublicationStatus.PUBLISHED),
        *Visit.objects.exclude(publication_status=PublicationStatus.PUBLISHED),
    ]:
        assert client.get(record.get_absolute_url()).status_code == 404
    for source in Source.objects.exclude(publication_status=PublicationStatus.PUBLISHED):
        assert client.get(f"/sources/{source.pk}/").status_code == 404
