"""How an import's file is kept: in the database (so any app server and any worker reads
it), in pieces written one by one from the upload and read back a part of a piece at a time,
so that neither the upload nor the job ever holds the whole file; and dropped once the job
has ended."""

import gc
import io
import random
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django_tasks_db.models import DBTaskResult

from heritage.imports import engine, files
from heritage.imports.engine import check_file
from heritage.imports.files import open_stored
from heritage.imports.jobs import read_dataset
from heritage.imports.resources import SiteResource, repeated_rows
from heritage.models import ImportFilePiece, ImportJob, ImportStatus, Site
from heritage.models import jobs as job_models
from tests.admin_forms import admin_url
from tests.factories import PlaceFactory, UserFactory
from tests.heritage.imports import (
    FORMAT,
    confirm,
    csv_upload,
    preview,
    problems,
    xlsx_bytes,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

HEADER = "slug,name,category,place,names"
PIECE = 1000


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a kilobyte, read through a buffer that does not fit them (300 bytes)."""
    monkeypatch.setattr(job_models, "PIECE_SIZE", PIECE)
    monkeypatch.setattr(files, "CHUNK_SIZE", 300)


def site_rows(count):
    return [[f"site-{n}", f"Site {n}", "mosque", "fuzuli", f"az:Məscid {n}"] for n in range(count)]


def csv_text(count):
    return "\n".join([HEADER] + [",".join(row) for row in site_rows(count)]) + "\n"


def upload(client, file, file_format):
    return client.post(
        admin_url(Site, "import"),
        {"resource": "0", "format": FORMAT[file_format], "import_file": file},
    )


def stored_pieces(job):
    return [bytes(data) for data in job.pieces.order_by("number").values_list("data", flat=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_upload_is_stored_in_pieces_and_read_back_byte_for_byte(
    admin_client, small_pieces, file_format
):
    if file_format == "csv":
        content = csv_text(120).encode()
        file = csv_upload(content.decode())
    else:
        # One workbook: two built a second apart differ in the times their zip records.
        content = xlsx_bytes([HEADER.split(","), *site_rows(300)])
        file = SimpleUploadedFile("records.xlsx", content)
    assert len(content) > 5 * PIECE

    assert upload(admin_client, file, file_format).status_code == 302

    job = ImportJob.objects.get()
    pieces = stored_pieces(job)
    assert len(pieces) == -(-len(content) // PIECE)
    assert all(len(piece) == PIECE for piece in pieces[:-1])
    assert b"".join(pieces) == content
    stream = open_stored(job.pk)
    assert stream.read() == content
    # Read at random places, across the pieces' ends, as a workbook's zip archive is read.
    spots = random.Random(7)
    for _ in range(50):
        start, length = spots.randrange(len(content)), spots.randrange(1, 3 * PIECE)
        stream.seek(start)
        assert stream.read(length) == content[start : start + length]
    stream.seek(-10, io.SEEK_END)
    assert stream.read() == content[-10:]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_of_many_pieces_is_previewed_and_imported_and_then_dropped(
    admin_client, small_pieces, file_format
):
    PlaceFactory(slug="fuzuli")
    if file_format == "csv":
        file = csv_upload(csv_text(600))
    else:
        file = xlsx_upload([HEADER.split(","), *site_rows(600)])

    response = preview(admin_client, Site, file)

    assert response.context["job"].status == ImportStatus.READY, problems(response)
    assert response.context["job"].pieces.count() > 10
    response = confirm(admin_client, Site, response)
    assert response.context["job"].status == ImportStatus.DONE, problems(response)
    assert Site.objects.count() == 600
    assert not ImportFilePiece.objects.exists()


def test_a_refused_file_is_dropped(admin_client, small_pieces):
    response = preview(admin_client, Site, csv_upload(csv_text(200)))

    assert response.context["job"].status == ImportStatus.REFUSED
    assert not ImportFilePiece.objects.exists()


def test_an_upload_that_fails_part_way_leaves_no_job_and_no_piece(
    admin_client, small_pieces, monkeypatch
):
    save = ImportFilePiece.save

    def fail_on_the_third_piece(piece, *args, **kwargs):
        if piece.number == 2:
            raise DatabaseError("disk full")
        return save(piece, *args, **kwargs)

    monkeypatch.setattr(ImportFilePiece, "save", fail_on_the_third_piece)

    response = upload(admin_client, csv_upload(csv_text(120)), "csv")

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "The file could not be stored (disk full); nothing was kept. Upload it again, or ask "
        "an administrator if this happens again."
    ]
    assert not ImportJob.objects.exists()
    assert not ImportFilePiece.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_empty_upload_is_refused_by_the_form_and_stores_nothing(admin_client):
    response = upload(admin_client, csv_upload(""), "csv")

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert not ImportJob.objects.exists()
    assert not ImportFilePiece.objects.exists()


def test_repeated_rows_names_each_row_that_repeats_an_earlier_key():
    keys = [(1, ("a",)), (2, ("b",)), (3, None), (4, ("a",)), (5, None), (6, ("a",))]

    assert repeated_rows(lambda: iter(keys)) == {4: 1, 6: 1}
    assert repeated_rows(lambda: iter(keys[:3])) == {}


class Colliding(str):
    """A key whose hash every other shares: rows are compared by the keys themselves."""

    def __hash__(self):
        return 7


def test_repeated_rows_tells_keys_with_the_same_hash_apart():
    keys = [(1, (Colliding("a"),)), (2, (Colliding("b"),)), (3, (Colliding("a"),))]

    assert repeated_rows(lambda: iter(keys)) == {3: 1}


def peak_memory_of_checking(rows, user):
    """The most memory (bytes, as Python allocates it) that checking a stored file of
    ``rows`` sites takes beyond what was in use before."""
    job = ImportJob.objects.create(
        model="heritage.site", user=user, file_name="sites.csv", file_format=0
    )
    job.store_file(line.encode() for line in csv_text(rows).splitlines(keepends=True))
    gc.collect()
    tracemalloc.start()
    try:
        outcome = check_file(SiteResource(user=user), read_dataset(job))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.problem_count == 0, outcome.problems[:3]
    return peak


def test_checking_a_file_takes_memory_that_hardly_grows_with_its_rows(monkeypatch):
    """Checking a file held a key of every row twice over (the rows that repeat a slug, and
    those that repeat a name in a place), some 600 bytes a row, and the garbage of every
    batch until Python's own collection came, which grows rarer as memory grows: some 2 kB a
    row. What still grows is a hash of each key and the version of each record the file
    names (for the confirmation). The garbage is collected here after every batch, so that
    both files are measured alike."""
    monkeypatch.setattr(engine, "COLLECT_EVERY", 1)
    PlaceFactory(slug="fuzuli")
    user = UserFactory(is_superuser=True)
    peak_memory_of_checking(100, user)  # warm: the first run imports and caches

    small, large = peak_memory_of_checking(1000, user), peak_memory_of_checking(5000, user)

    assert (large - small) / 4000 < 400
