"""Following a record's old slug to the record (see :mod:`heritage.models.slugs`).

A public page addressed by slug that finds no record calls :func:`resolve_old_slug` with
the queryset it shows (``Site.objects.public()``, ``Place.objects.all()``…) and answers a
301 to the record's current address when it finds one."""

from django.contrib.contenttypes.models import ContentType

from heritage.models.slugs import OldSlug


def resolve_old_slug(queryset, slug):
    """The record of ``queryset`` (a queryset or a model) that once had ``slug``, or None:
    None too when the record is not in the queryset (unpublished, or deleted)."""
    if not hasattr(queryset, "model"):
        queryset = queryset._default_manager.all()
    content_type = ContentType.objects.get_for_model(queryset.model)
    record_id = (
        OldSlug.objects.filter(content_type=content_type, slug=slug)
        .values_list("object_id", flat=True)
        .first()
    )
    if record_id is None:
        return None
    return queryset.filter(pk=record_id).first()
