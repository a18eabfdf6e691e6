"""Checking uploaded files, reading their EXIF data and making public renditions."""

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from inspections.evidence import checks as files
from inspections.evidence import storage as services
from inspections.models import Evidence, EvidenceKind
from tests.factories import SiteFactory, UserFactory
from tests.inspections.images import (
    NEAR,
    exif_block,
    image_bytes,
    pdf_bytes,
    stored_files,
    two_colour_image,
    upload,
)


@pytest.mark.parametrize(
    ("format", "name", "expected"),
    [
        ("JPEG", "a.jpg", "JPEG"),
        ("PNG", "a.png", "PNG"),
        ("WEBP", "a.webp", "WEBP"),
        ("TIFF", "a.tif", "TIFF"),
    ],
)
def test_accepted_images_are_described_by_their_content(format, name, expected):
    data = image_bytes(format, size=(30, 20))

    facts = files.inspect(upload(data, name))

    assert facts.format == expected
    assert (facts.width, facts.height) == (30, 20)
    assert facts.size == len(data)
    assert facts.sha256 == hashlib.sha256(data).hexdigest()


def test_format_comes_from_the_content_not_the_name():
    facts = files.inspect(upload(image_bytes("PNG"), "looks-like.jpg"))

    assert facts.format == "PNG"
    assert facts.extension == "png"


def test_pdf_is_accepted_as_a_document():
    data = pdf_bytes()

    facts = files.inspect(upload(data, "copy.pdf", "application/pdf"))

    assert facts.format == "PDF"
    assert not facts.is_image
    assert facts.sha256 == hashlib.sha256(data).hexdigest()


def test_exif_capture_time_camera_orientation_and_gps_are_read():
    exif = exif_block(
        taken="2021:01:12 10:15:00",
        make="Canon",
        model="Canon EOS 5D",
        orientation=6,
        gps=NEAR,
    )

    facts = files.inspect(upload(image_bytes(exif=exif)))

    assert facts.camera_time == "2021-01-12T10:15:00"
    assert facts.captured_on == datetime.date(2021, 1, 12)
    assert facts.camera == "Canon EOS 5D"
    assert facts.orientation == 6
    assert facts.gps_latitude == Decimal("39.600000")
    assert facts.gps_longitude == Decimal("47.150000")


def test_southern_and_western_gps_positions_are_negative():
    facts = files.inspect(upload(image_bytes(exif=exif_block(gps=(-33.5, -70.25)))))

    assert (facts.gps_latitude, facts.gps_longitude) == (Decimal("-33.5"), Decimal("-70.25"))


def test_photo_without_exif_has_empty_metadata():
    facts = files.inspect(upload(image_bytes("PNG"), "a.png"))

    assert facts.camera_time == ""
    assert facts.captured_on is None
    assert facts.gps_latitude is None
    assert facts.orientation is None


def test_malformed_exif_date_is_ignored():
    facts = files.inspect(upload(image_bytes(exif=exif_block(taken="0000:00:00 00:00:00"))))

    assert facts.captured_on is None
    assert facts.camera_time == ""


# Bad files: each is refused with a message that names the problem.


def html_file():
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (html_file(), "photo.jpg", "markup", "web page"),
        (b"#!/bin/sh\nrm -rf /\n", "photo.png", "markup", "script"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "drawing.png",
            "markup",
            "SVG",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "a.jpg", "markup", "SVG"),
        (b"just some text that is not an image", "a.jpg", "not_an_image", "not an image"),
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "copy.pdf", "bad_pdf", "truncated or not a PDF"),
        (b"", "empty.jpg", "empty", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(data, name, code, words):
    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data, name))

    assert error.value.code == code
    assert words in error.value.messages[0]


def test_truncated_jpeg_is_refused():
    data = image_bytes(size=(400, 300))

    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data[: len(data) // 2]))

    assert error.value.code == "broken_image"
    assert "truncated" in error.value.messages[0]


def test_image_over_the_pixel_limit_is_refused_before_it_is_decoded(settings):
    settings.EVIDENCE_MAX_PIXELS = 100 * 100
    data = image_bytes("PNG", size=(101, 100))

    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data, "big.png"))

    assert error.value.code == "too_many_pixels"
    assert "101 × 100" in error.value.messages[0]


def test_decompression_bomb_is_refused(monkeypatch):
    # Pillow's own limit, far below our setting: the bomb is caught when the file is opened.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)
    data = image_bytes("PNG", size=(200, 200))

    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data, "bomb.png"))

    assert error.value.code == "too_many_pixels"


def test_file_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    data = image_bytes("PNG", size=(200, 200), compress_level=0)
    assert len(data) > 1000

    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data, "a.png"))

    assert error.value.code == "too_large"
    assert "1000" in error.value.messages[0] or "KB" in error.value.messages[0]


@pytest.mark.parametrize(("format", "name"), [("GIF", "a.gif"), ("BMP", "a.bmp")])
def test_unsupported_image_formats_are_refused(format, name):
    image = two_colour_image()
    data = image_bytes(format, image=image.convert("P") if format == "GIF" else image)

    with pytest.raises(ValidationError) as error:
        files.inspect(upload(data, name))

    assert error.value.code == "unsupported_format"
    assert format in error.value.messages[0]


# Renditions


def reopen(data):
    return Image.open(io.BytesIO(data))


def test_renditions_carry_no_exif_and_no_gps():
    exif = exif_block(taken="2021:01:12 10:15:00", make="Canon", model="X", gps=NEAR)
    source = image_bytes(exif=exif, size=(80, 60))

    data, _width, _height = files.render(source, 480)
    rendition = reopen(data)

    assert rendition.format == "WEBP"
    assert not rendition.getexif()
    assert rendition.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in rendition.info
    assert "xmp" not in rendition.info
    assert b"Canon" not in data


