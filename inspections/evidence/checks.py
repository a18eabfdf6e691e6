"""Checking, describing and rendering evidence files with Pillow.

An uploaded file is read once, here, before anything is stored: its format is taken from
its content (never from its name or the browser's word), images are decoded in full so that
a truncated or forged file is refused, and the pixel count is checked against
``EVIDENCE_MAX_PIXELS`` before decoding so that a decompression bomb is refused without being
expanded. What the file says about itself (EXIF capture time, camera, orientation, GPS) is
read from the original; the public renditions are new images made from its pixels, turned
upright, with no metadata at all.

Nothing here touches the database; :mod:`inspections.evidence.storage` stores files and rows.
"""

import datetime
import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from heritage import checksums


class FileFormat(NamedTuple):
    """How files of one format are named and served."""

    extension: str
    media_type: str


class RenditionFormat(NamedTuple):
    """The format of the public renditions: Pillow's name for it, and how files are named
    and served."""

    pillow_format: str
    extension: str
    media_type: str


#: Formats accepted, as Pillow names them.
IMAGE_FORMATS = {
    "JPEG": FileFormat("jpg", "image/jpeg"),
    "PNG": FileFormat("png", "image/png"),
    "WEBP": FileFormat("webp", "image/webp"),
    "TIFF": FileFormat("tif", "image/tiff"),
}
PDF_FORMAT = "PDF"
FORMATS = {**IMAGE_FORMATS, PDF_FORMAT: FileFormat("pdf", "application/pdf")}

#: The renditions the public sees: name -> longest side in pixels. Never larger than the original.
RENDITION_SIZES = {"thumbnail": 480, "web": 1600}
RENDITION_FORMAT = RenditionFormat("WEBP", "webp", "image/webp")


@dataclass
class FileFacts:
    """What an accepted file is: recorded on the evidence item at upload."""

    sha256: str
    size: int
    format: str
    width: int | None = None
    height: int | None = None
    camera_time: str = ""
    captured_on: object = None
    camera: str = ""
    author: str = ""
    orientation: int | None = None
    gps_latitude: Decimal | None = None
    gps_longitude: Decimal | None = None

    @property
    def extension(self):
        return FORMATS[self.format].extension

    @property
    def is_image(self):
        return self.format in IMAGE_FORMATS


def max_upload_bytes():
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


def max_pixels():
    return settings.EVIDENCE_MAX_PIXELS


def read_all(upload):
    """The whole content of an uploaded file, from its start."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def inspect(upload):
    """Check an uploaded file and describe it, or raise ``ValidationError`` saying why not.

    Refused: an empty file, a file over ``EVIDENCE_MAX_UPLOAD_BYTES``, a file whose content
    is neither a JPEG, PNG, WebP or TIFF image nor a PDF (whatever its name says), a PDF
    without its header or end marker, an image that cannot be decoded in full (truncated or
    corrupt), and an image of more than ``EVIDENCE_MAX_PIXELS`` pixels.
    """
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return inspect_pdf(upload, size)
    if looks_like_markup(head):
        raise ValidationError(
            _(
                "The file is a web page, script or SVG drawing, not a photo or a PDF. "
                "Upload a JPEG, PNG, WebP or TIFF image, or a PDF."
            ),
            code="markup",
        )
    return inspect_image(upload, size)


def looks_like_markup(head):
    """Whether the first bytes of a file are text markup (HTML, XML, SVG) or a script."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<", b"#!", b"<?xml", b"<svg", b"<!doctype"))


def inspect_pdf(upload, size):
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("The file starts like a PDF but has no end marker: it is truncated or not a PDF."),
            code="bad_pdf",
        )
    return FileFacts(sha256=checksums.sha256(upload), size=size, format=PDF_FORMAT)


