"""``/sites/`` counts the sites of a category, a condition and an area from the maintained
counts of sites, never from the sites themselves, and gives the same numbers."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heritage.models import Place, Site
from tests.factories import AssessmentFactory, PlaceFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    """Two districts with villages; sites of two categories, some assessed Destroyed or
    Good, one assessed without a condition, one never assessed, and a draft."""
    districts = [PlaceFactory(slug=f"district-{n}", kind=Place.Kind.DISTRICT) for n in range(2)]
    villages = [PlaceFactory(slug=f"village-{n}", parent=districts[n % 2]) for n in range(4)]
    conditions = ["Destroyed", "Good", "Destroyed", None, "Good", "Destroyed"]
    for index, (village, category) in enumerate(
        itertools.product(villages, ["mosque", "cemetery"])
    ):
        site = SiteFactory(published=True, place=village, category=category)
        condition = conditions[index % len(conditions)]
        if index % 5 == 4:
            continue
        if condition is None:
            AssessmentFactory(site=site, published=True, overall_condition=None)
        else:
            AssessmentFactory(site=site, published=True, condition=condition)
    SiteFactory(place=villages[0], category="mosque")  # a draft
    return {"districts": districts, "villages": villages}


FILTERS = [
    {},
    {"category": "mosque"},
    {"condition": "Destroyed"},
    {"area": "district-0"},
    {"area": "village-3", "category": "cemetery"},
    {"area": "district-1", "condition": "Good", "category": "mosque"},
    {"area_name": "village-2", "condition": "Destroyed"},
    {"condition": "Good", "sort": "name"},
]


def counted_from_sites(filters):
    sites = Site.objects.public()
    if "category" in filters:
        sites = sites.filter(category=filters["category"])
    if "condition" in filters:
        sites = sites.filter(status__condition__label=filters["condition"])
    area = filters.get("area") or filters.get("area_name")
    if area:
        place = Place.objects.get(slug=area)
        sites = sites.filter(place__in=[place, *place.children.all()])
    return sites.count()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda filters: "&".join(filters) or "none")
def test_the_count_comes_from_the_maintained_counts_and_matches_the_sites(
    client, register, filters
):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("site-list"), filters)

    assert response.status_code == 200
    assert response.context["result_count"] == counted_from_sites(filters)
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert counts == []
    assert any("inspections_sitecount" in query["sql"] for query in captured)


def test_a_filter_the_counts_do_not_key_counts_the_sites(client, register):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("site-list"), {"verification": "reported"})

    assert response.status_code == 200
    # (The area select reads which districts have counts; no count is summed from them.)
    assert not any('SUM("inspections_sitecount"' in query["sql"] for query in captured)
    assert any("COUNT(" in query["sql"].upper() for query in captured)
