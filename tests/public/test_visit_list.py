"""``/visits/``: the listing of published visits, what each row shows, its pages, and its
queries and cached options."""

import datetime

import pytest
from django.urls import reverse

from heritage.base import DatePrecision
from heritage.models import Place
from inspections.models import Visit
from tests.factories import OrganisationFactory, PlaceFactory, VisitFactory
from tests.public.pages import assert_shows, options_of, select_of, visit_titles

pytestmark = pytest.mark.django_db

LIST_URL = reverse("visit-list")


def test_visit_list_shows_published_visits_and_hides_drafts_and_rejected(client):
    VisitFactory(published=True, title="Published mission")
    VisitFactory(title="Draft mission")
    VisitFactory(title="Rejected mission", publication_status="rejected")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert visit_titles(response) == ["Published mission"]
    assert "Draft mission" not in response.text
    assert "Rejected mission" not in response.text


def test_visit_list_row_links_to_visit_and_shows_kind_status_organisations_and_places(client):
    visit = VisitFactory(
        published=True,
        title="Mission to Qarğabazar",
        kind=Visit.Kind.FIELD_INSPECTION,
        status=Visit.Status.CANCELLED,
    )
    visit.organisations.add(OrganisationFactory(name="Heritage Watch"))
    visit.places.add(PlaceFactory(name="Qarğabazar"))

    response = client.get(LIST_URL)

    assert_shows(
        response.text,
        shown=[
            f'<a href="{visit.get_absolute_url()}">Mission to Qarğabazar</a>',
            "Field inspection",
            "Cancelled",
            "Heritage Watch",
            "Qarğabazar",
        ],
    )


def test_visit_list_shows_a_month_precision_visit_as_its_month_only(client):
    VisitFactory(
        published=True,
        title="Announced mission",
        start_date=datetime.date(2021, 2, 1),
        date_precision=DatePrecision.MONTH,
    )

    response = client.get(LIST_URL)

    assert '<time datetime="2021-02">February 2021</time>' in response.text
    assert "Feb. 1, 2021" not in response.text


def test_visit_list_shows_a_day_precision_visit_as_its_day(client):
    VisitFactory(
        published=True, start_date=datetime.date(2021, 1, 12), end_date=datetime.date(2021, 1, 14)
    )

    response = client.get(LIST_URL)

    assert '<time datetime="2021-01-12">12 January 2021</time>' in response.text
    assert '<time datetime="2021-01-14">14 January 2021</time>' in response.text


def test_visit_list_counts_the_results(client):
    for _ in range(3):
        VisitFactory(published=True)

    response = client.get(LIST_URL)

    assert "3 visits found." in response.text


def test_visit_list_form_labels_every_filter(client):
    response = client.get(LIST_URL)

    for name in ("organisation", "year", "status", "place"):
        assert f'<label for="id_{name}">' in response.text
        assert f'name="{name}"' in response.text
    assert 'method="get"' in response.text


def test_visit_list_accepts_last_as_page(client):
    for day in range(1, 28):
        VisitFactory(
            published=True, title=f"Visit {day:02d}", start_date=datetime.date(2024, 1, day)
        )

    response = client.get(LIST_URL, {"page": "last"})

    assert response.status_code == 200
    assert visit_titles(response) == ["Visit 02", "Visit 01"]


def test_visit_list_paginates_and_keeps_the_filters_in_page_links(client):
    for day in range(1, 28):
        VisitFactory(
            published=True, status=Visit.Status.PLANNED, start_date=datetime.date(2024, 1, day)
        )
    VisitFactory(published=True, status=Visit.Status.COMPLETED)

    first = client.get(LIST_URL, {"status": "planned"})
    second = client.get(LIST_URL, {"status": "planned", "page": "2"})

    assert len(first.context["visits"]) == 25
    assert "27 visits found." in first.text
    assert 'href="?status=planned&amp;page=2"' in first.text
    assert second.status_code == 200
    assert len(second.context["visits"]) == 2
    assert 'href="?status=planned&amp;page=1"' in second.text


