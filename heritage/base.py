"""Building blocks shared by every model of the register.

- :class:`NaturalKeyModel` and :class:`NaturalKeyQuerySet` give each model a natural key
  (by default its slug), so fixtures refer to rows by meaning rather than by id and
  loading a fixture twice updates rows instead of duplicating them.
- :class:`Publishable` carries the publication state of every public-facing record;
  ``public()`` is the only way public pages should select records.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def choices_constraint(field, choices, name):
    """A database check that ``field`` holds one of the values of a ``TextChoices``."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def not_blank(field, name):
    """A database check that a required text field is not the empty string."""
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


def range_constraint(low, high, name):
    """A database check that ``low <= high`` when both are set."""
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{low}__lte": F(high)}),
        name=name,
    )


def coordinate_constraints(prefix):
    """Database checks: latitude and longitude in range, and both set or both empty."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_coordinates_paired",
        ),
    ]


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        fields = self.model.NATURAL_KEY
        return self.get(**dict(zip(fields, values, strict=True)))


class NaturalKeyModel(models.Model):
    """A model whose natural key is given by ``NATURAL_KEY``, a tuple of field paths.

    Paths may follow foreign keys (``"site__slug"``); the key is then flat, so a fixture
    names a site name as ``["haji-alakbar-mosque", "az", "Hacı Ələkbər məscidi"]``.
    """

    NATURAL_KEY = ("slug",)

    class Meta:
        abstract = True

    def natural_key(self):
        values = []
        for path in self.NATURAL_KEY:
            value = self
            for part in path.split("__"):
                value = getattr(value, part)
            values.append(value)
        return tuple(values)


class DatePrecision(models.TextChoices):
    """How much of a date is known; a month-precise date is stored as the month's first day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    APPROXIMATE = "approximate", _("Approximate")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class PublishableQuerySet(NaturalKeyQuerySet):
    def public(self):
        """Only records a reviewer has published."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


class Publishable(NaturalKeyModel):
    """A record that becomes public only when a reviewer publishes it."""

    publication_status = models.CharField(
        _("publication status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.publication_status == PublicationStatus.PUBLISHED
