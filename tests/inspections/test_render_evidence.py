"""``manage.py render_evidence``: renditions made again from the untouched originals."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from inspections.evidence import checks as files
from inspections.evidence import storage as services
from inspections.models import Evidence
from inspections.tasks import render_photos
from tests.factories import SiteFactory
from tests.inspections.images import NEAR, exif_block, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def make(data, **fields):
    return services.evidence_create(upload=upload(data), site=SiteFactory(), **fields)


def test_renditions_are_made_again_and_originals_are_left_alone(monkeypatch):
    data = image_bytes(exif=exif_block(gps=NEAR), size=(900, 600))
    item = make(data)
    default_storage.delete(item.web.name)
    monkeypatch.setitem(files.RENDITION_SIZES, "web", 300)
    out, err = io.StringIO(), io.StringIO()

    call_command("render_evidence", stdout=out, stderr=err)

    item.refresh_from_db()
    assert (item.web_width, item.web_height) == (300, 200)
    assert default_storage.exists(item.web.name)
    assert default_storage.open(item.original.name).read() == data
    assert "Rendered 1 photo." in out.getvalue()
    assert "1/1 photos" in err.getvalue()


def test_documents_are_skipped_and_named_ids_must_be_photos():
    document = make(pdf_bytes())

    with pytest.raises(CommandError, match=f"No evidence photo with the id {document.pk}"):
        call_command("render_evidence", str(document.pk), "--quiet", stdout=io.StringIO())


def test_missing_only_renders_photos_without_renditions():
    complete = make(image_bytes(size=(40, 30)))
    broken = make(image_bytes(size=(41, 30)))
    Evidence.objects.filter(pk=broken.pk).update(web="")
    out = io.StringIO()

    call_command("render_evidence", "--missing", "--quiet", stdout=out)

    assert "Rendered 1 photo." in out.getvalue()
    broken.refresh_from_db()
    assert broken.web
    assert complete.pk != broken.pk


def test_a_missing_original_is_reported_and_the_others_are_rendered():
    lost = make(image_bytes(size=(40, 30)))
    kept = make(image_bytes(size=(42, 30)))
    default_storage.delete(lost.original.name)
    default_storage.delete(kept.web.name)

    with pytest.raises(CommandError, match=f"1 of 2 photos could not be rendered:\n{lost.pk}:"):
        call_command("render_evidence", "--quiet", stdout=io.StringIO())

    assert default_storage.exists(kept.web.name)


def test_background_queues_the_photos_for_a_worker_which_renders_them(monkeypatch):
    item = make(image_bytes(size=(900, 600)))
    default_storage.delete(item.web.name)
    monkeypatch.setitem(files.RENDITION_SIZES, "web", 300)
    out = io.StringIO()

    call_command("render_evidence", "--background", stdout=out)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "inspections.tasks.render_photos"
    assert queued.args_kwargs["args"] == [[item.pk]]
    assert "Queued 1 photo" in out.getvalue()
    item.refresh_from_db()
    assert (item.web_width, item.web_height) != (300, 200)

    assert render_photos.call(*queued.args_kwargs["args"]) == {}
    item.refresh_from_db()
    assert (item.web_width, item.web_height) == (300, 200)
    assert default_storage.exists(item.web.name)
