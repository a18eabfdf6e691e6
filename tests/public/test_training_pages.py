"""``/training/`` and ``/training/<slug>/``: published training courses, filtered, each with
its organisers, source and the projects and commitments it serves, in a fixed number of
queries."""

import datetime

import pytest
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains

from heritage.base import PublicationStatus
from tests.factories import OrganisationFactory, PlaceFactory, SourceFactory
from tests.recovery_factories import (
    CommitmentFactory,
    RestorationProjectFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED]


def titles(client, **params):
    response = client.get("/training/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return {
        title
        for title in ("Stone masonry", "Documentation", "Mapping")
        if f">{title}</bdi>" in html or f">{title}</a>" in html
    }


@pytest.fixture
def courses():
    icesco = OrganisationFactory(slug="icesco")
    ministry = OrganisationFactory(slug="ministry")
    district = PlaceFactory(slug="fuzuli-district")
    village = PlaceFactory(slug="qargabazar", parent=district)
    masonry = TrainingCourseFactory(
        published=True, title="Stone masonry", start_date=datetime.date(2022, 5, 1), place=village
    )
    masonry.organisers.add(icesco)
    documentation = TrainingCourseFactory(
        published=True,
        title="Documentation",
        kind="workshop",
        start_date=datetime.date(2023, 3, 1),
    )
    documentation.organisers.add(icesco, ministry)
    mapping = TrainingCourseFactory(
        published=True, title="Mapping", start_date=datetime.date(2023, 9, 1)
    )
    mapping.organisers.add(ministry)
    return masonry, documentation, mapping


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Stone masonry", "Documentation", "Mapping"}),
        ({"organisation": "icesco"}, {"Stone masonry", "Documentation"}),
        ({"year": "2023"}, {"Documentation", "Mapping"}),
        ({"area": "fuzuli-district"}, {"Stone masonry"}),
        ({"kind": "workshop"}, {"Documentation"}),
        ({"organisation": "ministry", "year": "2023", "kind": "course"}, {"Mapping"}),
    ],
)
def test_the_list_filters_courses(client, courses, params, expected):
    assert titles(client, **params) == expected


def test_a_course_organised_by_two_filtered_organisations_is_listed_once(client, courses):
    response = client.get("/training/", {"organisation": "icesco"})
    assertContains(response, "2 courses found.")


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("organisation", "nobody"),
        ("year", "twenty"),
        ("year", "0"),
        ("area", "atlantis"),
        ("kind", "lecture"),
        ("page", "9"),
    ],
)
def test_a_bad_parameter_is_answered_400_naming_it(client, courses, parameter, value):
    response = client.get("/training/", {parameter: value})
    assert response.status_code == 400
    assertNotContains(response, "Stone masonry", status_code=400)


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_course_is_never_shown(client, status):
    course = TrainingCourseFactory(title="Hidden course", publication_status=status)
    assertNotContains(client.get("/training/"), "Hidden course")
    assert client.get(course.get_absolute_url()).status_code == 404


def test_a_course_whose_source_was_withdrawn_is_not_shown(client):
    course = TrainingCourseFactory(
        published=True, title="Unsourced course", source=SourceFactory(publication_status="draft")
    )
    assertNotContains(client.get("/training/"), "Unsourced course")
    assert client.get(course.get_absolute_url()).status_code == 404


def test_the_page_cites_its_source_and_links_what_it_serves(client):
    source = SourceFactory(published=True, publisher="AzerNews", title="Training announced")
    course = TrainingCourseFactory(published=True, title="Masonry <b>", source=source)
    project = RestorationProjectFactory(published=True, title="Caravanserai works")
    hidden = RestorationProjectFactory(title="Draft works")
    course.projects.add(project, hidden)
    commitment = CommitmentFactory(published=True, title="Courses will be organised")
    commitment.courses.add(course)

    response = client.get(course.get_absolute_url())

    assertContains(response, "Masonry &lt;b&gt;")
    assertContains(response, "Training announced")
    assertContains(response, f'href="{project.get_absolute_url()}"')
    assertContains(response, f'href="{commitment.get_absolute_url()}"')
    assertNotContains(response, "Draft works")


def test_the_commitment_and_project_pages_link_to_the_course(client):
    course = TrainingCourseFactory(published=True)
    project = RestorationProjectFactory(published=True)
    course.projects.add(project)
    commitment = CommitmentFactory(published=True)
    commitment.courses.add(course)
    link = f'href="{course.get_absolute_url()}"'
    assertContains(client.get(project.get_absolute_url()), link)
    assertContains(client.get(commitment.get_absolute_url()), link)
    assertContains(client.get("/training/"), link)


# list: count, page (with place and source), organisers
LIST_QUERIES = 3
# page: course (with place and source), organisers, projects (with sites), commitments
PAGE_QUERIES = 4


@pytest.mark.parametrize("size", [1, 4])
def test_query_counts_do_not_grow(client, django_assert_num_queries, size):
    cache.clear()
    for _ in range(size):
        course = TrainingCourseFactory(published=True, place=PlaceFactory())
        course.organisers.add(OrganisationFactory(), OrganisationFactory())
        course.projects.add(RestorationProjectFactory(published=True))
        CommitmentFactory(published=True).courses.add(course)
    client.get("/training/")  # fill the cached choices of the filters

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/training/")
    assert response.content.decode().count('class="course"') == size
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(course.get_absolute_url()).status_code == 200
