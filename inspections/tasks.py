"""Background jobs of inspections: renditions of evidence photos made by a worker (for a
large photo uploaded through the admin, and ``manage.py render_evidence --background``),
since a large photo takes seconds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from inspections.evidence.storage import evidence_render
from inspections.models import Evidence, EvidenceKind


@task()
def render_photos(ids):
    """Make the renditions of the evidence photos ``ids``; the ids that failed, and why."""
    failures = {}
    photos = Evidence.objects.filter(kind=EvidenceKind.PHOTO, pk__in=ids).order_by("pk")
    for item in photos.iterator(chunk_size=200):
        try:
            evidence_render(evidence=item)
        except ValidationError as error:
            failures[str(item.pk)] = " ".join(error.messages)
        except OSError as error:
            failures[str(item.pk)] = str(error)
    return failures


def renders_in_background(evidence):
    """Whether a new photo's renditions are left to the worker: a photo of more than
    ``EVIDENCE_BACKGROUND_PIXELS`` pixels, whose rendering takes seconds and much memory."""
    pixels = (evidence.width or 0) * (evidence.height or 0)
    return evidence.is_photo and pixels > settings.EVIDENCE_BACKGROUND_PIXELS


def queue_renditions(evidence):
    """Queue the renditions of a saved photo, once the transaction that saves it commits
    (a worker cannot see it before)."""
    transaction.on_commit(lambda: render_photos.enqueue([evidence.pk]))
