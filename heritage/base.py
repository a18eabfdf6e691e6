"""Building blocks shared by every model of the register.

- :class:`NaturalKeyModel` and :class:`NaturalKeyQuerySet` give each model a natural key
  (by default its slug), so fixtures refer to rows by meaning rather than by id and
  loading a fixture twice updates rows instead of duplicating them.
- :class:`VersionedModel` numbers each saved state of a record, so that a save made from
  an out-of-date copy is refused instead of silently overwriting someone else's work.
- :class:`Publishable` carries the publication state of every public-facing record and who
  submitted and reviewed it; ``public()`` is the only way public pages should select records.
  Its state changes only through ``heritage.services`` (``record_submit``, ``record_publish``,
  ``record_reject``), which check who may make the change.
- Fields and checks that several models declare alike (``optional_foreign_key``,
  ``coordinate_field``, ``choices_constraint``, ``range_constraint`` with
  ``ordered_error``…), so that each model states only what is its own.

Every model of the register keeps an edit history (django-simple-history): each save adds a
row to the model's historical table with who made the change and when.
"""

import calendar
import datetime
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from heritage.cleaning import clean_record_text


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


def optional_foreign_key(to, verbose_name, *, related_name, **options):
    """An optional foreign key; the row it points to cannot be deleted while it is used."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )


def user_stamp(verbose_name):
    """Who did something to a record: set by the register, kept empty if the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def coordinate_field(verbose_name, **options):
    """A latitude or longitude in decimal degrees, to about 10 cm; empty when unknown."""
    return models.DecimalField(
        verbose_name, max_digits=9, decimal_places=6, null=True, blank=True, **options
    )


def coordinate_constraints(prefix, fields=""):
    """Database checks: latitude and longitude in range, and both set or both empty.

    ``fields`` prefixes the field names (``"gps_"`` for ``gps_latitude``/``gps_longitude``).
    """
    lat, lon = f"{fields}latitude", f"{fields}longitude"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True}) | Q(**{f"{lat}__gte": -90, f"{lat}__lte": 90}),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lon}__isnull": True})
            | Q(**{f"{lon}__gte": -180, f"{lon}__lte": 180}),
            name=f"{prefix}_longitude_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{lat}__isnull": True, f"{lon}__isnull": True})
            | Q(**{f"{lat}__isnull": False, f"{lon}__isnull": False}),
            name=f"{prefix}_coordinates_paired",
        ),
    ]


def plain_key_value(value):
    """A natural key's part as a string or number a fixture can hold: a date in ISO form, a
    decimal amount as its digits; other values as they are."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        fields = self.model.NATURAL_KEY
        return self.get(**dict(zip(fields, values, strict=True)))


@cache
def choice_labels(field):
    """{value: label} of the fixed ``choices`` of a model field, groups flattened."""
    return dict(field.flatchoices)


class NaturalKeyModel(models.Model):
    """A model whose natural key is given by ``NATURAL_KEY``, a tuple of field paths.

    Paths may follow foreign keys (``"site__slug"``); the key is then flat, so a fixture
    names a site name as ``["haji-alakbar-mosque", "az", "Hacı Ələkbər məscidi"]``.

    Its text is normalised (``heritage.cleaning``) before any check
    (``clean_fields()``) and again on every save, so no name hides an invisible or
    direction-changing character and every check compares the normalised form.
    """

    NATURAL_KEY = ("slug",)

    objects = NaturalKeyQuerySet.as_manager()

    #: The edit history of every concrete model of the register. Fixtures are loaded with raw
    #: saves, which add no history; every later save does.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        clean_record_text(self)
        return super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        clean_record_text(self)
        return super().clean_fields(exclude=exclude)

    def _get_FIELD_display(self, field):
        """What ``get_<field>_display()`` answers: the label of the field's value among its
        choices, or the value. Django's own hashes every choice's lazy, translated label at
        each call, translating each: a site's category (12 choices) took 74 µs, and takes
        7, a listing page of 25 sites asking 25 times. Choices given by a callable are left
        to Django."""
        value = getattr(self, field.attname)
        if not isinstance(field.choices, list | tuple) or not isinstance(value, str | int):
            return super()._get_FIELD_display(field)
        return force_str(choice_labels(field).get(value, value), strings_only=True)

    def natural_key(self):
        values = []
        for path in self.NATURAL_KEY:
            value = self
            for part in path.split("__"):
                value = getattr(value, part)
            values.append(plain_key_value(value))
        return tuple(values)


class DatePrecision(models.TextChoices):
    """How much of a date is known; a month-precise date is stored as the month's first day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    APPROXIMATE = "approximate", _("Approximate")


def date_span(date, precision):
    """The first and last day a date stands for at its precision, or None if approximate.

    A month-precise date is stored as the month's first day and stands for the whole month;
    a year-precise date stands for the whole year.
    """
    if date is None or precision == DatePrecision.APPROXIMATE:
        return None
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 1, 1), datetime.date(date.year, 12, 31)
    return date, date


