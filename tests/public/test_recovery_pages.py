"""``/restoration/`` and ``/commitments/``, their pages and exports, and the sections on the
dossier, the visit page and the home page."""

import csv
import datetime
import io
import json

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from heritage.base import PublicationStatus
from tests.factories import OrganisationFactory, SourceFactory, VisitFactory
from tests.recovery_factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    ProjectBudgetFactory,
    ProjectRoleFactory,
    ProjectStatusUpdateFactory,
    RestorationProjectFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.REJECTED]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


# --- Only public records ----------------------------------------------------------------


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_projects_and_commitments_are_never_shown(client, status):
    project = RestorationProjectFactory(title="Hidden project", publication_status=status)
    commitment = CommitmentFactory(title="Hidden promise", publication_status=status)

    assertNotContains(client.get("/restoration/"), "Hidden project")
    assertNotContains(client.get("/commitments/"), "Hidden promise")
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(commitment.get_absolute_url()).status_code == 404
    assert (
        "Hidden" not in b"".join(client.get("/commitments/export.csv").streaming_content).decode()
    )
    assert (
        "Hidden" not in b"".join(client.get("/restoration/export.csv").streaming_content).decode()
    )


def test_a_published_project_of_an_unpublished_site_is_not_shown(client):
    project = RestorationProjectFactory(
        published=True, title="Orphan project", site__publication_status="draft"
    )

    assertNotContains(client.get("/restoration/"), "Orphan project")
    assert client.get(project.get_absolute_url()).status_code == 404


def test_updates_and_budgets_with_an_unpublished_source_are_not_shown(client):
    hidden = SourceFactory(title="Secret memo", publication_status="in_review")
    project = RestorationProjectFactory(published=True)
    ProjectStatusUpdateFactory(project=project, source=hidden, status="completed")
    ProjectBudgetFactory(project=project, source=hidden, amount=999, currency="USD")
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(commitment=commitment, source=hidden, status="fulfilled")

    page = client.get(project.get_absolute_url())
    assertNotContains(page, "Secret memo")
    assertNotContains(page, "999")
    assertNotContains(page, "Completed")
    commitment_page = client.get(commitment.get_absolute_url())
    assertNotContains(commitment_page, "Secret memo")
    assertContains(commitment_page, "its status is unknown")


# --- Filters --------------------------------------------------------------------------


def test_projects_are_filtered_by_status_kind_and_organisation(client):
    funder = OrganisationFactory(slug="funder")
    planned = RestorationProjectFactory(published=True, title="Planned work", kind="restoration")
    ProjectStatusUpdateFactory(project=planned, status="planned")
    ProjectRoleFactory(project=planned, organisation=funder)
    done = RestorationProjectFactory(published=True, title="Finished work", kind="stabilisation")
    ProjectStatusUpdateFactory(project=done, status="completed")

    by_status = client.get("/restoration/?status=planned")
    assertContains(by_status, "Planned work")
    assertNotContains(by_status, "Finished work")
    assertNotContains(client.get("/restoration/?kind=restoration"), "Finished work")
    assertNotContains(client.get("/restoration/?organisation=funder"), "Finished work")
    assertContains(client.get("/restoration/?kind=stabilisation"), "Finished work")


def test_commitments_are_filtered_by_who_kind_status_and_year(client):
    icesco = OrganisationFactory(slug="icesco-test")
    kept = CommitmentFactory(
        published=True, title="Kept promise", by_organisation=icesco, kind="training"
    )
    CommitmentUpdateFactory(commitment=kept, status="fulfilled")
    CommitmentFactory(
        published=True, title="Later promise", kind="funding", made_on=datetime.date(2023, 1, 1)
    )

    for query in ["by=icesco-test", "kind=training", "status=fulfilled", "year=2021"]:
        response = client.get(f"/commitments/?{query}")
        assertContains(response, "Kept promise")
        assertNotContains(response, "Later promise")
    unknown = client.get("/commitments/?status=unknown")
    assertContains(unknown, "Later promise")
    assertNotContains(unknown, "Kept promise")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/restoration/?status=finished", "status"),
        ("/restoration/?kind=repainting", "kind"),
        ("/restoration/?area=nowhere", "area"),
        ("/restoration/?organisation=%00", "organisation"),
        ("/restoration/?page=0", "page"),
        ("/commitments/?by=nobody", "by"),
        ("/commitments/?kind=hope", "kind"),
        ("/commitments/?status=kept", "status"),
        ("/commitments/?year=twenty", "year"),
        ("/commitments/?year=0", "year"),
        ("/commitments/?page=x", "page"),
    ],
)
def test_a_bad_filter_value_is_answered_with_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)

    assert response.status_code == 400
    assertContains(response, f"“{parameter}”", status_code=400)