def open_image(source):
    """Open an image lazily, turning Pillow's decompression-bomb signals into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(source)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many_pixels() from error


def too_many_pixels(width=None, height=None):
    if width and height:
        message = _(
            "The image is %(width)s × %(height)s pixels; images up to %(limit)s million "
            "pixels are accepted."
        ) % {"width": width, "height": height, "limit": round(max_pixels() / 1_000_000, 1)}
    else:
        message = _(
            "The image has more pixels than the %(limit)s million accepted (a "
            "decompression bomb, or a scan to reduce first)."
        ) % {"limit": round(max_pixels() / 1_000_000, 1)}
    return ValidationError(message, code="too_many_pixels")


def not_an_image():
    return ValidationError(
        _(
            "The file is not an image in a format the register accepts (JPEG, PNG, WebP, "
            "TIFF) nor a PDF, whatever its name says."
        ),
        code="not_an_image",
    )


def broken_image(format=None):
    what = _("The %(format)s image") % {"format": format} if format else _("The image")
    return ValidationError(
        _(
            "%(what)s cannot be read to its end: the file is truncated or damaged. Upload it "
            "again from the original."
        )
        % {"what": what},
        code="broken_image",
    )


def inspect_image(upload, size):
    data = read_all(upload)
    try:
        image = open_image(io.BytesIO(data))
    except UnidentifiedImageError as error:
        raise not_an_image() from error
    except (OSError, SyntaxError, ValueError, struct.error) as error:
        raise broken_image() from error
    with image:
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(
                _(
                    "%(format)s images are not accepted. Upload a JPEG, PNG, WebP or TIFF "
                    "image, or a PDF."
                )
                % {"format": image.format},
                code="unsupported_format",
            )
        width, height = image.size
        if width * height > max_pixels():
            raise too_many_pixels(width, height)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, struct.error) as error:
            raise broken_image(image.format) from error
        facts = FileFacts(
            sha256=hashlib.sha256(data).hexdigest(),
            size=size,
            format=image.format,
            width=width,
            height=height,
        )
        read_exif(image, facts)
    return facts


def read_exif(image, facts):
    """Fill in what the image's EXIF says: capture time, camera, author, orientation, GPS.

    Values that are missing or malformed are left empty; a photo without EXIF is normal.
    """
    try:
        exif = image.getexif()
    except Exception:  # any broken EXIF block is as good as none
        return
    if not exif:
        return
    details = exif.get_ifd(ExifTags.IFD.Exif)
    stamp = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    facts.camera_time, facts.captured_on = parse_exif_time(stamp)
    make = clean_text(exif.get(ExifTags.Base.Make))
    model = clean_text(exif.get(ExifTags.Base.Model))
    if make and model.lower().startswith(make.lower()):
        make = ""
    facts.camera = " ".join(part for part in (make, model) if part)[:200]
    facts.author = clean_text(exif.get(ExifTags.Base.Artist))[:300]
    orientation = exif.get(ExifTags.Base.Orientation)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        facts.orientation = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude = gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = gps_degrees(
        gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)
    )
    if None not in (latitude, longitude) and abs(latitude) <= 90 and abs(longitude) <= 180:
        facts.gps_latitude, facts.gps_longitude = latitude, longitude


def clean_text(value):
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())


def parse_exif_time(value):
    """EXIF's "YYYY:MM:DD HH:MM:SS" as (ISO text without a zone, date), or ("", None)."""
    text = clean_text(value)
    try:
        moment = datetime.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return "", None
    # The camera's clock has no time zone: kept as written, never converted.
    return moment.isoformat(), moment.date()


def gps_degrees(value, reference):
    """EXIF's (degrees, minutes, seconds) and N/S/E/W as signed decimal degrees."""
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(part) for part in (degrees, minutes, seconds)):
        return None
    total = degrees + minutes / 60 + seconds / 3600
    if clean_text(reference).upper() in {"S", "W"}:
        total = -total
    return Decimal(str(total)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance between two points in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def render(source, longest_side):
    """A public rendition of the image in ``source`` (bytes), as (WebP bytes, width, height).

    The image is turned upright by its EXIF orientation, reduced (never enlarged) to fit
    ``longest_side``, and rebuilt from its pixels so that no EXIF, GPS, XMP or comment of
    the original survives. Colour stays as the original's profile gives it.
    """
    with open_image(io.BytesIO(source)) as original:
        if original.width * original.height > max_pixels():
            raise too_many_pixels(original.width, original.height)
        original.seek(0)
        upright = ImageOps.exif_transpose(original)
        icc_profile = original.info.get("icc_profile")
    transparent = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    mode = "RGBA" if transparent else "RGB"
    pixels = upright.convert(mode)
    pixels.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    options = {"quality": 82, "method": 4}
    if icc_profile:
        options["icc_profile"] = icc_profile
    clean.save(buffer, RENDITION_FORMAT.pillow_format, **options)
    return buffer.getvalue(), clean.width, clean.height
