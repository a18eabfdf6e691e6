"""The public gallery of photos and documents: ``{% evidence_gallery items heading_id %}``."""

from django import template

from inspections.evidence.gallery import gallery

register = template.Library()


@register.inclusion_tag("includes/evidence_gallery.html")
def evidence_gallery(items, heading_id, heading_level=2):
    """Photos with captions, credits and licences, then documents with their hashes.

    ``items`` are public evidence items (see
    :func:`inspections.evidence.gallery.attach_public_evidence`); ``heading_id`` makes the
    section's heading unique on the page.
    """
    return {
        "gallery": gallery(items),
        "heading_id": heading_id,
        "heading_tag": f"h{heading_level}",
    }