def make_listed_visit():
    visit = VisitFactory(published=True)
    visit.organisations.add(OrganisationFactory(), OrganisationFactory())
    visit.places.add(PlaceFactory(), PlaceFactory())
    return visit


# count, page of visits, organisations, places, the two choice lists of the form, and the
# place tree that orders the place choices (cached until a place changes)
LIST_QUERIES = 7


@pytest.mark.parametrize("visits", [1, 5])
def test_visit_list_query_count_does_not_grow_with_visits(
    client, django_assert_num_queries, visits
):
    for _ in range(visits):
        make_listed_visit()

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)

    assert len(response.context["visits"]) == visits


@pytest.mark.parametrize("visits", [1, 5])
def test_visit_list_filtered_query_count_does_not_grow_with_visits(
    client, django_assert_num_queries, visits
):
    district = PlaceFactory(slug="district", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(parent=district, kind=Place.Kind.VILLAGE)
    organisation = OrganisationFactory(slug="org")
    for _ in range(visits):
        visit = make_listed_visit()
        visit.places.add(village)
        visit.organisations.add(organisation)

    # + organisation and place looked up by slug; the places below the district come from
    # the place tree, which the listing reads anyway
    with django_assert_num_queries(LIST_QUERIES + 2):
        response = client.get(
            LIST_URL, {"organisation": "org", "place": "district", "year": "2024"}
        )

    assert len(response.context["visits"]) == visits


@pytest.mark.parametrize(
    ("typed", "lookups"),
    [
        # the place by slug
        ("east-village", 1),
        # no place by that slug, then the place by name or name variant
        ("East Village", 2),
    ],
)
def test_visit_list_filtered_by_a_typed_place_pins_its_queries(
    client, django_assert_num_queries, typed, lookups
):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(
        slug="east-village", name="East Village", parent=district, kind=Place.Kind.VILLAGE
    )
    make_listed_visit().places.add(village)

    # + looking the place up (the places below it come from the place tree, read anyway)
    with django_assert_num_queries(LIST_QUERIES + lookups):
        response = client.get(LIST_URL, {"place_name": typed})

    assert len(response.context["visits"]) == 1


def test_visit_list_reads_its_options_once_until_the_register_changes(
    client, django_assert_num_queries
):
    make_listed_visit()
    client.get(LIST_URL)

    # count, page of visits, organisations, places: the form's options come from the cache
    with django_assert_num_queries(LIST_QUERIES - 3):
        client.get(LIST_URL)


def test_visit_list_cached_place_options_follow_publishing_and_deleting(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    village = PlaceFactory(slug="east-village", name="East Village", parent=district)
    visit = VisitFactory(title="Draft mission")
    visit.places.add(village)
    assert "East District" not in options_of(client, LIST_URL, "place")

    visit.publication_status = "published"
    visit.save()
    places = options_of(client, LIST_URL, "place")
    # The village's district is offered; the village itself is typed (``place_name``).
    assert ">East District<" in places
    assert "East Village" not in places

    visit.delete()
    assert "East District" not in options_of(client, LIST_URL, "place")


def test_visit_list_cached_organisation_options_follow_adding_renaming_and_deleting(client):
    assert "Heritage Watch" not in options_of(client, LIST_URL, "organisation")

    body = OrganisationFactory(slug="watch", name="Heritage Watch")
    assert '<option value="watch">Heritage Watch</option>' in options_of(
        client, LIST_URL, "organisation"
    )

    body.name = "Heritage Watch International"
    body.save()
    assert ">Heritage Watch International<" in options_of(client, LIST_URL, "organisation")

    body.delete()
    assert "Heritage Watch" not in options_of(client, LIST_URL, "organisation")


def test_visit_list_keeps_the_chosen_organisation_and_place_selected(client):
    district = PlaceFactory(slug="east", name="East District", kind=Place.Kind.DISTRICT)
    VisitFactory(published=True).places.add(district)
    OrganisationFactory(slug="watch", name="Heritage Watch")

    response = client.get(LIST_URL, {"organisation": "watch", "place": "east"})

    assert '<option value="watch" selected>' in select_of(response.text, "organisation")
    assert '<option value="east" selected>' in select_of(response.text, "place")