def test_the_restoration_geojson_lists_the_sites_of_the_filtered_projects(client):
    planned = RestorationProjectFactory(published=True, kind="restoration")
    ProjectStatusUpdateFactory(project=planned, status="planned")
    other = RestorationProjectFactory(published=True, kind="stabilisation")

    response = client.get("/restoration/export.geojson?kind=restoration")

    assert response.status_code == 200
    assert response["content-type"] == "application/geo+json"
    features = json.loads(b"".join(response.streaming_content))["features"]
    urls = [feature["properties"]["url"] for feature in features]
    assert urls == [f"http://testserver{planned.site.get_absolute_url()}"]
    assert other.site.get_absolute_url() not in str(features)


@pytest.mark.parametrize(
    "url",
    [
        "/restoration/export.csv?status=finished",
        "/restoration/export.geojson?kind=repainting",
        "/commitments/export.csv?year=twenty",
    ],
)
def test_a_bad_export_parameter_is_a_plain_text_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["content-type"].startswith("text/plain")


# --- Pages, timelines and the register's own note ---------------------------------------


def test_a_passed_deadline_without_an_outcome_is_said_in_the_registers_voice(client):
    CommitmentFactory(
        published=True,
        title="Mission by February",
        deadline=datetime.date(2021, 2, 1),
        deadline_precision="month",
    )

    response = client.get("/commitments/")

    assertContains(response, "The register's note:")
    assertContains(response, "no source reports it done")
    rows = csv_rows(client.get("/commitments/export.csv"))
    assert rows[0]["status"] == "unknown"
    assert "no source reports it done" in rows[0]["register_note"]


def test_the_timeline_links_the_records_that_fulfil_a_commitment(client):
    visit = VisitFactory(published=True, title="The mission itself")
    commitment = CommitmentFactory(published=True)
    CommitmentUpdateFactory(commitment=commitment, status="fulfilled", visit=visit)
    hidden = VisitFactory(title="Unpublished mission")
    CommitmentUpdateFactory(
        commitment=commitment, status="in_progress", date=datetime.date(2021, 3, 1), visit=hidden
    )

    response = client.get(commitment.get_absolute_url())

    assertContains(response, visit.get_absolute_url())
    assertNotContains(response, "Unpublished mission")
    assertContains(client.get(visit.get_absolute_url()), commitment.title)


def test_the_project_page_shows_budgets_per_currency_with_their_source(client):
    project = RestorationProjectFactory(published=True)
    ProjectBudgetFactory(project=project, amount=100, currency="AZN")
    ProjectBudgetFactory(project=project, amount=70, currency="USD")

    response = client.get(project.get_absolute_url())

    assertContains(response, "Amounts in different currencies are not added together.")
    assertContains(response, "AZN")
    assertContains(response, "USD")


def test_home_counts_commitments_and_those_reported_fulfilled(client):
    done = CommitmentFactory(published=True)
    CommitmentUpdateFactory(commitment=done, status="fulfilled")
    CommitmentFactory(published=True)
    CommitmentFactory()

    assertContains(client.get("/"), "2 commitments recorded, 1 reported fulfilled.")


# --- Query counts -----------------------------------------------------------------------


def build(size):
    for index in range(size):
        organisation = OrganisationFactory()
        project = RestorationProjectFactory(published=True)
        ProjectStatusUpdateFactory(project=project)
        ProjectRoleFactory(project=project, organisation=organisation)
        ProjectBudgetFactory(project=project)
        commitment = CommitmentFactory(
            published=True,
            by_organisation=organisation,
            occasion_visit=VisitFactory(published=True),
            deadline=datetime.date(2021, 2, 1),
        )
        CommitmentUpdateFactory(
            commitment=commitment, project=project, visit=VisitFactory(published=True)
        )
        CommitmentUpdateFactory(
            commitment=commitment, status="fulfilled", date=datetime.date(2021, 7, 1 + index)
        )
    return project, commitment


# restoration list: count, the page's ids, those projects (with the current status), roles
# and budgets
RESTORATION_LIST_QUERIES = 5
# commitments list: count, the page's ids, those commitments with who, to whom, occasion and
# source, and their updates with the records they link to
COMMITMENT_LIST_QUERIES = 4
# project page: project, roles, budgets, updates, evidence, courses, the site's assessments
# and the commitments that link to it
PROJECT_QUERIES = 8
# commitment page: commitment, updates, courses
COMMITMENT_QUERIES = 3
# organisation page (see test_the_organisation_page_queries_do_not_grow…)
ORGANISATION_QUERIES = 11


