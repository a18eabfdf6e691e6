"""Queries per request, pinned for each list and detail: the same however many records
the register holds (a list reads a page's rows and what hangs off them in a fixed number of
queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.models import Organisation, Place, ReportedFigure, Site, Source
from inspections.models import Assessment, Evidence, Visit
from tests import factories

pytestmark = pytest.mark.django_db

#: (address, queries): every list, and a filtered and a GeoJSON one, with a warm cache.
LISTS = [
    ("/api/v1/sites/", 1),
    ("/api/v1/sites/?format=geojson", 1),
    ("/api/v1/sites/?category=mosque&condition=Destroyed", 1),
    # The search reads which words match a name exactly first (close matches otherwise);
    # then the organisation, the sites of the matching assessments and the page.
    ("/api/v1/sites/?q=site&organisation={organisation}&assessed_from=2000-01-01", 4),
    ("/api/v1/sites/?area={place}", 2),
    ("/api/v1/places/", 1),
    ("/api/v1/visits/", 3),
    ("/api/v1/visits/?year=2024", 3),
    ("/api/v1/assessments/", 5),
    ("/api/v1/sources/", 3),
    ("/api/v1/figures/", 1),
    ("/api/v1/organisations/", 1),
    ("/api/v1/vocabularies/", 9),
]

#: (model, address of a record's detail, queries).
DETAILS = [
    (Site, "/api/v1/sites/{slug}/", 6),
    (Place, "/api/v1/places/{slug}/", 2),
    (Visit, "/api/v1/visits/{slug}/", 9),
    (Assessment, "/api/v1/assessments/{slug}/", 5),
    (Source, "/api/v1/sources/{slug}/", 3),
    (ReportedFigure, "/api/v1/figures/{slug}/", 1),
    (Organisation, "/api/v1/organisations/{slug}/", 1),
]


def publish_everything():
    for model in (Site, Source, Visit, Assessment, ReportedFigure, Evidence):
        model.objects.update(publication_status="published")


@pytest.fixture
def register(make_records):
    """Makes records of every model, all published, with an archived file on the source."""

    def make(n):
        records = make_records(n)
        factories.EvidenceFactory(site=None, source=records[Source], sha256=f"{n + 100:064x}")
        publish_everything()

    for n in (1, 2):
        make(n)
    return make


def queries(client, url):
    client.get(url)  # fills the caches (condition terms, places below a place...)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"If-None-Match": "other"})
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def filled(url):
    return url.format(
        organisation=Organisation.objects.order_by("pk").first().slug,
        place=Place.objects.order_by("pk").first().slug,
    )


@pytest.mark.parametrize(("url", "expected"), LISTS)
def test_queries_of_each_list_are_pinned_and_do_not_grow(client, register, url, expected):
    assert queries(client, filled(url)) == expected
    for n in (3, 4, 5):
        register(n)
    assert queries(client, filled(url)) == expected


@pytest.mark.parametrize(("model", "url", "expected"), DETAILS)
def test_queries_of_each_detail_are_pinned(client, register, model, url, expected):
    record = model.objects.order_by("pk").last()
    assert queries(client, url.format(slug=record.slug)) == expected
