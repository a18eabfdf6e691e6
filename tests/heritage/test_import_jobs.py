"""Imports as background jobs: batched queries, all or nothing, progress, a stopped worker,
and who sees a job. The worker's steps run here in the test's process (``Task.call``);
``test_import_worker.py`` runs them in a real worker process."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from heritage.imports import files, writing
from heritage.imports.engine import check_file
from heritage.imports.files import CSV
from heritage.imports.resources import SiteResource
from heritage.models import ImportJob, ImportStatus, Place, Site, SiteName
from tests.admin_forms import admin_url
from tests.factories import PlaceFactory, UserFactory
from tests.heritage.imports import confirm, csv_upload, job_page, preview, problems

pytestmark = pytest.mark.django_db

HEADER = "slug,name,category,place,names"


def sites_file(rows, place="fuzuli", start=0):
    lines = [HEADER] + [
        f"site-{n},Site {n},mosque,{place},az:Məscid {n}|ru:Мечеть {n}"
        for n in range(start, start + rows)
    ]
    return "\n".join(lines) + "\n"


def queries_to_check(rows, user):
    dataset = CSV().create_dataset(sites_file(rows).encode())
    with CaptureQueriesContext(connection) as queries:
        outcome = check_file(SiteResource(user=user), dataset)
    assert outcome.problem_count == 0, outcome.problems
    return len(queries)


def test_checking_a_file_asks_the_database_per_batch_not_per_row():
    """Today's fix: checking cost several queries a row (40 ms a row, 30 s for a thousand)."""
    PlaceFactory(slug="fuzuli")
    user = UserFactory(is_superuser=True)

    few, many = queries_to_check(5, user), queries_to_check(400, user)

    assert many == few
    assert queries_to_check(1200, user) <= 3 * few


def test_writing_a_file_takes_bulk_queries(admin_client):
    PlaceFactory(slug="fuzuli")

    def queries_to_import(rows, start):
        response = preview(admin_client, Site, csv_upload(sites_file(rows, start=start)))
        with CaptureQueriesContext(connection) as queries:
            response = confirm(admin_client, Site, response)
        assert response.context["job"].status == ImportStatus.DONE, problems(response)
        return len(queries)

    few, many = queries_to_import(5, 0), queries_to_import(300, 100)

    # Bulk inserts hold a few dozen rows each on SQLite (its limit of bound values).
    assert many - few < 60
    assert Site.objects.count() == 305
    assert SiteName.objects.count() == 610
    assert Site.history.count() == 305
    assert SiteName.history.count() == 610
    entries = LogEntry.objects.filter(object_repr__startswith="Site ")
    assert entries.count() == 305
    assert set(entries.values_list("change_message", flat=True)) == {"Imported from records.csv"}


def test_a_failure_while_writing_the_log_entries_writes_nothing_and_says_so(
    admin_client, monkeypatch
):
    """Today's fix: records were committed, then the log entries failed, and the user was
    told the import had failed."""
    PlaceFactory(slug="fuzuli")
    response = preview(admin_client, Site, csv_upload(sites_file(3)))

    def refuse(*args, **kwargs):
        raise DatabaseError("the log is full")

    monkeypatch.setattr(writing.LogEntry.objects, "log_actions", refuse)
    response = confirm(admin_client, Site, response)

    assert response.context["job"].status == ImportStatus.FAILED
    assertContains(response, "Nothing was written")
    assertContains(response, "Nothing was imported.")
    assert not Site.objects.exists()
    assert not Site.history.exists()
    assert not SiteName.objects.exists()


def test_a_row_failing_after_earlier_batches_were_written_writes_nothing(admin_client):
    PlaceFactory(slug="fuzuli")
    PlaceFactory(slug="gone")
    text = sites_file(600) + sites_file(1, place="gone", start=600).split("\n", 1)[1]
    response = preview(admin_client, Site, csv_upload(text))
    assert response.context["job"].status == ImportStatus.READY
    Place.objects.filter(slug="gone").delete()

    response = confirm(admin_client, Site, response)

    assert response.context["job"].status == ImportStatus.REFUSED
    assert problems(response) == [(602, "place", "No place has the slug “gone”.")]
    assert not Site.objects.exists()
    assert not SiteName.objects.exists()
    assert not LogEntry.objects.exists()


def test_the_check_notes_its_progress_batch_by_batch(admin_client):
    PlaceFactory(slug="fuzuli")
    dataset = CSV().create_dataset(sites_file(1200).encode())
    seen = []

    check_file(
        SiteResource(user=UserFactory(is_superuser=True)),
        dataset,
        progress=lambda o: seen.append(o.read),
    )

    assert seen == [500, 1000, 1200]


