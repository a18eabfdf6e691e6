"""Importing through the admin: the upload shows a preview and writes nothing; only the
confirmation writes. Imported records are drafts, whoever imports them and whatever the
file says about their publication, and only reviewers change published records."""

import pytest
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

from heritage.base import PublicationStatus
from heritage.models import ImportStatus, ReportedFigure, Site, SiteName
from inspections.models import Assessment
from tests.admin_forms import admin_url
from tests.factories import (
    AssessmentCitationFactory,
    AssessmentFactory,
    PlaceFactory,
    SiteFactory,
    SourceFactory,
    UserFactory,
)
from tests.heritage.imports import (
    SITE_HEADER,
    assert_refused,
    confirm,
    csv_upload,
    import_file,
    preview,
    preview_actions,
    problems,
    snapshot,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def test_the_preview_writes_nothing_until_the_import_is_confirmed(admin_client, demo):
    before = snapshot(Site, SiteName)
    upload = csv_upload(
        f"{SITE_HEADER}\n"
        "kohne-hamam,Old bathhouse,historic_building,qargabazar,az:Köhnə hamam|ru:Старая баня\n"
    )

    response = preview(admin_client, Site, upload)

    assert response.status_code == 200
    assert problems(response) == []
    assert preview_actions(response) == [(2, "new")]
    assertContains(response, "Confirm import")
    assertContains(response, "Nothing has been written yet")
    assert snapshot(Site, SiteName) == before

    response = confirm(admin_client, Site, response)

    assert response.context["job"].status == ImportStatus.DONE
    assert response.context["job"].rows_written == 1
    assertContains(response, "Imported: 1 record written")
    site = Site.objects.get(slug="kohne-hamam")
    assert site.place.slug == "qargabazar"
    assert sorted(site.names.values_list("language", "name")) == [
        ("az", "Köhnə hamam"),
        ("ru", "Старая баня"),
    ]
    assert response.context["outcome"]["counts"] == {"new": 1, "changed": 0, "unchanged": 0}


def test_the_importer_and_the_file_are_recorded_in_the_history(editor_client, demo):
    import_file(
        editor_client,
        Site,
        csv_upload(
            f"{SITE_HEADER}\nkohne-hamam,Old bathhouse,other,fuzuli,az:Köhnə hamam\n",
            name="survey.csv",
        ),
    )

    site = Site.objects.get(slug="kohne-hamam")
    entry = site.history.get()
    assert entry.history_user == editor_client.user
    assert entry.history_change_reason == "Imported from survey.csv"
    name = site.names.get()
    assert name.history.get().history_user == editor_client.user


def test_imported_records_are_drafts_even_when_the_file_says_published(admin_client, demo):
    upload = csv_upload(
        f"{SITE_HEADER},publication_status\nkohne-hamam,Old bathhouse,other,fuzuli,,published\n"
    )

    response = preview(admin_client, Site, upload)

    assertContains(response, "The column “publication_status” is ignored")
    confirm(admin_client, Site, response)
    site = Site.objects.get(slug="kohne-hamam")
    assert site.publication_status == PublicationStatus.DRAFT
    assert site.reviewed_by is None


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_editor_cannot_publish_through_an_import(editor_client, file_format):
    source = SourceFactory(slug="report", published=True)
    rows = [
        ["slug", "metric", "subject", "value", "source", "publication_status", "reviewed_by"],
        ["new-figure", "destroyed", "libraries", 12, "report", "published", "rafael"],
    ]
    if file_format == "csv":
        upload = csv_upload("\n".join(",".join(map(str, row)) for row in rows) + "\n")
    else:
        upload = xlsx_upload(rows)

    import_file(editor_client, ReportedFigure, upload, file_format)

    figure = ReportedFigure.objects.get(slug="new-figure")
    assert figure.publication_status == PublicationStatus.DRAFT
    assert figure.source == source
    assert not ReportedFigure.objects.public().exists()


def test_an_editor_cannot_change_a_published_record_through_an_import(editor_client):
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place, published=True)
    SiteFactory(slug="school", name="School", place=place, published=True)
    SiteFactory(slug="draft", name="Draft", place=place)
    upload = csv_upload(
        "slug,name,category,place,names\n"
        "mosque,Mosque,mosque,fuzuli,\n"  # unchanged: fine
        "draft,Draft renamed,mosque,fuzuli,\n"
        "school,School renamed,mosque,fuzuli,\n"
        "mosque,Mosque,mosque,fuzuli,az:Məscid\n"  # a new name of a published site
    )

    response = preview(editor_client, Site, upload)

    found = problems(response)
    assert [(row, column) for row, column, _message in found] == [(4, ""), (5, ""), (5, "slug")]
    assert "only reviewers change published records" in found[0][2]
    assert response.context["job"].status == ImportStatus.REFUSED
    assert Site.objects.get(slug="school").name == "School"
    assert Site.objects.get(slug="draft").name == "Draft"
    assert not SiteName.objects.exists()


def test_a_reviewer_changes_a_published_record_and_it_stays_published(reviewer_client):
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place, published=True)

    import_file(
        reviewer_client,
        Site,
        csv_upload("slug,name,category,place\nmosque,Old mosque,mosque,fuzuli\n"),
    )

    site = Site.objects.get(slug="mosque")
    assert site.name == "Old mosque"
    assert site.publication_status == PublicationStatus.PUBLISHED
    assert site.version == 2


def test_an_editor_cannot_cite_a_source_in_a_published_assessment(editor_client):
    assessment = AssessmentFactory(slug="mosque-2024", published=True)
    AssessmentCitationFactory(
        assessment=assessment, source__slug="one", source__published=True, summary="Poor."
    )
    SourceFactory(slug="two", published=True)
    site, date = assessment.site.slug, assessment.assessed_on.isoformat()
    upload = csv_upload(
        f"slug,site,assessed_on,overall_condition,source,source_summary\n"
        f"mosque-2024,{site},{date},Poor,one,Poor.\n"
        f"mosque-2024,{site},{date},Poor,two,Also poor.\n"
    )

    response = preview(editor_client, Assessment, upload)

    assert_refused(response, {(3, ""): "only reviewers change published records"})
    assert assessment.citations.count() == 1


def test_importing_needs_the_add_and_change_permissions_and_exporting_the_view_one(client):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_site"))
    client.force_login(user)

    assert client.get(admin_url(Site, "import")).status_code == 403
    assert client.get(admin_url(Site, "export")).status_code == 200
    assert client.get(admin_url(ReportedFigure, "export")).status_code == 403
    changelist = client.get(admin_url(Site, "changelist"))
    assertContains(changelist, admin_url(Site, "export"))
    assertNotContains(changelist, admin_url(Site, "import"))


def test_the_lists_of_sites_assessments_and_figures_offer_import_and_export(editor_client):
    for model in (Site, Assessment, ReportedFigure):
        response = editor_client.get(admin_url(model, "changelist") + "?q=x")
        assertContains(response, admin_url(model, "import"))
        assertContains(response, admin_url(model, "export") + "?q=x")