def merge_errors(errors, more):
    """Add {field: message or [messages]} from ``more`` to ``errors``, keeping both."""
    for field, messages in more.items():
        if not isinstance(messages, list | tuple):
            messages = [messages]
        errors.setdefault(field, []).extend(messages)
    return errors


def ordered_error(record, low, high, message):
    """{high: [message]} when ``record``'s fields ``low`` and ``high`` are both set and
    ``high`` comes before ``low`` (what :func:`range_constraint` refuses)."""
    low_value, high_value = getattr(record, low), getattr(record, high)
    if low_value is not None and high_value is not None and high_value < low_value:
        return {high: [message]}
    return {}


def coordinate_errors(record):
    """Latitude and longitude out of range, or one given without the other."""
    errors = {}
    lat, lon = record.latitude, record.longitude
    if lat is not None and not -90 <= lat <= 90:
        errors["latitude"] = [_("Latitude must be between -90 and 90.")]
    if lon is not None and not -180 <= lon <= 180:
        errors["longitude"] = [_("Longitude must be between -180 and 180.")]
    if lat is None and lon is not None:
        errors["latitude"] = [_("Give the latitude too, or neither coordinate.")]
    if lon is None and lat is not None:
        errors["longitude"] = [_("Give the longitude too, or neither coordinate.")]
    return errors


class StaleRecordError(Exception):
    """A save from a copy of a record that someone else has saved since it was read."""

    def __init__(self, record, expected_version):
        self.record = record
        self.expected_version = expected_version
        super().__init__(
            _(
                "%(record)s was changed by someone else after this copy was read "
                "(version %(version)s); it was not saved."
            )
            % {"record": record, "version": expected_version}
        )


class VersionedModel(models.Model):
    """A record whose ``version`` goes up by one on every save.

    A save compares the version the saver read with the one in the database, in the same
    transaction as the write: if someone else saved in between, :class:`StaleRecordError`
    is raised and nothing is written. The admin form carries the version it showed as a
    hidden field, so a stale form is refused with a message saying what changed.
    Raw saves (fixtures) and ``QuerySet.update`` leave the version alone.

    ``KEPT_BY_OTHERS`` names fields that another part of the application keeps with
    ``QuerySet.update`` (``Site.last_assessed_on``, from the site's assessments): a save of
    a record already stored leaves them as they are in the database, so that a copy read
    before their last change does not write them back.
    """

    KEPT_BY_OTHERS = ()

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one on every save; a save from an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        expected = self.version
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        try:
            with transaction.atomic(using=using):
                moved = rows.filter(version=expected).update(version=expected + 1)
                if not moved and rows.exists():
                    raise StaleRecordError(self, expected)
                # No row at all: a deleted record restored from its history is inserted anew.
                self.version = expected + 1 if moved else expected
                if moved and self.KEPT_BY_OTHERS and kwargs.get("update_fields") is None:
                    kwargs["update_fields"] = [
                        field.name
                        for field in self._meta.concrete_fields
                        if not field.primary_key and field.name not in self.KEPT_BY_OTHERS
                    ]
                return super().save(*args, **kwargs)
        except BaseException:
            self.version = expected
            raise


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


def publication_constraint(name):
    """A database check that ``publication_status`` is one of :class:`PublicationStatus`."""
    return choices_constraint("publication_status", PublicationStatus, name)


#: The fields of a publishable record that only review changes: who submitted and reviewed
#: it, when, the state and the reviewer's note (for staff only).
REVIEW_FIELDS = (
    "publication_status",
    "review_note",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
)


class PublishableQuerySet(NaturalKeyQuerySet):
    def published(self):
        """Records a reviewer has published, whatever the records they hang off."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def public(self):
        """Records the public may see: published ones. Models whose records hang off another
        publishable record (an assessment off its site) also ask for that one to be public."""
        return self.published()


class Publishable(VersionedModel, NaturalKeyModel):
    """A record that becomes public only when a reviewer publishes it.

    Editors create and edit drafts and submit them for review; reviewers publish them or
    reject them with a reason (``review_note``, for staff only: never shown on public pages).
    Each model has a ``review_<model>`` permission that the Reviewer group holds.
    """

    publication_status = models.CharField(
        _("publication status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    submitted_by = user_stamp(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reviewed_by = user_stamp(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_note = models.TextField(
        _("reviewer's note"),
        blank=True,
        help_text=_("Why the record was rejected. Seen by staff only, never on public pages."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    def validation_errors(self):
        """What is wrong with this record, as {field name: [messages]}; models override it."""
        return {}

    def publication_errors(self):
        """What stops this record from being public, as {field name: [messages]}.

        Models override it; ``clean()`` reports these only when the record is published.
        """
        return {}

    def clean(self):
        super().clean()
        errors = {}
        merge_errors(errors, self.validation_errors())
        if self.publication_status == PublicationStatus.PUBLISHED:
            merge_errors(errors, self.publication_errors())
        if errors:
            raise ValidationError(errors)
