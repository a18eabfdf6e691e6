"""The exports' queries are pinned, do not grow with the rows, and read the rows in chunks."""

import pytest
from django.db import connection
from django.urls import reverse

from heritage.base import PublishableQuerySet
from public.views import exports as site_views
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
)
from tests.languages import in_language
from tests.public.pages import body

pytestmark = pytest.mark.django_db

CSV_URL = reverse("site-export-csv")
GEOJSON_URL = reverse("site-export-geojson")


def build_sites(count):
    icesco = OrganisationFactory(slug="icesco")
    for index in range(count):
        site = SiteFactory(
            published=True,
            category="mosque",
            latitude="39.539700",
            longitude="47.156400",
            location_precision="withheld" if index % 2 else "exact",
            place=PlaceFactory(latitude="39.600300", longitude="47.143100"),
        )
        SiteNameFactory(site=site, language="az")
        AssessmentFactory(site=site, published=True, assessed_by=icesco, condition="Poor")


# The condition terms, then the sites with their place, names and latest assessment; the
# CSV also reads the place tree once for its district column.
EXPORT_QUERIES = 2
QUERIES = {CSV_URL: EXPORT_QUERIES + 1, GEOJSON_URL: EXPORT_QUERIES}


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("language", ["en", "az"])
def test_export_query_count_does_not_grow_with_the_rows(
    client, django_assert_num_queries, monkeypatch, url, size, language
):
    # Small chunks, so that the larger export is read from the database in several.
    monkeypatch.setattr(site_views, "EXPORT_CHUNK_SIZE", 5)
    build_sites(size)

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(in_language(url, language))
        text = body(response)

    assert text.count("/sites/site-") == size


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_filtered_export_query_count_does_not_grow_with_the_rows(
    client, django_assert_num_queries, url
):
    build_sites(12)

    # Plus one query to look up the organisation, one for the sites of its assessments (when
    # few, see ``FEW_ASSESSED_SITES``), and three for the one-word search (the places and
    # their names, then whether any site name holds the word).
    with django_assert_num_queries(QUERIES[url] + 1 + 1 + 3):
        text = body(client.get(url, {"organisation": "icesco", "q": "site", "sort": "-assessed"}))

    assert text.count("/sites/site-") == 12


def test_exports_read_rows_in_chunks(client, monkeypatch):
    """The exports iterate over the queryset instead of loading it whole."""
    chunk_sizes = []
    original = PublishableQuerySet.iterator

    def spy(queryset, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return original(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(PublishableQuerySet, "iterator", spy)
    build_sites(3)

    for url in (CSV_URL, GEOJSON_URL):
        body(client.get(url))

    assert chunk_sizes == [site_views.EXPORT_CHUNK_SIZE] * 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("url", ["/sites/export.geojson", "/sites/export.csv"])
def test_on_postgresql_an_export_is_read_in_a_transaction_of_its_own_while_it_is_sent(
    client, monkeypatch, vocabularies, url
):
    """Outside a transaction Django holds its server-side cursor (``WITH HOLD``), and
    PostgreSQL runs the whole query and keeps its result before the first row is sent."""
    monkeypatch.setattr(site_views, "ROWS_PER_WRITE", 1)
    build_sites(3)
    response = client.get(url)
    assert not connection.in_atomic_block  # the view has returned: nothing is read yet
    during = [connection.in_atomic_block for _chunk in response.streaming_content]
    assert len(during) >= 4
    assert any(during) == (connection.vendor == "postgresql")
    assert not connection.in_atomic_block
