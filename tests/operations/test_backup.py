"""Backups: ``manage.py backup`` writes the database and the uploaded files to one archive,
``manage.py restore`` puts them back exactly, and a damaged or foreign archive changes nothing."""

import builtins
import datetime
import io
import json
import tarfile
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heritage.cache import (
    GROUP_VERSION_KEY,
    MODEL_GROUPS,
    PLACES_VERSION_KEY,
    VERSION_KEY,
)
from heritage.models import ImportJob, OldSlug, SearchWord, Site, SiteName, Source
from heritage.text import fold
from inspections.evidence import storage as services
from inspections.models import Evidence, RestorationProject, SiteStatus, Visit
from operations import backups
from operations.backups.base import record_counts
from operations.tasks import backup_register
from tests import factories
from tests.inspections.images import image_bytes, upload
from tests.inspections.test_map_cells import assert_cells_true
from tests.inspections.test_site_counts import assert_counts_true
from tests.recovery_factories import RestorationProjectFactory

pytestmark = pytest.mark.django_db

FILES = {
    "evidence/2021/gargabazar-west-wall.jpg": bytes(range(256)) * 40,
    "evidence/2021/notes ü.txt": b"Inscription photographed on 12 January.\n",
    "report.pdf": b"%PDF-1.4\n" + b"\x00\xff" * 500,
}


def snapshot():
    """Every backed-up row, as dumpdata writes it, in a stable order."""
    out = io.StringIO()
    call_command(
        "dumpdata", natural_foreign=True, exclude=list(backups.EXCLUDED), stdout=out, verbosity=0
    )
    rows = json.loads(out.getvalue())
    return sorted(rows, key=lambda row: (row["model"], json.dumps(row["pk"])))


def stored_files():
    return {name: default_storage.open(name).read() for name in backups.media_files()}


@pytest.fixture
def register():
    """A small register: published and draft records, a staff user, the admin's history and
    uploaded files."""
    site = factories.SiteFactory(published=True, name="Gargabazar Mosque")
    factories.SiteNameFactory(site=site, name="Qarğabazar məscidi")
    factories.SiteClaimFactory(site=site, published=True)
    citation = factories.SiteCitationFactory(site=site)
    disturbance = factories.DisturbanceFactory(
        assessment__site=site, assessment__published=True, description="Roof collapsed."
    )
    factories.ResponsibilityClaimFactory(disturbance=disturbance)
    factories.ParticipationFactory(visit__published=True)
    factories.SiteFactory(name="Draft site")
    editor = get_user_model().objects.create_user(
        "editor", "editor@register.example", "a long passphrase", is_staff=True
    )
    LogEntry.objects.log_actions(
        user_id=editor.pk,
        queryset=[citation.source],
        action_flag=ADDITION,
        change_message="Added.",
        single_object=True,
    )
    for name, content in FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return site


def test_restore_brings_back_every_row_and_file_as_backed_up(register, tmp_path):
    archive = tmp_path / "register.tar.gz"
    rows_before = snapshot()
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"and {len(FILES)} files to {archive}" in out.getvalue()

    # Changes after the backup: rows deleted, edited and added; files deleted, edited, added.
    SiteName.objects.all().delete()
    Source.objects.update(title="Edited after the backup")
    factories.SiteFactory(name="Added after the backup")
    get_user_model().objects.filter(username="editor").delete()
    default_storage.delete("report.pdf")
    default_storage.delete("evidence/2021/notes ü.txt")
    default_storage.save("evidence/2021/notes ü.txt", ContentFile(b"edited"))
    default_storage.save("added-later.txt", ContentFile(b"not in the backup"))
    assert snapshot() != rows_before

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert snapshot() == rows_before
    files = stored_files()
    for name, content in FILES.items():
        assert files[name] == content
    # Files the backup does not hold are left alone.
    assert files["added-later.txt"] == b"not in the backup"
    # The editor can log in again with the same password.
    assert get_user_model().objects.get(username="editor").check_password("a long passphrase")


def test_times_come_back_to_the_microsecond(register, tmp_path):
    site = Site.objects.get(name="Gargabazar Mosque")
    entry = site.history.latest("history_date")
    exact = datetime.datetime(2021, 1, 12, 10, 30, 47, 123, tzinfo=datetime.UTC)
    type(entry).objects.filter(pk=entry.pk).update(history_date=exact)
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    type(entry).objects.filter(pk=entry.pk).update(history_date=timezone.now())

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert type(entry).objects.get(pk=entry.pk).history_date == exact


