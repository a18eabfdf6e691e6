"""Disturbances: the causes of damage an assessment records, in EAMENA's terms.

Each :class:`Disturbance` names a cause, its effects and when it happened; who is said to
be responsible is never the register's own voice but a :class:`ResponsibilityClaim` with
its own source.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    NaturalKeyModel,
    VersionedModel,
    merge_errors,
    not_blank,
    optional_foreign_key,
    ordered_error,
    range_constraint,
)
from heritage.models import Source, text_language_field
from inspections.models.assessments import Assessment
from inspections.models.vocabularies import CauseCategory, CauseType, Certainty, EffectType


class Disturbance(VersionedModel, NaturalKeyModel):
    """One cause of damage seen in an assessment, with its effects and dates."""

    NATURAL_KEY = ("assessment__slug", "position")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="disturbances",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    cause_category = models.ForeignKey(
        CauseCategory, verbose_name=_("cause category"), on_delete=models.PROTECT, related_name="+"
    )
    cause_type = optional_foreign_key(CauseType, _("cause type"), related_name="+")
    cause_certainty = optional_foreign_key(Certainty, _("cause certainty"), related_name="+")
    effect_types = models.ManyToManyField(
        EffectType, verbose_name=_("effects"), blank=True, related_name="+"
    )
    effect_certainty = optional_foreign_key(Certainty, _("effect certainty"), related_name="+")
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    occurred_before = models.DateField(
        _("occurred before"),
        null=True,
        blank=True,
        help_text=_("When only a latest date is known; leave “from” and “to” empty."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("e.g. “used to keep livestock”.")
    )
    text_language = text_language_field(_("language of the description"))

    _history_m2m_fields = ["effect_types"]

    class Meta:
        ordering = ["assessment", "position", "id"]
        verbose_name = _("disturbance")
        verbose_name_plural = _("disturbances")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "position"], name="inspections_disturbance_unique"
            ),
            range_constraint("date_from", "date_to", "inspections_disturbance_dates_ordered"),
            models.CheckConstraint(
                condition=Q(occurred_before__isnull=True)
                | Q(date_from__isnull=True, date_to__isnull=True),
                name="inspections_disturbance_range_or_before",
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.cause_type or self.cause_category}"

    def clean(self):
        super().clean()
        errors = ordered_error(
            self, "date_from", "date_to", _("The end date is before the start date.")
        )
        if self.occurred_before is not None and (self.date_from or self.date_to):
            merge_errors(
                errors,
                {
                    "occurred_before": _(
                        "Give either a date range (from, to) or “occurred before”, not both."
                    )
                },
            )
        if self.cause_category_id is not None and self.cause_type_id is not None:
            allowed = self.cause_category.cause_types.all()
            if allowed and self.cause_type not in allowed:
                merge_errors(
                    errors,
                    {
                        "cause_type": _(
                            "“%(type)s” is not a cause type of the category “%(category)s” in "
                            "the register's mapping. Choose one of: %(allowed)s."
                        )
                        % {
                            "type": self.cause_type,
                            "category": self.cause_category,
                            "allowed": ", ".join(str(term) for term in allowed),
                        }
                    },
                )
        if errors:
            raise ValidationError(errors)


class ResponsibilityClaim(NaturalKeyModel):
    """Who a source says is responsible for a disturbance: a claim, never the register's voice."""

    NATURAL_KEY = ("disturbance__assessment__slug", "disturbance__position", "source__slug")

    disturbance = models.ForeignKey(
        Disturbance,
        verbose_name=_("disturbance"),
        on_delete=models.CASCADE,
        related_name="responsibility_claims",
    )
    attributed_to = models.CharField(
        _("attributed to"), max_length=300, help_text=_("In the source's words.")
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="responsibility_claims",
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    summary = models.TextField(_("what the source says"), blank=True)
    text_language = text_language_field()

    class Meta:
        ordering = ["disturbance", "id"]
        verbose_name = _("attribution of responsibility")
        verbose_name_plural = _("attributions of responsibility")
        constraints = [
            models.UniqueConstraint(
                fields=["disturbance", "source"], name="inspections_responsibility_unique"
            ),
            not_blank("attributed_to", "inspections_responsibility_not_blank"),
        ]

    def __str__(self):
        return f"{self.attributed_to} (according to {self.source})"
