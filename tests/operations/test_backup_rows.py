"""The rows of a backup as JSON Lines: written as they are read, loaded a batch at a time, in an
order a restore can follow, and readable whatever the text holds."""

import io
import json
import tarfile
import tracemalloc

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import CaptureQueriesContext

from heritage.models import Site, SiteName, Source
from inspections.models import Assessment, Disturbance
from operations import backups
from operations.backups import rows
from operations.backups.archive import describe
from operations.backups.restore import empty_database
from tests import factories

pytestmark = pytest.mark.django_db

#: Rows of this many characters make a rows file of megabytes from a few thousand rows.
LONG_NOTES = "Notes of a long source. " * 170


def backed_up_lines(archive):
    with tarfile.open(archive) as tar:
        return [json.loads(line) for line in tar.extractfile(backups.DATA)]


def test_rows_are_one_object_a_line_in_dependency_order_with_natural_keys(tmp_path):
    name = factories.SiteNameFactory(site__published=True)
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    lines = backed_up_lines(archive)
    models = [line["model"] for line in lines]
    # Places before the sites in them, sites before their names.
    assert models.index("heritage.place") < models.index("heritage.site")
    assert max(i for i, m in enumerate(models) if m == "heritage.site") < models.index(
        "heritage.sitename"
    )
    # Each model's rows together, in primary-key order.
    for model in set(models):
        keys = [line["pk"] for line in lines if line["model"] == model]
        assert keys == sorted(keys)
        first = models.index(model)
        assert models[first : first + len(keys)] == [model] * len(keys)
    row = next(line for line in lines if line["model"] == "heritage.sitename")
    assert row["pk"] == name.pk
    assert row["fields"]["site"] == [name.site.slug]


def test_text_with_line_breaks_of_every_kind_comes_back_unchanged(tmp_path):
    awkward = "one\ntwo\r\nthree\rfour\u2028five\u2029six\x85seven\x1cend"
    site = factories.SiteFactory(description=awkward, name="Line\u2028Separator Mosque")
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Site.objects.filter(pk=site.pk).update(description="", name="Edited")

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    site.refresh_from_db()
    assert (site.description, site.name) == (awkward, "Line\u2028Separator Mosque")


def historical_names():
    return list(
        SiteName.history.order_by("history_id").values_list(
            "history_id", "site_id", "name", "history_type"
        )
    )


def test_history_of_a_deleted_site_is_backed_up_and_restored_as_it_was(tmp_path):
    kept = factories.SiteNameFactory(name="Kept name")
    gone = factories.SiteNameFactory(name="Name of a deleted site")
    gone_site_id = gone.site_id
    gone.site.delete()
    history = historical_names()
    assert any(site_id == gone_site_id for _id, site_id, _name, _type in history)
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    SiteName.history.all().delete()

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert historical_names() == history
    assert SiteName.objects.get().pk == kept.pk


def backup_queries(path):
    with CaptureQueriesContext(connection) as queries:
        backups.create_backup(path)
    return len(queries)


def add_records(count):
    for _ in range(count):
        disturbance = factories.DisturbanceFactory(assessment__site__published=True)
        factories.SiteNameFactory(site=disturbance.assessment.site)
        factories.ResponsibilityClaimFactory(disturbance=disturbance)
        factories.AssessmentCitationFactory(assessment=disturbance.assessment)
        user = factories.editor()
        user.user_permissions.add(Permission.objects.get(codename="review_source"))


def test_backup_reads_the_database_in_queries_that_do_not_grow_with_its_rows(tmp_path):
    add_records(2)
    few = backup_queries(tmp_path / "few.tar.gz")
    add_records(10)
    many = backup_queries(tmp_path / "many.tar.gz")
    assert many == few


def long_sources(count):
    Source.objects.bulk_create(
        Source(slug=f"long-{n}", title=f"Long source {n}", kind="news_report", notes=LONG_NOTES)
        for n in range(count)
    )


