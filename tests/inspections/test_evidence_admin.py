"""Uploading evidence in the admin: checks, duplicates, EXIF defaults, warnings, review."""

import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from heritage.base import PublicationStatus
from heritage.models import Site
from inspections.models import Evidence
from inspections.tasks import render_photos
from tests.admin_forms import admin_url, messages_of, page_data, post_page
from tests.factories import (
    AssessmentFactory,
    SiteFactory,
    SourceFactory,
    VisitFactory,
)
from tests.inspections.images import (
    FAR,
    NEAR,
    exif_block,
    image_bytes,
    pdf_bytes,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

ADD_URL = admin_url(Evidence, "add")
PUBLISHED = PublicationStatus.PUBLISHED


def add_form(client, **params):
    """The add page's form data as a browser posts it, with the subject chosen by ``params``."""
    return page_data(client.get(ADD_URL, params))


def upload_evidence(client, data, name="photo.jpg", **fields):
    subjects = ("site", "assessment", "visit", "source")
    subject = {key: fields.pop(key) for key in subjects if key in fields}
    form = add_form(client, **{key: value.pk for key, value in subject.items()})
    form.update({"upload": upload(data, name), "credit": "A. Photographer", **fields})
    return client.post(ADD_URL, form)


def test_editor_uploads_a_photo_and_the_file_facts_are_recorded(editor_client):
    site = SiteFactory(latitude=NEAR[0], longitude=NEAR[1], location_precision="exact")
    data = image_bytes(exif=exif_block(taken="2021:01:12 10:15:00", make="Canon", gps=NEAR))

    response = upload_evidence(editor_client, data, "IMG 0001.jpg", site=site)

    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.site == site
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.original_name == "IMG 0001.jpg"
    assert item.captured_on == datetime.date(2021, 1, 12)
    assert item.uploaded_by.groups.filter(name="Editor").exists()
    assert item.publication_status == PublicationStatus.DRAFT
    assert item.thumbnail
    assert item.web
    assert "IMG" not in "".join(stored_files())
    warnings = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == []


def test_change_page_shows_hash_camera_and_gps_to_staff(editor_client):
    site = SiteFactory()
    data = image_bytes(exif=exif_block(make="Nikon", model="D750", gps=NEAR))
    upload_evidence(editor_client, data, site=site)
    item = Evidence.objects.get()

    html = editor_client.get(admin_url(Evidence, "change", item.pk)).content.decode()

    assert item.sha256 in html
    assert "Nikon D750" in html
    assert "39.600000, 47.150000" in html
    assert 'name="upload"' not in html  # the original is never replaced


def test_gps_far_from_the_site_gives_a_warning_but_saves(editor_client):
    site = SiteFactory(latitude=NEAR[0], longitude=NEAR[1], location_precision="exact")

    response = upload_evidence(editor_client, image_bytes(exif=exif_block(gps=FAR)), site=site)

    assert Evidence.objects.count() == 1
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "km from the site's coordinates" in warnings[0]
    assert "30." in warnings[0] or "29." in warnings[0]


def test_gps_of_an_assessment_photo_is_checked_against_the_assessed_site(editor_client):
    site = SiteFactory(latitude=NEAR[0], longitude=NEAR[1], location_precision="exact")
    assessment = AssessmentFactory(site=site)

    response = upload_evidence(
        editor_client, image_bytes(exif=exif_block(gps=FAR)), assessment=assessment
    )

    assert Evidence.objects.get().assessment == assessment
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("km from the site's coordinates" in m for m in messages)


def test_duplicate_upload_points_to_the_existing_item(editor_client):
    site = SiteFactory()
    data = image_bytes()
    upload_evidence(editor_client, data, site=site)
    existing = Evidence.objects.get()
    before = stored_files()

    response = upload_evidence(editor_client, data, "same-again.jpg", site=SiteFactory())

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["upload"]
    assert "already in the register" in errors[0]
    assert admin_url(Evidence, "change", existing.pk) in errors[0]
    assert Evidence.objects.count() == 1
    assert stored_files() == before


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "web page"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.png", "SVG"),
        (image_bytes(size=(300, 200))[:400], "photo.jpg", "truncated"),
        (b"%PDF-1.7 but nothing else", "copy.pdf", "not a PDF"),
    ],
)
def test_bad_file_is_refused_on_the_form_and_nothing_is_stored(editor_client, data, name, words):
    response = upload_evidence(editor_client, data, name, site=SiteFactory())

    assert response.status_code == 200
    assert words in response.context["adminform"].form.errors["upload"][0]
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_file_over_the_limit_is_refused(editor_client, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 500

    response = upload_evidence(editor_client, image_bytes(size=(300, 300)), site=SiteFactory())

    assert "files up to 500" in response.context["adminform"].form.errors["upload"][0]
    assert stored_files() == []


def test_a_file_is_required_and_one_subject_only(editor_client):
    form = add_form(editor_client, site=SiteFactory().pk)
    form["visit"] = VisitFactory().pk

    response = editor_client.post(ADD_URL, form)

    errors = response.context["adminform"].form.errors
    assert "upload" in errors
    assert not Evidence.objects.exists()

    form["upload"] = upload(image_bytes())
    response = editor_client.post(ADD_URL, form)

    errors = str(response.context["adminform"].form.errors)
    assert "exactly one site, assessment, visit or source" in errors
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_photo_needs_alt_text_before_it_is_published(reviewer_client):
    upload_evidence(reviewer_client, image_bytes(), site=SiteFactory(published=True))
    item = Evidence.objects.get()
    url = admin_url(Evidence, "change", item.pk)

    response = post_page(reviewer_client, url, {"publication_status": PUBLISHED})
    item.refresh_from_db()

    assert item.publication_status != PUBLISHED
    page = response.content.decode() if response.status_code == 200 else ""
    assert "alt text" in page + " ".join(messages_of(response))

    post_page(reviewer_client, url, {"publication_status": PUBLISHED, "alt_text": "The hall"})
    item.refresh_from_db()
    assert item.publication_status == PUBLISHED


@pytest.mark.parametrize(
    ("role", "data", "name", "alt_text", "expected"),
    [
        ("reviewer", pdf_bytes(), "copy.pdf", "", PUBLISHED),
        ("editor", image_bytes(), "photo.jpg", "x", PublicationStatus.DRAFT),
    ],
    ids=["reviewer-publishes-a-document-without-alt-text", "editor-cannot-publish"],
)
def test_only_reviewers_publish_evidence(request, role, data, name, alt_text, expected):
    client = request.getfixturevalue(f"{role}_client")
    upload_evidence(client, data, name, site=SiteFactory(published=True), alt_text=alt_text)
    item = Evidence.objects.get()

    post_page(client, admin_url(Evidence, "change", item.pk), {"publication_status": PUBLISHED})

    item.refresh_from_db()
    assert item.publication_status == expected


@pytest.mark.parametrize(
    ("model", "factory", "field"),
    [
        (Site, SiteFactory, "site"),
        (AssessmentFactory._meta.model, AssessmentFactory, "assessment"),
        (VisitFactory._meta.model, VisitFactory, "visit"),
        (SourceFactory._meta.model, SourceFactory, "source"),
    ],
)
def test_subject_page_lists_its_evidence_with_an_add_link(editor_client, model, factory, field):
    record = factory()
    upload_evidence(editor_client, image_bytes(), **{field: record}, caption="West wall")

    html = editor_client.get(admin_url(model, "change", record.pk)).content.decode()

    assert "West wall" in html
    assert f"{ADD_URL}?{field}={record.pk}" in html


def test_staff_preview_of_an_unpublished_photo_is_served_privately(editor_client):
    upload_evidence(editor_client, image_bytes(), site=SiteFactory())
    item = Evidence.objects.get()

    response = editor_client.get(f"/evidence/{item.pk}/thumbnail")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, no-store"
    assert default_storage.exists(item.thumbnail.name)


def test_caption_translations_are_entered_inline(editor_client):
    upload_evidence(editor_client, image_bytes(), site=SiteFactory(), caption="West wall")
    item = Evidence.objects.get()
    url = admin_url(Evidence, "change", item.pk)

    post_page(
        editor_client,
        url,
        {
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "az",
            "translations-0-caption": "Qərb divarı",
            "translations-0-alt_text": "Məscidin qərb divarı",
        },
    )

    assert item.translations.get().caption == "Qərb divarı"


# A large photo's renditions are made by the worker, after the upload's request.


def test_a_large_photo_is_rendered_by_a_background_job(
    editor_client, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_BACKGROUND_PIXELS = 60 * 40 - 1
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_evidence(editor_client, image_bytes(size=(60, 40)), site=SiteFactory())

    assert response.status_code == 302
    item = Evidence.objects.get()
    # Stored and saved, but not rendered in the request: the job is queued for the worker.
    assert not item.thumbnail
    assert not item.web
    assert [name for name in stored_files() if "renditions" in name] == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "inspections.tasks.render_photos"
    assert queued.args_kwargs["args"] == [[item.pk]]
    assert "in the background" in " ".join(messages_of(response))
    page = editor_client.get(admin_url(Evidence, "change", item.pk))
    assert "The preview is being prepared" in page.content.decode()
    assert editor_client.get(f"/evidence/{item.pk}/thumbnail").status_code == 404

    assert render_photos.call([item.pk]) == {}

    item.refresh_from_db()
    assert item.thumbnail
    assert item.web
    assert default_storage.exists(item.web.name)
    page = editor_client.get(admin_url(Evidence, "change", item.pk)).content.decode()
    assert "The preview is being prepared" not in page
    assert f"/evidence/{item.pk}/thumbnail" in page
    assert editor_client.get(f"/evidence/{item.pk}/thumbnail").status_code == 200


def test_a_photo_within_the_limit_is_rendered_at_once_and_nothing_is_queued(editor_client):
    upload_evidence(editor_client, image_bytes(size=(60, 40)), site=SiteFactory())

    assert Evidence.objects.get().thumbnail
    assert not DBTaskResult.objects.exists()
