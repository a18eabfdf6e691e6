"""What public pages show of evidence: published items of public records, ready to render.

Pages load items with :func:`attach_public_evidence` (one query for the items of any number
of sites, assessments and visits, and one for their translations when there are items); the
``evidence_gallery`` template tag then splits them into photos and documents in the
visitor's language.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from heritage.models import Site, Source
from inspections.models import Assessment, Evidence, Visit

#: The field of :class:`Evidence` that points at each kind of record.
SUBJECT_FIELDS = {Site: "site", Assessment: "assessment", Visit: "visit", Source: "source"}


def public_evidence():
    """Evidence the public may see, in gallery order, with what a gallery reads of each."""
    return (
        Evidence.objects.public()
        # The subject's site decides whether a photo's original may be downloaded.
        .select_related("site", "assessment__site")
        .prefetch_related("translations")
        .order_by("position", "id")
    )


def attach_public_evidence(records):
    """Set ``public_evidence`` on each site, assessment and visit in ``records``: the list of
    its items the public may see, in gallery order. One query (two with translations)."""
    records = list(records)
    ids = {}
    for record in records:
        ids.setdefault(SUBJECT_FIELDS[type(record)], set()).add(record.pk)
    condition = Q()
    for name, keys in ids.items():
        condition |= Q(**{f"{name}__in": keys})
    items = list(public_evidence().filter(condition)) if ids else []
    for record in records:
        key = f"{SUBJECT_FIELDS[type(record)]}_id"
        record.public_evidence = [item for item in items if getattr(item, key) == record.pk]
    return records


@dataclass
class Gallery:
    photos: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.photos or self.documents)


def gallery(items, language=None):
    """Split public items into photos and documents, each with its caption, alt text and
    whether its original may be downloaded, in the visitor's language."""
    result = Gallery()
    for item in items:
        item.display_caption, item.display_alt = item.localized(language)
        item.downloadable = item.original_is_downloadable()
        if item.is_photo:
            if item.thumbnail and item.web:
                result.photos.append(item)
        else:
            result.documents.append(item)
    return result
