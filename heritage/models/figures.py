"""Reported figures: aggregate claims such as "927 libraries destroyed", with who
reports them and the source."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    Publishable,
    merge_errors,
    not_blank,
    optional_foreign_key,
    ordered_error,
    publication_constraint,
    range_constraint,
)
from heritage.models.organisations import Organisation
from heritage.models.places import Place
from heritage.models.sites import Site
from heritage.models.sources import Source, unpublished_source_error
from heritage.models.translations import text_language_field


class ReportedFigure(Publishable):
    """An aggregate claim, such as “927 libraries destroyed”, with who reports it."""

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    figure_set = models.CharField(
        _("set"),
        max_length=200,
        blank=True,
        help_text=_("Groups figures reported together, e.g. one report's table."),
    )
    metric = models.CharField(
        _("metric"), max_length=100, help_text=_("What happened to what was counted: destroyed…")
    )
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("What was counted: libraries, books, students…")
    )
    category = models.CharField(
        _("site category"),
        max_length=30,
        choices=Site.Category.choices,
        blank=True,
        help_text=_("The category of site counted, where there is one."),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    area = optional_foreign_key(Place, _("area"), related_name="reported_figures")
    area_label = models.CharField(
        _("area as reported"),
        max_length=200,
        blank=True,
        help_text=_("The area in the source's words."),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_label = models.CharField(_("period as reported"), max_length=100, blank=True)
    reported_by = optional_foreign_key(
        Organisation,
        _("reported by"),
        related_name="reported_figures",
        help_text=_("Leave empty when the source does not say who reports it."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    summary = models.TextField(_("what the source says"), blank=True)
    text_language = text_language_field()

    class Meta:
        ordering = ["figure_set", "id"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        permissions = [("review_reportedfigure", "Can publish or reject reported figures")]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="heritage_figure_non_negative"),
            not_blank("metric", "heritage_figure_metric_not_blank"),
            not_blank("subject", "heritage_figure_subject_not_blank"),
            models.CheckConstraint(
                condition=Q(category="") | Q(category__in=Site.Category.values),
                name="heritage_figure_category_valid",
            ),
            publication_constraint("heritage_figure_status_valid"),
            range_constraint("period_start", "period_end", "heritage_figure_period_ordered"),
        ]

    def __str__(self):
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.value.normalize():f}{unit}: {self.subject} {self.metric}"

    def validation_errors(self):
        errors = ordered_error(
            self, "period_start", "period_end", _("The end of the period is before its start.")
        )
        if self.value is not None and self.value < 0:
            merge_errors(errors, {"value": _("A reported figure cannot be negative.")})
        return errors

    def publication_errors(self):
        return unpublished_source_error(self, _("A published figure needs a published source."))
