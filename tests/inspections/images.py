"""Image and PDF files made in the tests (no real photo is needed to test evidence), and
the files the storage holds."""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

#: A position in Fuzuli district, and one about 30 km away.
NEAR = (39.6, 47.15)
FAR = (39.85, 47.3)


def exif_block(*, taken=None, make=None, model=None, orientation=None, gps=None, artist=None):
    """An EXIF block: ``taken`` as "YYYY:MM:DD HH:MM:SS", ``gps`` as (latitude, longitude)."""
    exif = Image.Exif()
    if artist:
        exif[ExifTags.Base.Artist] = artist
    if make:
        exif[ExifTags.Base.Make] = make
    if model:
        exif[ExifTags.Base.Model] = model
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        latitude, longitude = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N" if latitude >= 0 else "S"
        info[ExifTags.GPS.GPSLatitude] = dms(abs(latitude))
        info[ExifTags.GPS.GPSLongitudeRef] = "E" if longitude >= 0 else "W"
        info[ExifTags.GPS.GPSLongitude] = dms(abs(longitude))
    return exif


def dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def two_colour_image(size=(60, 40)):
    """Red on the left half, blue on the right: shows which way an image was turned."""
    width, height = size
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    return image


def image_bytes(format="JPEG", size=(60, 40), exif=None, image=None, **options):
    image = image or two_colour_image(size)
    if format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    if exif is not None:
        options["exif"] = exif
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def pdf_bytes(text="Archived copy"):
    """A small, well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"% {text}\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files():
    """Every file in the default storage, as paths relative to its root."""
    found = []

    def walk(folder):
        try:
            folders, names = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}".lstrip("/") for name in names)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    walk("")
    return sorted(found)
