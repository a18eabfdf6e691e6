"""``/sites/``: the listing's queries are pinned and do not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.models import Place, Site
from public.filters.sites import Sort
from public.views.sites import CachedCountPaginator, SiteListView
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PlaceFactory,
    SiteFactory,
    SiteNameFactory,
    VisitFactory,
)
from tests.languages import in_language
from tests.public.pages import listed_slugs

pytestmark = pytest.mark.django_db

LIST_URL = reverse("site-list")
AREA_INDEX = "heritage_site_area_sort_idx"


def build_sites(count):
    icesco = OrganisationFactory(slug="icesco")
    visit = VisitFactory(published=True)
    visit.organisations.add(icesco)
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    for index in range(count):
        place = PlaceFactory(parent=district)
        site = SiteFactory(published=True, place=place, category="mosque")
        SiteNameFactory(site=site, name=f"Məscid {index}", language="az")
        SiteNameFactory(site=site, name=f"Mosque {index}", language="en")
        AssessmentFactory(
            site=site,
            published=True,
            visit=visit,
            assessed_by=icesco,
            condition="Destroyed",
        )


# count, page of sites with their place; the condition terms, read once for the rows, the
# form's condition options and the map legend; which areas hold sites (the version of the
# area options, see public.selectors.counted_areas_version), the form's area and
# organisation options, and the place tree that orders the area options (cached until a
# place changes). With an empty cache: the next request reads only the page. In another
# language than English, the sites' name variants are read with the page, and the places'
# names in that language once (``IN_OTHER_LANGUAGES``).
LISTING_QUERIES = 7
IN_OTHER_LANGUAGES = 2
# A one-word search: the places and their names, for the place-name matches (cached until
# a place changes), and how many site names hold the word, counted up to a thousand
# (none: close matches; the least common word of a search is read first).
SEARCH_QUERIES = 3
# A search's time limit (``SiteListView``, ``heritage.query_budget``): on PostgreSQL a
# savepoint of the test's transaction, its statement timeout set back, and its release.
SEARCH_LIMIT_QUERIES = 3 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize("language", ["en", "az"])
def test_listing_query_count_does_not_grow_with_the_page(
    client, django_assert_num_queries, size, language
):
    build_sites(size)

    with django_assert_num_queries(LISTING_QUERIES + IN_OTHER_LANGUAGES * (language != "en")):
        response = client.get(in_language(LIST_URL, language))

    assert len(listed_slugs(response)) == size


@pytest.mark.parametrize("size", [2, 25])
def test_filtered_listing_query_count_does_not_grow_with_the_page(
    client, django_assert_num_queries, size
):
    build_sites(size)
    params = {
        "q": "mosque",
        "category": "mosque",
        "condition": "Destroyed",
        "organisation": "icesco",
        "assessed_from": "2020-01-01",
        "verification": "reported",
        "sort": "-assessed",
    }

    # Plus one query to look up the organisation (the condition is one of the cached terms),
    # one for the sites of the matching assessments (``FEW_ASSESSED_SITES``), and the
    # search's SEARCH_QUERIES and its time limit's.
    expected = LISTING_QUERIES + 1 + 1 + SEARCH_QUERIES + SEARCH_LIMIT_QUERIES
    with django_assert_num_queries(expected):
        response = client.get(LIST_URL, params)

    assert len(listed_slugs(response)) == size


def test_the_area_listing_index_exists():
    """Made by SQL in migrations heritage 0006 and 0021, so a rebuild of the table could lose
    it."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "heritage_site")
    columns = [spec["columns"] for name, spec in indexes.items() if name == AREA_INDEX]
    # On PostgreSQL with the ids (migration heritage 0021); SQLite's holds its rowid.
    with_ids = ["id"] if connection.vendor == "postgresql" else []
    assert columns == [["place_id", "publication_status", "name", *with_ids]]