def test_restored_register_keeps_public_addresses_and_accepts_new_rows(register, tmp_path):
    archive = tmp_path / "register.tar.gz"
    extra = factories.SourceFactory.create_batch(3, published=True)
    extra[1].delete()  # a gap in the ids, as deletions leave
    source_ids = sorted(Source.objects.values_list("pk", flat=True))
    call_command("backup", str(archive), stdout=io.StringIO())
    Source.objects.filter(pk__in=[extra[0].pk, extra[2].pk]).delete()

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    # /sources/<id>/ addresses use primary keys: the backup keeps them.
    assert sorted(Source.objects.values_list("pk", flat=True)) == source_ids
    # The database's id sequences are past the restored rows.
    newest = max(Site.objects.values_list("pk", flat=True))
    assert factories.SiteFactory().pk > newest


def test_backup_leaves_out_sessions_login_attempts_content_types_and_import_jobs(
    register, tmp_path
):
    Session.objects.create(
        session_key="s" * 32,
        session_data="x",
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )
    AccessAttempt.objects.create(
        ip_address="203.0.113.7", username="admin", failures_since_start=2, user_agent="test"
    )
    job = ImportJob.objects.create(
        model="heritage.site",
        user=get_user_model().objects.get(username="editor"),
        file_name="waiting.csv",
        file_format=0,
    )
    job.store_file([b"slug,name\n"])
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        data = [json.loads(line) for line in tar.extractfile(backups.DATA)]
        manifest = json.load(tar.extractfile("manifest.json"))
    models = {row["model"] for row in data}
    assert {"heritage.site", "auth.user", "admin.logentry"} <= models
    assert not models & {
        "sessions.session",
        "axes.accessattempt",
        "contenttypes.contenttype",
        "heritage.importjob",
        "heritage.importfilepiece",
    }
    # The admin's history names its content type by natural key, not by id.
    entry = next(row for row in data if row["model"] == "admin.logentry")
    assert entry["fields"]["content_type"] == ["heritage", "source"]
    assert manifest["records"]["heritage.site"] == 2
    assert set(manifest["files"]) == {backups.DATA, *(f"media/{name}" for name in FILES)}


def test_backup_never_overwrites_an_existing_file(register, tmp_path):
    archive = tmp_path / "register.tar.gz"
    archive.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an earlier backup"
    # No partial archive is left behind either.
    assert [path.name for path in tmp_path.iterdir() if path.name != "media"] == ["register.tar.gz"]


def test_a_background_backup_is_queued_and_written_by_a_worker(register, tmp_path):
    archive = tmp_path / "queued.tar.gz"
    out = io.StringIO()

    call_command("backup", str(archive), "--background", stdout=out)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "operations.tasks.backup_register"
    assert "Queued the backup" in out.getvalue()
    assert not archive.exists()
    summary = backup_register.call(*queued.args_kwargs["args"])
    assert summary["archive"] == str(archive)
    assert summary["rows"] > 0
    with tarfile.open(archive) as written:
        assert backups.DATA in written.getnames()