def peak_memory(function, *args, **kwargs):
    """What ``function`` allocates at its peak beyond what was allocated before, in bytes."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        function(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_backup_writes_rows_as_it_reads_them(tmp_path, monkeypatch):
    long_sources(3000)
    monkeypatch.setattr(rows, "CHUNK_ROWS", 20)
    path = tmp_path / backups.DATA
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        peak = peak_memory(rows.write_rows, stream, using=DEFAULT_DB_ALIAS)
    size = path.stat().st_size
    assert size > 3000 * len(LONG_NOTES)
    # Holding every row, or the whole text, would take more than the file's size.
    assert peak < size / 4


def test_restore_loads_the_rows_a_batch_of_bounded_size_at_a_time(tmp_path):
    long_sources(3000)
    path = tmp_path / backups.DATA
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        rows.write_rows(stream, using=DEFAULT_DB_ALIAS)
    # Loaded as a restore loads them: into a database emptied first.
    empty_database(DEFAULT_DB_ALIAS)
    assert not Source.objects.exists()
    size = path.stat().st_size

    with open(path, encoding="utf-8", newline="\n") as lines:
        peak = peak_memory(rows.load_rows, lines, using=DEFAULT_DB_ALIAS)

    assert set(Source.objects.values_list("notes", flat=True)) == {LONG_NOTES}
    # Reading the whole member at once would take at least its size as text, and several
    # times it as parsed JSON. A batch's rows, with the database driver's buffers, peaked at
    # 0.20-0.26 of the size on PostgreSQL (0.26 in a whole run of the suite): half leaves
    # them room and still tells the two apart.
    assert peak < size / 2


def rewrite_rows(archive, target, change):
    """Copy ``archive`` with its rows changed by ``change(bytes) -> bytes`` and its manifest
    made to match, as a hand-edited archive would be."""
    with tarfile.open(archive) as source:
        contents = {member.name: source.extractfile(member).read() for member in source}
    contents[backups.DATA] = change(contents[backups.DATA])
    manifest = json.loads(contents[backups.MANIFEST])
    data = target.with_suffix(".rows")
    data.write_bytes(contents[backups.DATA])
    manifest["files"][backups.DATA] = describe(data)
    contents[backups.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, content in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))
    return target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.replace(b"\n", b"\n{not json\n", 1), r"Line 2 of data\.jsonl"),
        (lambda data: data + b'["a list"]\n', r"is not a serialized row"),
        (
            lambda data: data + b'{"model": "heritage.nothing", "pk": 1, "fields": {}}\n',
            r"could not be loaded \(line \d+ of data\.jsonl\)",
        ),
        # A row given twice: the batch of rows it is inserted with is named.
        (
            lambda data: data + data.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n",
            r"could not be loaded \(lines \d+ to \d+ of data\.jsonl\)",
        ),
    ],
)
def test_restore_names_the_line_it_cannot_load_and_changes_nothing(tmp_path, change, message):
    site = factories.SiteFactory(name="Before")
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Site.objects.filter(pk=site.pk).update(name="After the backup")
    edited = rewrite_rows(archive, tmp_path / "edited.tar.gz", change)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(edited), interactive=False)

    assert Site.objects.get().name == "After the backup"


def test_an_archive_of_the_earlier_format_is_refused_with_an_explanation(tmp_path):
    site = factories.SiteFactory(name="Kept")
    rows_json = json.dumps([{"model": "heritage.site", "pk": site.pk, "fields": {}}]).encode()
    manifest = {
        "format": "heritage-register-backup",
        "version": 1,
        "migrations": [],
        "records": {"heritage.site": 1},
        "files": {"data.json": {"bytes": len(rows_json), "sha256": "0" * 64}},
    }
    archive = tmp_path / "old.tar.gz"
    members = [("manifest.json", json.dumps(manifest).encode()), ("data.json", rows_json)]
    with tarfile.open(archive, "w:gz") as out:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))

    with pytest.raises(CommandError, match=r"earlier release.*format version 1.*JSON Lines"):
        call_command("restore", str(archive), interactive=False)
    assert Site.objects.get().name == "Kept"


def references():
    return [
        list(SiteName.objects.order_by("pk").values_list("pk", "site_id")),
        list(Assessment.objects.order_by("pk").values_list("pk", "site_id", "overall_condition")),
        list(Disturbance.objects.order_by("pk").values_list("pk", "assessment_id", "cause_type")),
    ]


@pytest.mark.parametrize("known_keys", [1, 3, rows.KNOWN_KEYS])
def test_restore_puts_back_every_reference_however_few_keys_it_remembers(
    tmp_path, monkeypatch, known_keys
):
    add_records(4)
    before = references()
    archive = tmp_path / "register.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    monkeypatch.setattr(rows, "KNOWN_KEYS", known_keys)

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    assert references() == before