@pytest.mark.parametrize("size", [1, 4])
def test_query_counts_of_the_new_pages_do_not_grow(client, django_assert_num_queries, size):
    project, commitment = build(size)
    client.get("/restoration/")  # fill the cached choices of the filters

    with django_assert_num_queries(RESTORATION_LIST_QUERIES):
        assert client.get("/restoration/").status_code == 200
    with django_assert_num_queries(COMMITMENT_LIST_QUERIES):
        assert client.get("/commitments/").status_code == 200
    with django_assert_num_queries(PROJECT_QUERIES):
        assert client.get(project.get_absolute_url()).status_code == 200
    with django_assert_num_queries(COMMITMENT_QUERIES):
        assert client.get(commitment.get_absolute_url()).status_code == 200


# --- The demo -------------------------------------------------------------------------


def test_the_demo_shows_the_seeds_commitments_with_their_source(client, demo):
    response = client.get("/commitments/")

    assertContains(response, "7 commitments found.")
    for words in [
        "ICESCO to assist Azerbaijan in restoring monuments",
        "Training courses for specialists in restoration",
        "Support for a joint action plan for cooperation",
        "Joint start-up project with the Ministry of Culture",
        "Technical mission to the formerly occupied areas by the end of February 2021",
        "An ICESCO regional centre in Shusha",
        "Proposal to declare Shusha the capital of the Islamic world",
    ]:
        assertContains(response, words)
    assertContains(response, "Azerbaijan and ICESCO. New partnership prospects", count=7)


def test_the_demo_mission_is_not_fulfilled_per_its_sources_and_linked_to_its_visit(client, demo):
    response = client.get("/commitments/icesco-technical-mission-by-february-2021/")

    assertContains(response, "Not fulfilled by its deadline")
    assertContains(response, "yenicag.az")
    assertContains(response, "/visits/icesco-technical-mission-2021-02/")
    assertNotContains(response, "no source reports it done")
    unknown = client.get("/commitments/?status=unknown")
    assertContains(unknown, "6 commitments found.")


def test_the_demo_caravanserai_dossier_shows_its_restoration_project(client, demo):
    response = client.get("/sites/gargabazar-caravanserai/")

    assertContains(response, "Restoration of the Qarğabazar caravanserai")
    assertContains(response, "314,706.00 AZN")
    project = client.get("/restoration/gargabazar-caravanserai-restoration/")
    assertContains(project, "Day.Az")
    assertContains(project, "Planned")


def test_the_demo_organisation_page_lists_what_it_committed_to(client, demo):
    response = client.get("/organisations/icesco/")

    assertContains(response, 'id="organisation-commitments"')
    assertContains(response, "Training courses for specialists in restoration")
    assertContains(response, "An ICESCO regional centre in Shusha")


@pytest.mark.parametrize("size", [1, 4])
def test_the_organisation_page_queries_do_not_grow_with_its_commitments_and_projects(
    client, django_assert_num_queries, size
):
    organisation = OrganisationFactory()
    for _ in range(size):
        project = RestorationProjectFactory(published=True)
        ProjectRoleFactory(project=project, organisation=organisation)
        commitment = CommitmentFactory(published=True, by_organisation=organisation)
        CommitmentUpdateFactory(commitment=commitment)
        TrainingCourseFactory(published=True).organisers.add(organisation)
    url = f"/organisations/{organisation.slug}/"

    # organisation, its sources, statements and assessments; its commitments with their
    # updates and the records they link to; the projects it has a role in; the courses it
    # organised, with their organisers
    with django_assert_num_queries(ORGANISATION_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('class="commitment') >= size
    assert response.content.decode().count('class="course"') == size


def test_restoration_pages_read_by_ids_list_the_projects_in_title_order(client, monkeypatch):
    from public.views.recovery import RestorationListView

    titles = ["Echo", "Alpha", "Delta", "Bravo", "Charlie"]
    for title in titles:
        RestorationProjectFactory(published=True, title=f"Work {title}")
    monkeypatch.setattr(RestorationListView, "paginate_by", 2)

    listed = []
    for number in (1, 2, 3):
        projects = client.get("/restoration/", {"page": number}).context["projects"]
        listed += [project.title for project in projects]

    assert listed == [f"Work {title}" for title in sorted(titles)]