def test_a_background_backup_needs_an_absolute_path(register):
    with pytest.raises(CommandError, match="absolute path"):
        call_command("backup", "relative.tar.gz", "--background", stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()


def rewrite(archive, target, change):
    """Copy ``archive`` to ``target`` with ``change(name, bytes) -> bytes | None`` applied to
    each member (None drops it)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            content = change(member.name, source.extractfile(member).read())
            if content is None:
                continue
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    return target


@pytest.fixture
def archive_and_later_state(register, tmp_path):
    """A backup, and the register changed afterwards: (archive, rows and files after)."""
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    SiteName.objects.all().delete()
    default_storage.delete("report.pdf")
    default_storage.save("report.pdf", ContentFile(b"a newer report"))
    default_storage.delete("evidence/2021/notes ü.txt")
    return archive, snapshot(), stored_files()


def assert_unchanged(state):
    _archive, rows, files = state
    assert snapshot() == rows
    assert stored_files() == files


def test_restore_refuses_a_damaged_archive_and_changes_nothing(archive_and_later_state, tmp_path):
    archive = archive_and_later_state[0]

    def damage(name, content):
        return content.replace(b"Gargabazar", b"Gargabazaar") if name == backups.DATA else content

    damaged = rewrite(archive, tmp_path / "damaged.tar.gz", damage)
    with pytest.raises(CommandError, match=r"data\.jsonl does not match its checksum"):
        call_command("restore", str(damaged), interactive=False)
    assert_unchanged(archive_and_later_state)


def test_restore_refuses_an_archive_missing_a_listed_file(archive_and_later_state, tmp_path):
    archive = archive_and_later_state[0]
    truncated = rewrite(
        archive,
        tmp_path / "missing.tar.gz",
        lambda name, content: None if name == "media/report.pdf" else content,
    )
    with pytest.raises(CommandError, match=r"missing: \['media/report.pdf'\]"):
        call_command("restore", str(truncated), interactive=False)
    assert_unchanged(archive_and_later_state)


@pytest.mark.parametrize(
    "member",
    ["media/../../outside.txt", "/etc/cron.d/job", "media/", "settings.py", "media/a/./b"],
)
def test_restore_refuses_members_outside_the_media_folder(
    archive_and_later_state, tmp_path, member
):
    archive = archive_and_later_state[0]
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w:gz") as out:
        for item in source.getmembers():
            out.addfile(item, source.extractfile(item))
        info = tarfile.TarInfo(member)
        info.size = 4
        out.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(CommandError, match="unexpected member"):
        call_command("restore", str(hostile), interactive=False)
    assert_unchanged(archive_and_later_state)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_restore_refuses_links_in_the_archive(archive_and_later_state, tmp_path):
    archive = archive_and_later_state[0]
    hostile = tmp_path / "link.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w:gz") as out:
        for item in source.getmembers():
            out.addfile(item, source.extractfile(item))
        link = tarfile.TarInfo("media/passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        out.addfile(link)
    with pytest.raises(CommandError, match="not a plain file"):
        call_command("restore", str(hostile), interactive=False)
    assert_unchanged(archive_and_later_state)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an archive at all", "is not a backup archive"),
        (b"", "is not a backup archive"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(
    archive_and_later_state, tmp_path, content, message
):
    path = tmp_path / "notes.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), interactive=False)
    assert_unchanged(archive_and_later_state)


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"), interactive=False)


def test_restore_refuses_a_backup_of_other_migrations(archive_and_later_state, tmp_path):
    archive = archive_and_later_state[0]

    def future(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["migrations"].append("heritage.9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = rewrite(archive, tmp_path / "newer.tar.gz", future)
    with pytest.raises(CommandError, match=r"not applied here: heritage\.9999_from_the_future"):
        call_command("restore", str(newer), interactive=False)
    assert_unchanged(archive_and_later_state)


def test_restore_refuses_another_format_version(archive_and_later_state, tmp_path):
    archive = archive_and_later_state[0]

    def next_version(name, content):
        if name != "manifest.json":
            return content
        return json.dumps({**json.loads(content), "version": backups.VERSION + 1}).encode()

    other = rewrite(archive, tmp_path / "next.tar.gz", next_version)
    with pytest.raises(CommandError, match=f"format version {backups.VERSION + 1}"):
        call_command("restore", str(other), interactive=False)
    assert_unchanged(archive_and_later_state)


def test_failed_restore_rolls_back_the_database_and_puts_files_back(archive_and_later_state):
    archive = archive_and_later_state[0]
    real_save = FileSystemStorage.save
    calls = []

    def full_disk_on_second_file(storage, name, content, max_length=None):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_save(storage, name, content, max_length=max_length)

    with (
        mock.patch.object(FileSystemStorage, "save", full_disk_on_second_file),
        pytest.raises(OSError, match="No space left"),
    ):
        call_command("restore", str(archive), interactive=False)

    assert len(calls) >= 2  # a file had been written before the failure
    assert_unchanged(archive_and_later_state)


def test_restore_asks_before_replacing_the_data(archive_and_later_state, monkeypatch):
    archive = archive_and_later_state[0]
    questions = []
    monkeypatch.setattr(builtins, "input", lambda prompt: questions.append(prompt) or "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))
    assert "replaces every row" in questions[0]
    assert_unchanged(archive_and_later_state)


def test_restore_keeps_content_types_usable(register, tmp_path):
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())
    entry = LogEntry.objects.get()
    assert entry.content_type == ContentType.objects.get_for_model(Source)
    assert entry.get_edited_object() == Source.objects.get(pk=entry.object_id)


def test_media_files_lists_nothing_before_the_first_upload(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "never-created"
    assert list(backups.media_files()) == []
    assert not Path(settings.MEDIA_ROOT).exists()


def test_evidence_comes_back_with_its_original_and_renditions(client, tmp_path):
    site = factories.SiteFactory(published=True)
    data = image_bytes(size=(90, 60))
    item = services.evidence_create(upload=upload(data), site=site, alt_text="A wall")
    Evidence.objects.filter(pk=item.pk).update(publication_status="published", licence="CC0-1.0")
    web_before = b"".join(client.get(f"/evidence/{item.pk}/web").streaming_content)
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    Evidence.objects.all().delete()
    for name in backups.media_files():
        default_storage.delete(name)
    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    restored = Evidence.objects.get(pk=item.pk)
    assert restored.sha256 == item.sha256
    original = b"".join(client.get(f"/evidence/{item.pk}/original").streaming_content)
    assert original == data
    assert b"".join(client.get(f"/evidence/{item.pk}/web").streaming_content) == web_before


def assessed_sites(count, start=0):
    """``count`` published sites each with two published assessments, a name variant and a
    restoration project, spread over the map."""
    for index in range(start, start + count):
        site = factories.SiteFactory(
            published=True,
            name=f"Caravanserai {index}",
            latitude=39 + index / 100,
            longitude=46 + index / 50,
        )
        factories.SiteNameFactory(site=site, name=f"Karvansaray {index}")
        factories.published_assessment(site, datetime.date(2021, 3, 1 + index % 28), "Poor")
        factories.published_assessment(site, datetime.date(2023, 7, 1 + index % 28), "Good")
        RestorationProjectFactory(site=site, published=True)


def restore_counting_queries(archive):
    with CaptureQueriesContext(connection) as queries:
        call_command("restore", str(archive), interactive=False, stdout=io.StringIO())
    return len(queries)


def test_restore_derives_the_counts_cells_words_and_flags_once_not_after_each_row(tmp_path):
    """The load holds off the receivers' recounts (``heritage.upkeep``): a row costs a few
    queries whatever it is, and what they keep is derived again whole afterwards, equal to a
    recount."""
    assessed_sites(3)
    small = tmp_path / "small.tar.gz"
    call_command("backup", str(small), stdout=io.StringIO())
    small_rows = sum(record_counts("default").values())
    assessed_sites(12, start=3)
    large = tmp_path / "large.tar.gz"
    call_command("backup", str(large), stdout=io.StringIO())
    large_rows = sum(record_counts("default").values())
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert set(fold("Caravanserai Karvansaray 14").split()) <= words

    small_queries = restore_counting_queries(small)
    large_queries = restore_counting_queries(large)

    # Before, each assessment saved recounted its site's status, counts and cells: over
    # 30 queries a row of assessment; then a row cost its own insert and the lookups of the
    # rows it names. The rows of a model are now inserted a batch at a time, and the ids
    # that natural keys name read a model at a time: 12 sites more, with their names,
    # assessments, citations, projects and history, cost a few queries in all.
    assert large_rows - small_rows > 100
    assert large_queries - small_queries <= (large_rows - small_rows) / 10
    assert_counts_true()
    assert_cells_true()
    assert SiteStatus.objects.count() == 15
    # The search's words (not in the backup) are those the saves had recorded.
    assert set(SearchWord.objects.values_list("word", flat=True)) == words
    assert not RestorationProject.objects.filter(site_published=False).exists()


def test_restore_raises_every_cached_version(register, tmp_path):
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    keys = [VERSION_KEY, PLACES_VERSION_KEY] + [
        GROUP_VERSION_KEY.format(group=group) for group in MODEL_GROUPS
    ]
    before = {key: cache.get(key, 0) for key in keys}

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    after = {key: cache.get(key, 0) for key in keys}
    assert all(after[key] > before[key] for key in keys)


def test_restore_keeps_times_that_a_save_would_set_afresh(register, tmp_path):
    """A restored row keeps its ``auto_now`` time, as a raw save does (``bulk_create`` would
    set it to the time of the restore), and its many-to-many links."""
    site = Site.objects.get(name="Gargabazar Mosque")
    old_slug = OldSlug.objects.create(
        content_type=ContentType.objects.get_for_model(Site), object_id=site.pk, slug="gargabazar"
    )
    changed_at = timezone.now() - datetime.timedelta(days=400)
    OldSlug.objects.filter(pk=old_slug.pk).update(changed_at=changed_at)
    visit = factories.VisitFactory(published=True)
    organisations = {factories.OrganisationFactory().pk for _number in range(3)}
    visit.organisations.set(organisations)
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert OldSlug.objects.get(slug="gargabazar").changed_at == changed_at
    restored = Visit.objects.get(pk=visit.pk)
    assert set(restored.organisations.values_list("pk", flat=True)) == organisations
