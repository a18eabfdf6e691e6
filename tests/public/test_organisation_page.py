"""An organisation's page lists the first few of each kind of record it has, says how many
there are, and links to all of them in the listing that filters by it."""

import re

import pytest
from django.urls import reverse

from public import selectors
from public.views import organisations
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    SiteFactory,
    SourceFactory,
    StatementFactory,
)
from tests.recovery_factories import (
    CommitmentFactory,
    ProjectRoleFactory,
    RestorationProjectFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(monkeypatch):
    """An organisation with three published records of each kind, on pages that list two."""
    monkeypatch.setattr(organisations, "LIST_LENGTH", 2)
    body = OrganisationFactory(slug="busy-body", name="Busy body")
    for index in range(3):
        SourceFactory(published=True, title=f"Own report {index}", publisher_organisation=body)
        StatementFactory(published=True, quote=f"Quote {index}", speaker_organisation=body)
        AssessmentFactory(
            published=True, site=SiteFactory(published=True, name=f"Site {index}"), assessed_by=body
        )
        CommitmentFactory(published=True, title=f"Promise {index}", by_organisation=body)
        project = RestorationProjectFactory(published=True, title=f"Project {index}")
        ProjectRoleFactory(project=project, organisation=body)
        TrainingCourseFactory(published=True, title=f"Course {index}").organisers.add(body)
    return body


def test_each_list_shows_the_first_records_and_links_to_all_of_them(client, busy):
    html = client.get(reverse("organisation-detail", args=[busy.slug])).content.decode()

    assert html.count("2 of 3 shown.") == 6
    for link in [
        "/sources/?publisher=busy-body",
        "/sites/?organisation=busy-body",
        "/commitments/?by=busy-body",
        "/restoration/?organisation=busy-body",
        "/training/?organisation=busy-body",
    ]:
        assert f'href="{link}"' in html
        # The listing linked to holds all three.
        listing = client.get(link).content.decode()
        assert client.get(link).status_code == 200
        assert len(set(re.findall(r"(?:Own report|Site|Promise|Project|Course) \d", listing))) >= 3
    # The newest first: of three reports published on the same day, by title, two shown.
    assert len(re.findall(r"Quote \d", html)) == 2
    assert len(re.findall(r"Promise \d", html)) == 2


def test_records_are_counted_up_to_a_limit(client, busy, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)

    html = client.get(reverse("organisation-detail", args=[busy.slug])).content.decode()

    assert html.count("2 of more than 2 shown.") == 6


def test_a_list_that_is_not_cut_short_says_nothing_more(client, busy, monkeypatch):
    monkeypatch.setattr(organisations, "LIST_LENGTH", 3)

    html = client.get(reverse("organisation-detail", args=[busy.slug])).content.decode()

    assert "shown." not in html
    assert len(set(re.findall(r"Own report \d", html))) == 3


def test_the_queries_are_the_same_whether_the_lists_are_cut_short_or_not(client, busy, monkeypatch):
    """Each list is read with its count in one query: a list that fills (as an
    organisation's do in a large register) costs no query more than one that does not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("organisation-detail", args=[busy.slug])
    client.get(url)  # the cached parts of the page
    queries = {}
    for length in (2, 3, 5):
        monkeypatch.setattr(organisations, "LIST_LENGTH", length)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        queries[length] = len(captured)
        assert ("2 of 3 shown." in html) == (length == 2)
    assert queries[2] == queries[3] == queries[5]


def test_the_count_beside_a_list_is_that_of_the_records_the_list_reads():
    """The count read with the first rows is the list's own (its filters, not its slice),
    capped at COUNT_LIMIT + 1, and an empty or impossible list counts none."""
    from heritage.models import Source

    for index in range(5):
        SourceFactory(published=True, title=f"Counted {index}")
    SourceFactory(published=False, title="Counted draft")
    listed = Source.objects.public().filter(title__startswith="Counted").order_by("title")

    rows, count = selectors.first_and_count(listed, 2)
    assert [row.title for row in rows] == ["Counted 0", "Counted 1"]
    assert count == 5
    assert selectors.first_and_count(listed.filter(title="Nothing"), 2) == ([], 0)
    assert selectors.first_and_count(listed.none(), 2) == ([], 0)
    assert selectors.first_and_count(listed.filter(pk__in=[]), 2) == ([], 0)
