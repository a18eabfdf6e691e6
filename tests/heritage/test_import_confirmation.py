"""Between the preview and the confirmation: a record someone else changed or added stops
the whole import; only the importer confirms their own checked job."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F
from pytest_django.asserts import assertContains

from heritage.imports.engine import ImportAborted, write_file
from heritage.imports.files import CSV
from heritage.imports.resources import SiteResource
from heritage.models import ImportJob, ImportStatus, Site
from inspections.models import Assessment
from tests.admin_forms import admin_url
from tests.factories import PlaceFactory, SiteFactory, UserFactory
from tests.heritage.imports import (
    confirm,
    csv_upload,
    preview,
    preview_actions,
    problems,
)

pytestmark = pytest.mark.django_db


def test_a_record_changed_after_the_preview_stops_the_whole_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    site = SiteFactory(slug="mosque", name="Mosque", place=place)
    upload = csv_upload(
        "slug,name,category,place\n"
        "new-site,New site,mosque,fuzuli\n"
        "mosque,Mosque (renamed),mosque,fuzuli\n"
    )
    response = preview(admin_client, Site, upload)
    assert preview_actions(response) == [(2, "new"), (3, "update")]
    # The job keeps the version of the record that exists; a new one's slug is not kept.
    assert ImportJob.objects.get(pk=response.context["job"].pk).versions == {"mosque": 1}
    site.description = "Someone else's change"
    site.save()

    response = confirm(admin_client, Site, response)

    assert response.status_code == 200
    assertContains(response, "Nothing was imported.")
    found = problems(response)
    assert [(row, column) for row, column, _m in found] == [(3, "")]
    assert "was changed by someone else after the preview (version 1 then, 2 now)" in found[0][2]
    site.refresh_from_db()
    assert (site.name, site.description) == ("Mosque", "Someone else's change")
    assert not Site.objects.filter(slug="new-site").exists()


def test_a_record_added_after_the_preview_stops_the_import(admin_client):
    place = PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    SiteFactory(slug="new-site", name="Someone else's", place=place)

    response = confirm(admin_client, Site, response)

    assert "was added by someone else after the preview" in problems(response)[0][2]
    assert Site.objects.get(slug="new-site").name == "Someone else's"


def test_only_a_checked_job_of_ones_own_can_be_confirmed(admin_client, client):
    PlaceFactory(slug="fuzuli")
    response = preview(
        admin_client, Site, csv_upload("slug,name,category,place\nnew-site,New,mosque,fuzuli\n")
    )
    job = response.context["job"]
    other = UserFactory(is_staff=True, is_superuser=False)
    other.user_permissions.add(*Permission.objects.filter(codename__in=["add_site", "change_site"]))
    client.force_login(other)

    assert client.get(admin_url(Site, "import_job", job.pk)).status_code == 404
    assert client.post(admin_url(Site, "import_confirm", job.pk)).status_code == 404
    assert admin_client.post(admin_url(Assessment, "import_confirm", job.pk)).status_code == 404
    assert admin_client.get(admin_url(Site, "process_import")).status_code == 404
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    assert admin_client.post(admin_url(Site, "import_confirm", job.pk)).status_code == 404
    assert not Site.objects.exists()


def test_the_file_waits_in_the_database_that_every_server_shares(admin_client):
    PlaceFactory(slug="fuzuli")
    text = "slug,name,category,place\nnew-site,New,mosque,fuzuli\n"
    response = preview(admin_client, Site, csv_upload(text))
    job = ImportJob.objects.get(pk=response.context["job"].pk)
    assert b"".join(bytes(piece.data) for piece in job.pieces.order_by("number")) == (text.encode())

    confirm(admin_client, Site, response)

    job.refresh_from_db()
    assert not job.pieces.exists()
    assert job.status == ImportStatus.DONE


def test_a_save_that_finds_the_record_changed_meanwhile_stops_the_import(monkeypatch):
    """Between reading a batch and writing it, someone else saves a record: the write is
    refused by the record's version and the transaction is rolled back."""
    place = PlaceFactory(slug="fuzuli")
    SiteFactory(slug="mosque", name="Mosque", place=place)
    original = SiteResource.prepare_batch

    def someone_else_saves_meanwhile(self, instances):
        Site.objects.filter(slug="mosque").update(version=F("version") + 1, name="Theirs")
        original(self, instances)

    monkeypatch.setattr(SiteResource, "prepare_batch", someone_else_saves_meanwhile)
    dataset = CSV().create_dataset(
        b"slug,name,category,place\nnew-site,New,mosque,fuzuli\nmosque,Mine,mosque,fuzuli\n"
    )

    with pytest.raises(ImportAborted) as aborted, transaction.atomic():
        write_file(
            SiteResource(user=UserFactory(is_superuser=True)), dataset, expected_versions=None
        )

    [problem] = aborted.value.outcome.problems
    assert "was changed by someone else during the import" in problem["message"]
    # Everything in the transaction was rolled back (here the other save too, made inside it).
    assert not Site.objects.filter(slug="new-site").exists()
    assert Site.objects.get(slug="mosque").name == "Mosque"