def test_the_job_page_shows_the_progress_and_refreshes_itself_while_a_worker_has_it(
    admin_client,
):
    admin = admin_client.get("/admin/").wsgi_request.user
    job = ImportJob.objects.create(
        model="heritage.site", user=admin, file_name="big.csv", file_format=0
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, rows_total=1200)
    job.refresh_from_db()
    job.record_progress(500)

    response = job_page(admin_client, Site, job)

    assertContains(response, '<meta http-equiv="refresh" content="2">', html=False)
    assertContains(response, '<dd id="rows-read">500</dd>', html=True)
    assertContains(response, '<dd id="rows-total">1200</dd>', html=True)
    assertContains(response, "Checking the rows")


@pytest.mark.parametrize(
    ("status", "minutes"), [(ImportStatus.CHECKING, 3), (ImportStatus.WRITING, 31)]
)
def test_a_job_whose_worker_stopped_says_it_failed_and_wrote_nothing(admin_client, status, minutes):
    admin = admin_client.get("/admin/").wsgi_request.user
    job = ImportJob.objects.create(
        model="heritage.site", user=admin, file_name="big.csv", file_format=0
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, heartbeat=timezone.now() - datetime.timedelta(minutes=minutes)
    )

    response = job_page(admin_client, Site, job)

    assert response.context["job"].status == ImportStatus.FAILED
    assertContains(response, "The job stopped before it finished")
    assertContains(response, "Nothing was written")
    assertNotContains(response, 'http-equiv="refresh"')


def test_a_running_job_with_a_recent_heartbeat_is_not_taken_for_stopped(admin_client):
    admin = admin_client.get("/admin/").wsgi_request.user
    job = ImportJob.objects.create(
        model="heritage.site", user=admin, file_name="big.csv", file_format=0
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)

    assert job_page(admin_client, Site, job).context["job"].status == ImportStatus.WRITING


def test_only_staff_who_may_import_see_their_import_jobs(client, editor_client):
    PlaceFactory(slug="fuzuli")
    response = preview(editor_client, Site, csv_upload(sites_file(2)))
    job = response.context["job"]
    assert response.status_code == 200
    assertContains(editor_client.get(admin_url(Site, "import")), "records.csv")

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_site"))
    client.force_login(viewer)
    assert client.get(admin_url(Site, "import_job", job.pk)).status_code == 403
    assert client.post(admin_url(Site, "import_confirm", job.pk)).status_code == 403

    other_editor = UserFactory(is_staff=True)
    other_editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_site", "change_site"])
    )
    client.force_login(other_editor)
    assert client.get(admin_url(Site, "import_job", job.pk)).status_code == 404
    assertNotContains(client.get(admin_url(Site, "import")), "records.csv")
    client.logout()
    assert client.get(admin_url(Site, "import_job", job.pk)).status_code == 302


def test_an_imports_history_rows_name_the_importer_the_file_and_the_values(admin_client):
    PlaceFactory(slug="fuzuli")
    user = get_user_model().objects.get(username="admin")
    response = confirm(admin_client, Site, preview(admin_client, Site, csv_upload(sites_file(2))))
    assert response.context["job"].status == ImportStatus.DONE
    renamed = sites_file(2).replace("Site 1,", "Site one,")
    response = confirm(admin_client, Site, preview(admin_client, Site, csv_upload(renamed)))
    assert response.context["job"].status == ImportStatus.DONE

    site = Site.objects.get(slug="site-1")
    added, changed = site.history.order_by("history_id")
    assert (added.history_type, changed.history_type) == ("+", "~")
    assert (added.name, changed.name) == ("Site 1", "Site one")
    assert (added.version, changed.version) == (1, 2)
    assert {added.history_user, changed.history_user} == {user}
    assert {added.history_change_reason, changed.history_change_reason} == {
        "Imported from records.csv"
    }
    assert changed.place_id == site.place_id
    assert changed.folded_name == site.folded_name
    assert changed.history_date >= added.history_date
    # The history reads as every other: the change between the two versions.
    fields = {change.field for change in changed.diff_against(added).changes}
    assert {"name"} <= fields <= {"name", "version", "folded_name"}
    name = SiteName.objects.get(site=site, language="az")
    assert name.history.get().history_type == "+"
    assert name.history.get().site_id == site.pk


def test_the_job_reads_its_file_from_the_database_in_pieces_never_whole(admin_client, monkeypatch):
    PlaceFactory(slug="fuzuli")
    monkeypatch.setattr(files, "CHUNK_SIZE", 256)
    content = sites_file(40)
    assert len(content.encode()) > 8 * 256

    with CaptureQueriesContext(connection) as queries:
        response = confirm(admin_client, Site, preview(admin_client, Site, csv_upload(content)))

    assert response.context["job"].status == ImportStatus.DONE
    assert Site.objects.count() == 40
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    pieces = [sql for sql in selects if "substr(" in sql and "heritage_importfilepiece" in sql]
    # Each reading of the file (its shape, the checks between rows, the rows) takes pieces.
    assert len(pieces) > 2 * 8
    whole = [
        sql
        for sql in selects
        if '"heritage_importfilepiece"."data"' in sql or "heritage_importfilepiece.data" in sql
    ]
    assert whole == []
