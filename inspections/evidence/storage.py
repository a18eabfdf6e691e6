"""Storing evidence files: originals by hash, never replaced, and their public renditions.

The admin's form checks an upload with :func:`inspections.evidence.checks.inspect` before
anything is written; :func:`evidence_store_original` then stores it and
:func:`evidence_render` makes its renditions. Files go through Django's default storage
(``STORAGES["default"]``), so a folder or an S3-compatible bucket work alike.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from heritage import checksums
from inspections.evidence import checks
from inspections.models import Evidence, EvidenceKind

#: Storage folders: originals as uploaded, and the renditions made from them.
ORIGINALS_FOLDER = "evidence/originals"
RENDITIONS_FOLDER = "evidence/renditions"


def original_name(facts):
    """Where an original is stored: its hash, never the uploader's file name."""
    return f"{ORIGINALS_FOLDER}/{facts.sha256[:2]}/{facts.sha256}.{facts.extension}"


def rendition_name(sha256, rendition):
    extension = checks.RENDITION_FORMAT.extension
    return f"{RENDITIONS_FOLDER}/{sha256[:2]}/{sha256}-{rendition}.{extension}"


def existing_evidence(sha256):
    """The evidence item that already holds a file with this hash, or None."""
    return (
        Evidence.objects.filter(sha256=sha256)
        .select_related("site", "assessment__site", "visit", "source")
        .first()
    )


def evidence_store_original(*, evidence, upload, facts, user=None):
    """Store ``upload`` as ``evidence``'s original and record what ``facts`` say about it.

    The file is written once under a name made from its hash. A file already stored under
    that name (left by a deleted item) is kept if its content is the same, and is never
    replaced. Nothing is saved to the database here; the caller saves ``evidence``.
    """
    name = original_name(facts)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if checksums.sha256(stored) != facts.sha256:
                raise ValidationError(
                    _("A different file is stored under this file's hash; nothing was saved.")
                )
    else:
        upload.seek(0)
        saved = default_storage.save(name, upload)
        if saved != name:  # pragma: no cover - the storage renamed it: never rely on that
            default_storage.delete(saved)
            raise ValidationError(_("The file could not be stored under its hash."))
    evidence.original.name = name
    evidence.original_name = clean_file_name(getattr(upload, "name", ""))
    evidence.sha256 = facts.sha256
    evidence.size = facts.size
    evidence.format = facts.format
    evidence.kind = EvidenceKind.PHOTO if facts.is_image else EvidenceKind.DOCUMENT
    evidence.width, evidence.height = facts.width, facts.height
    evidence.camera_time = facts.camera_time
    evidence.camera = facts.camera
    evidence.orientation = facts.orientation
    evidence.gps_latitude, evidence.gps_longitude = facts.gps_latitude, facts.gps_longitude
    if evidence.captured_on is None:
        evidence.captured_on = facts.captured_on
    if not evidence.credit.strip():
        evidence.credit = facts.author
    if user is not None and evidence.uploaded_by_id is None:
        evidence.uploaded_by = user
    return evidence


def clean_file_name(name):
    """The uploader's file name for display only: its last part, printable, 255 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]


def evidence_render(*, evidence):
    """Make (again) the thumbnail and web-size renditions of a saved photo, and record them
    on it; documents have none. Renditions are derived files: an old one is replaced."""
    if not evidence.is_photo:
        return
    with default_storage.open(evidence.original.name, "rb") as stored:
        source = stored.read()
    recorded = {}
    for rendition, longest_side in checks.RENDITION_SIZES.items():
        data, width, height = checks.render(source, longest_side)
        name = rendition_name(evidence.sha256, rendition)
        if default_storage.exists(name):
            default_storage.delete(name)
        recorded[rendition] = default_storage.save(name, ContentFile(data))
        recorded[f"{rendition}_width"], recorded[f"{rendition}_height"] = width, height
    for field, value in recorded.items():
        setattr(evidence, field, value)
    # Derived files only: the record's version and history are left alone.
    Evidence.objects.filter(pk=evidence.pk).update(**recorded)


def evidence_create(*, upload, user=None, **fields):
    """Check, store and record a new evidence item (used by tests, imports and scripts).

    Raises ``ValidationError`` for a bad file or a duplicate; nothing is left stored then.
    """
    facts = checks.inspect(upload)
    duplicate = existing_evidence(facts.sha256)
    if duplicate is not None:
        raise ValidationError(
            _("This file is already in the register as evidence item %(id)s.")
            % {"id": duplicate.pk},
            code="duplicate",
        )
    evidence = Evidence(**fields)
    # On failure, remove what this call stored: an original kept from before stays.
    written = [] if default_storage.exists(original_name(facts)) else [original_name(facts)]
    written += [rendition_name(facts.sha256, name) for name in checks.RENDITION_SIZES]
    try:
        with transaction.atomic():
            evidence_store_original(evidence=evidence, upload=upload, facts=facts, user=user)
            evidence.full_clean(exclude=["original", "thumbnail", "web"])
            evidence.save()
            evidence_render(evidence=evidence)
    except Exception:
        for name in written:
            if default_storage.exists(name):
                default_storage.delete(name)
        raise
    return evidence
