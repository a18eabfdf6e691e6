"""Old slugs of records whose public address holds their slug: sites, visits, places and
organisations. A renamed slug keeps its old address working (a 301 to the new one).

One table keyed by content type serves the four kinds of record, rather than one table per
kind: visits belong to ``inspections``, which ``heritage`` may not import, yet their old
slugs are looked up exactly as a site's are; a content type lets the register keep them all
with one model, one unique constraint and one lookup (:func:`heritage.slugs.resolve_old_slug`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _


class OldSlug(models.Model):
    """A slug a record had before it was changed. A slug points to the record that held it
    last: a slug given up by one site and later by another leads to the second."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    slug = models.SlugField(_("old slug"), max_length=150)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["content_type", "slug"]
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="heritage_oldslug_unique_slug"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="heritage_oldslug_record_idx")
        ]

    def __str__(self):
        return self.slug


class KeepsOldSlugs(models.Model):
    """A record whose slug, when a save changes it, is kept as an :class:`OldSlug` in the
    same transaction as the save. Fixture loading (raw saves) records nothing."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (
            self._state.adding
            or self.pk is None
            or (update_fields is not None and "slug" not in update_fields)
        ):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            previous = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk)
                .values_list("slug", flat=True)
                .first()
            )
            result = super().save(*args, **kwargs)
            if previous is not None and previous != self.slug:
                record_old_slug(self, previous, using=using)
        return result


def record_old_slug(record, old_slug, *, using=None):
    """Keep ``old_slug`` as leading to ``record``, which now has another slug. The slug the
    record has now is no one's old slug any more: its live holder wins."""
    using = using or router.db_for_write(type(record), instance=record)
    content_type = ContentType.objects.db_manager(using).get_for_model(type(record))
    slugs = OldSlug.objects.using(using)
    slugs.filter(content_type=content_type, slug=record.slug).delete()
    slugs.update_or_create(
        content_type=content_type, slug=old_slug, defaults={"object_id": record.pk}
    )
