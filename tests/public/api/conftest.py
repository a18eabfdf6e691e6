"""Fixtures of the API's tests: a rate that the suite's requests never reach, and a
register whose restricted records sit beside its public ones."""

import pytest

from heritage.models import LocationPrecision, Site
from tests.public.restricted import add_staff_identities, add_unpublished_records


@pytest.fixture(autouse=True)
def _generous_throttle(settings):
    """The suite makes many requests from one address; the throttle's own test lowers it."""
    settings.API_THROTTLE_RATE = "100000/minute"


@pytest.fixture
def restricted(full_register):
    """The full register with its staff named, unpublished records (of every status short of
    published) linked to its public ones, and its site's own position withheld."""
    site = full_register["site"]
    add_staff_identities()
    add_unpublished_records(site, full_register["visit"])
    Site.objects.filter(pk=site.pk).update(location_precision=LocationPrecision.WITHHELD)
    return full_register