def test_renditions_are_turned_upright_by_the_exif_orientation():
    # Orientation 6: the camera was turned a quarter clockwise; the left edge is the top.
    source = image_bytes(exif=exif_block(orientation=6), size=(60, 40), quality=95)

    data, width, height = files.render(source, 480)
    rendition = reopen(data).convert("RGB")

    assert (width, height) == (40, 60) == rendition.size
    top, bottom = rendition.getpixel((20, 5)), rendition.getpixel((20, 55))
    assert top[0] > 150 > top[2]  # red, the original's left half
    assert bottom[2] > 150 > bottom[0]  # blue, the original's right half


def test_renditions_are_reduced_but_never_enlarged():
    source = image_bytes(size=(2000, 1000))

    _data, width, height = files.render(source, 480)
    _data, small_width, small_height = files.render(image_bytes(size=(60, 40)), 480)

    assert (width, height) == (480, 240)
    assert (small_width, small_height) == (60, 40)


def test_transparency_is_kept_in_renditions():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))

    data, _width, _height = files.render(image_bytes("PNG", image=image), 480)

    assert reopen(data).convert("RGBA").getpixel((10, 10))[3] == 0


# Storing


@pytest.mark.django_db
def test_original_is_stored_untouched_under_its_hash_with_renditions():
    site = SiteFactory()
    data = image_bytes(exif=exif_block(gps=NEAR))

    item = services.evidence_create(
        upload=upload(data, "../../etc/passwd.jpg"), site=site, alt_text="The mosque"
    )

    sha = hashlib.sha256(data).hexdigest()
    assert item.sha256 == sha
    assert item.original.name == f"evidence/originals/{sha[:2]}/{sha}.jpg"
    with default_storage.open(item.original.name, "rb") as stored:
        assert stored.read() == data
    assert item.original_name == "passwd.jpg"
    assert item.kind == EvidenceKind.PHOTO
    assert stored_files() == sorted(
        [
            item.original.name,
            f"evidence/renditions/{sha[:2]}/{sha}-thumbnail.webp",
            f"evidence/renditions/{sha[:2]}/{sha}-web.webp",
        ]
    )
    rendition = Evidence.objects.get(pk=item.pk)
    assert rendition.thumbnail_width == 60
    assert not reopen(default_storage.open(rendition.web.name).read()).getexif()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "exif", "from_file", "given"),
    [
        (
            "captured_on",
            {"taken": "2021:01:12 10:15:00"},
            datetime.date(2021, 1, 12),
            datetime.date(2021, 1, 13),
        ),
        ("credit", {"artist": "Rauf Mammadov"}, "Rauf Mammadov", "ICESCO"),
    ],
    ids=["capture-date-from-the-camera", "credit-from-the-author"],
)
def test_a_field_defaults_to_what_the_exif_says_but_a_given_value_wins(
    field, exif, from_file, given
):
    site = SiteFactory()
    block = exif_block(**exif)

    read = services.evidence_create(upload=upload(image_bytes(exif=block)), site=site)
    chosen = services.evidence_create(
        upload=upload(image_bytes(exif=block, size=(61, 40))), site=site, **{field: given}
    )

    assert getattr(read, field) == from_file
    assert getattr(chosen, field) == given
    # The file's own facts are kept as read.
    assert chosen.camera_time == read.camera_time


@pytest.mark.django_db
def test_same_file_twice_is_refused_and_nothing_more_is_stored():
    site = SiteFactory()
    data = image_bytes()
    first = services.evidence_create(upload=upload(data), site=site)
    before = stored_files()

    with pytest.raises(ValidationError) as error:
        services.evidence_create(upload=upload(data, "copy.jpg"), site=site)

    assert error.value.code == "duplicate"
    assert str(first.pk) in error.value.messages[0]
    assert Evidence.objects.count() == 1
    assert stored_files() == before


def some_site():
    return {"site": SiteFactory()}


def no_subject():
    """No subject: the record is invalid after the file was checked and stored."""
    return {"user": UserFactory()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "subject"),
    [
        pytest.param(html_file(), some_site, id="web-page"),
        pytest.param(b"%PDF-1.4 no end", some_site, id="broken-pdf"),
        pytest.param(image_bytes(size=(300, 300))[:500], some_site, id="truncated-image"),
        pytest.param(image_bytes(), no_subject, id="good-file-of-an-invalid-record"),
    ],
)
def test_a_refused_upload_leaves_nothing_in_storage_or_database(data, subject):
    with pytest.raises(ValidationError):
        services.evidence_create(upload=upload(data), **subject())

    assert stored_files() == []
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_stored_original_is_never_replaced():
    data = image_bytes()
    sha = hashlib.sha256(data).hexdigest()
    name = f"evidence/originals/{sha[:2]}/{sha}.jpg"
    default_storage.save(name, io.BytesIO(b"something else"))

    with pytest.raises(ValidationError):
        services.evidence_create(upload=upload(data), site=SiteFactory())

    assert default_storage.open(name).read() == b"something else"
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_pdf_is_stored_without_renditions():
    data = pdf_bytes()

    item = services.evidence_create(
        upload=upload(data, "copy.pdf", "application/pdf"), site=SiteFactory()
    )

    assert item.kind == EvidenceKind.DOCUMENT
    assert item.media_type == "application/pdf"
    assert not item.thumbnail
    assert stored_files() == [item.original.name]
    assert item.original.name.endswith(".pdf")
