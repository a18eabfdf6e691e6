"""The API's restoration projects and commitments."""

import datetime

import pytest

from heritage.base import PublicationStatus
from tests.factories import SourceFactory, VisitFactory
from tests.public.api.reading import get_json
from tests.recovery_factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    ProjectBudgetFactory,
    ProjectStatusUpdateFactory,
    RestorationProjectFactory,
)

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/restoration-projects/"
COMMITMENTS = "/api/v1/commitments/"


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_unpublished_projects_and_commitments_are_absent(client, status):
    project = RestorationProjectFactory(publication_status=status)
    commitment = CommitmentFactory(publication_status=status)

    assert get_json(client, PROJECTS)["results"] == []
    assert get_json(client, COMMITMENTS)["results"] == []
    get_json(client, f"{PROJECTS}{project.slug}/", status=404)
    get_json(client, f"{COMMITMENTS}{commitment.slug}/", status=404)


def test_a_project_gives_its_status_and_budgets_with_published_sources_only(client):
    project = RestorationProjectFactory(published=True)
    ProjectStatusUpdateFactory(project=project, status="planned")
    ProjectStatusUpdateFactory(
        project=project,
        status="completed",
        date=datetime.date(2026, 1, 1),
        source=SourceFactory(publication_status=PublicationStatus.DRAFT),
    )
    ProjectBudgetFactory(project=project, amount=314706, currency="AZN")

    body = get_json(client, f"{PROJECTS}{project.slug}/")

    assert body["status"] == "planned"
    assert [update["status"] for update in body["status_updates"]] == ["planned"]
    assert body["budgets"][0]["amount"] == "314706.00"
    assert body["budgets"][0]["currency"] == "AZN"


def test_a_commitment_tells_a_sourced_status_from_the_registers_note(client):
    visit = VisitFactory(published=True)
    fulfilled = CommitmentFactory(published=True, deadline=datetime.date(2021, 2, 28))
    CommitmentUpdateFactory(commitment=fulfilled, status="fulfilled", visit=visit)
    silent = CommitmentFactory(published=True, deadline=datetime.date(2021, 2, 28))

    kept = get_json(client, f"{COMMITMENTS}{fulfilled.slug}/")
    unknown = get_json(client, f"{COMMITMENTS}{silent.slug}/")

    assert kept["status"] == "fulfilled"
    assert kept["deadline_passed_unreported"] is False
    assert kept["updates"][0]["visit"].endswith(f"/api/v1/visits/{visit.slug}/")
    assert unknown["status"] == "unknown"
    assert unknown["deadline_passed_unreported"] is True


def test_the_lists_take_the_pages_filters_and_refuse_bad_values(client):
    CommitmentFactory(published=True, kind="training")
    CommitmentFactory(published=True, kind="funding")

    assert len(get_json(client, f"{COMMITMENTS}?kind=training")["results"]) == 1
    body = get_json(client, f"{COMMITMENTS}?status=kept", status=400)
    assert "status" in body["parameters"]
    get_json(client, f"{PROJECTS}?kind=repainting", status=400)


@pytest.mark.parametrize("size", [1, 4])
def test_queries_of_the_lists_do_not_grow(client, django_assert_max_num_queries, size):
    for _ in range(size):
        project = RestorationProjectFactory(published=True)
        ProjectStatusUpdateFactory(project=project)
        ProjectBudgetFactory(project=project)
        commitment = CommitmentFactory(published=True)
        CommitmentUpdateFactory(commitment=commitment, visit=VisitFactory(published=True))

    with django_assert_max_num_queries(5):
        get_json(client, PROJECTS)
    with django_assert_max_num_queries(4):
        get_json(client, COMMITMENTS)


def test_the_schema_documents_both_resources(client):
    paths = set(client.get("/api/v1/schema/?format=json").json()["paths"])

    for resource in ["restoration-projects", "commitments"]:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{slug}}/" in paths