@pytest.mark.parametrize("params", [{}, {"category": "mosque", "sort": "-assessed"}])
def test_a_deep_page_read_by_its_ids_first_lists_what_one_query_lists(
    client, monkeypatch, django_assert_num_queries, params
):
    build_sites(12)
    SiteFactory(published=True, category="library", name="Library 0")
    SiteFactory(published=False, category="mosque", name="Mosque draft")
    monkeypatch.setattr(SiteListView, "paginate_by", 5)
    pages = {}
    for ids_first_from in (10_000, 5):
        monkeypatch.setattr(CachedCountPaginator, "IDS_FIRST_FROM", ids_first_from)
        pages[ids_first_from] = [
            listed_slugs(client.get(LIST_URL, {**params, "page": number})) for number in (1, 2, 3)
        ]
    assert pages[5] == pages[10_000]
    listed = [slug for page in pages[5] for slug in page]
    assert len(listed) == len(set(listed)) == 12 + (not params)

    # Page 2 starts from the fifth site: its ids, then those sites.
    client.get(LIST_URL, {**params, "page": 1})  # the counts and the form, kept
    with django_assert_num_queries(2):
        response = client.get(LIST_URL, {**params, "page": 2})
    assert listed_slugs(response) == pages[5][1]


@pytest.mark.parametrize("sort", ["name", "-name", "category", "-assessed", "assessed"])
def test_a_page_in_the_second_half_is_read_from_the_end_and_lists_what_the_order_lists(
    client, monkeypatch, sort
):
    build_sites(5)
    SiteFactory(published=True, category="library", name="Library never assessed")
    SiteFactory(published=True, category="museum", name="Alpha museum")
    AssessmentFactory(site=SiteFactory(published=True, name="Zeta"), published=True)
    monkeypatch.setattr(SiteListView, "paginate_by", 2)
    expected = list(Site.objects.public().order_by(*Sort.orderings[sort]).values_list("slug"))

    with CaptureQueriesContext(connection) as queries:
        pages = [
            listed_slugs(client.get(LIST_URL, {"sort": sort, "page": number}))
            for number in (1, 2, 3, 4)
        ]

    assert [(slug,) for page in pages for slug in page] == expected
    # The last page (the 7th and 8th of 8 sites) is the first two read from the other end:
    # no query skips the six sites before it.
    assert not [query["sql"] for query in queries if "OFFSET 6" in query["sql"]]


@pytest.mark.parametrize(
    "params", [{"area": "district"}, {"area": "district", "category": "mosque"}]
)
def test_an_area_listing_reads_each_page_by_its_ids_first(client, monkeypatch, params):
    """From the first page on: the area's sites are then read from the index of the sites by
    place (and category), not walked through by name among all the register's."""
    build_sites(7)
    SiteFactory(published=True, category="mosque", name="Mosque elsewhere")
    SiteFactory(
        published=True,
        category="library",
        name="Library in the district",
        place=Place.objects.get(slug="district"),
    )
    monkeypatch.setattr(SiteListView, "paginate_by", 3)
    in_area = Site.objects.public().filter(place__slug="district") | Site.objects.public().filter(
        place__parent__slug="district"
    )
    if "category" in params:
        in_area = in_area.filter(category=params["category"])
    expected = list(in_area.order_by("name", "id").values_list("slug", flat=True))

    with CaptureQueriesContext(connection) as queries:
        pages = [
            listed_slugs(client.get(LIST_URL, {**params, "page": number})) for number in (1, 2, 3)
        ]

    assert [slug for page in pages for slug in page] == expected
    ids_alone = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "heritage_site"."id" AS "pk" FROM "heritage_site"')
    ]
    assert len(ids_alone) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "icesco"},
        {"assessed_from": "2024-04-01", "assessed_to": "2024-06-30"},
        {"assessed_from": "2024-04-01", "area": "district"},
    ],
)
def test_a_page_filtered_by_the_assessments_reads_its_sites_by_their_ids_alone(
    client, monkeypatch, params
):
    """The page's ids first, then those sites by their ids from the published ones: the
    filters of the assessments (which may hold the ids of thousands of sites) are not worked
    out again for the page's sites."""
    build_sites(7)
    SiteFactory(published=True, category="library", name="Library never assessed")
    monkeypatch.setattr(SiteListView, "paginate_by", 3)
    expected = list(
        Site.objects.public()
        .filter(assessments__isnull=False)
        .order_by("name", "id")
        .values_list("slug", flat=True)
    )

    with CaptureQueriesContext(connection) as queries:
        pages = [
            listed_slugs(client.get(LIST_URL, {**params, "page": number})) for number in (1, 2, 3)
        ]

    assert [slug for page in pages for slug in page] == expected
    rows_read = [query["sql"] for query in queries if '"heritage_site"."version"' in query["sql"]]
    assert len(rows_read) == 3
    for sql in rows_read:
        assert "inspections_assessment" not in sql
        assert sql.count('"heritage_site"."id" IN (') == 1
