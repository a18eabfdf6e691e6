"""What people and organisations said, and the dated events of a visit, each with its source.

A :class:`Statement` is a quotation (or close paraphrase) made by a named speaker, a person
or an organisation, on a date and an occasion, as one source reports it: "a crime against
humanity", said by ICESCO's Director-General at a press conference, per AzerNews. It is the
speaker's claim as its source reports it, never the register's own voice.

A :class:`VisitEvent` is a dated step of a visit (an arrival, a reception, a press
conference) as one source dates it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    DatePrecision,
    NaturalKeyModel,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    choices_constraint,
    not_blank,
    optional_foreign_key,
    publication_constraint,
)
from heritage.models import Organisation, Person, Source, text_language_field
from heritage.models.sources import unpublished_source_error
from inspections.models.visits import Visit


class StatementQuerySet(PublishableQuerySet):
    def public(self):
        """Published statements whose source is published, and whose visit (if any) is."""
        return (
            self.published()
            .filter(source__publication_status=PublicationStatus.PUBLISHED)
            .filter(
                Q(visit__isnull=True) | Q(visit__publication_status=PublicationStatus.PUBLISHED)
            )
        )

    def for_display(self):
        return self.select_related(
            "source", "speaker_person__organisation", "speaker_organisation"
        ).order_by("said_on", "id")


class Statement(Publishable):
    """A quotation by a person or an organisation, with its date, occasion and source."""

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    quote = models.TextField(
        _("quotation"), help_text=_("The words as the source reports them, without quote marks.")
    )
    text_language = text_language_field(_("language of the quotation"))
    speaker_person = optional_foreign_key(Person, _("speaker (person)"), related_name="statements")
    speaker_organisation = optional_foreign_key(
        Organisation,
        _("speaker (organisation)"),
        related_name="statements",
        help_text=_("The organisation the speaker spoke for, or that made the statement."),
    )
    said_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    occasion = models.CharField(
        _("occasion"), max_length=300, blank=True, help_text=_("e.g. a press conference in Baku.")
    )
    visit = optional_foreign_key(Visit, _("visit"), related_name="statements")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="statements"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["said_on", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        permissions = [("review_statement", "Can publish or reject statements")]
        constraints = [
            publication_constraint("inspections_statement_status_valid"),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_statement_precision_valid"
            ),
            not_blank("quote", "inspections_statement_quote_not_blank"),
            models.CheckConstraint(
                condition=Q(speaker_person__isnull=False) | Q(speaker_organisation__isnull=False),
                name="inspections_statement_has_speaker",
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: “{self.quote[:60]}”"

    @property
    def speaker(self):
        return self.speaker_person or self.speaker_organisation

    def publication_errors(self):
        return unpublished_source_error(self, _("A published statement needs a published source."))


class VisitEvent(NaturalKeyModel):
    """A dated step of a visit (arrival, reception, press conference), as a source dates it.

    Shown on the visit's page when the visit and the source are published."""

    NATURAL_KEY = ("visit__slug", "title")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="events"
    )
    happened_on = models.DateField(_("date"))
    title = models.CharField(_("what happened"), max_length=300)
    text_language = text_language_field(_("language of the title"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="visit_events"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)

    class Meta:
        ordering = ["visit", "happened_on", "id"]
        verbose_name = _("event of a visit")
        verbose_name_plural = _("events of visits")
        constraints = [
            not_blank("title", "inspections_visitevent_title_not_blank"),
            models.UniqueConstraint(
                fields=["visit", "title"], name="inspections_visitevent_unique"
            ),
        ]

    def __str__(self):
        return f"{self.visit}: {self.happened_on.isoformat()}, {self.title}"
