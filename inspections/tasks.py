"""Background jobs of inspections: renditions of evidence photos made by a worker
(``manage.py render_evidence --background``), since a large photo takes seconds."""

from django.core.exceptions import ValidationError
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
