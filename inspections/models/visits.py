"""Visits: delegation visits, field inspections, missions and desk reviews, with who took
part in them and the sources that report them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    DatePrecision,
    NaturalKeyModel,
    Publishable,
    choices_constraint,
    date_span,
    merge_errors,
    not_blank,
    optional_foreign_key,
    ordered_error,
    publication_constraint,
    range_constraint,
)
from heritage.models import (
    Citation,
    KeepsOldSlugs,
    Organisation,
    Person,
    Place,
    Source,
    citation_constraints,
    text_language_field,
)
from heritage.reversing import slug_url
from inspections.models.querysets import VisitQuerySet


class VisitKind(models.TextChoices):
    DELEGATION = "delegation", _("Delegation visit")
    FIELD_INSPECTION = "field_inspection", _("Field inspection")
    TECHNICAL_MISSION = "technical_mission", _("Technical mission")
    REMOTE_SENSING = "remote_sensing", _("Remote-sensing review")
    DESK_REVIEW = "desk_review", _("Desk review")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NOT_AS_ANNOUNCED = "not_as_announced", _("Did not take place as announced")


class Visit(KeepsOldSlugs, Publishable):
    """A delegation visit, field inspection, technical mission or desk review."""

    Kind = VisitKind

    Status = VisitStatus

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("“Month”: only the month is known, and the start date is its first day."),
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="visits"
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places visited"), blank=True, related_name="visits"
    )
    participants = models.ManyToManyField(
        Person,
        verbose_name=_("participants"),
        through="Participation",
        blank=True,
        related_name="visits",
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        through="VisitCitation",
        blank=True,
        related_name="visits",
    )
    summary = models.TextField(_("summary"), blank=True)
    text_language = text_language_field(_("language of the title and summary"))

    objects = VisitQuerySet.as_manager()

    #: Many-to-many fields whose values each history entry keeps (django-simple-history).
    _history_m2m_fields = ["organisations", "places"]

    class Meta:
        ordering = ["-start_date", "title", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        permissions = [("review_visit", "Can publish or reject visits")]
        constraints = [
            choices_constraint("kind", VisitKind, "inspections_visit_kind_valid"),
            choices_constraint("status", VisitStatus, "inspections_visit_status_valid"),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_visit_precision_valid"
            ),
            publication_constraint("inspections_visit_pubstatus_valid"),
            range_constraint("start_date", "end_date", "inspections_visit_dates_ordered"),
            not_blank("title", "inspections_visit_title_not_blank"),
        ]
        indexes = [models.Index(fields=["start_date"], name="inspections_visit_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("visit-detail", self.slug)

    def span(self):
        """The first and last day the visit may have taken place on, or None if unknown."""
        start = date_span(self.start_date, self.date_precision)
        if start is None:
            return None
        if self.end_date is None:
            return start
        end = date_span(self.end_date, self.date_precision)
        return start[0], end[1]

    def validation_errors(self):
        errors = ordered_error(
            self, "start_date", "end_date", _("The end date is before the start date.")
        )
        if not errors and self.pk is not None:
            outside = [
                assessment
                for assessment in self.assessments.select_related("site")
                if not assessment.within_visit(self)
            ]
            if outside:
                merge_errors(
                    errors,
                    {
                        "start_date": _(
                            "These dates leave out assessments made on this visit: "
                            "%(assessments)s. Change their dates first."
                        )
                        % {"assessments": "; ".join(str(a) for a in outside)}
                    },
                )
        return errors

    def leader(self):
        """The participant leading the visit, or None."""
        for participation in self.participations.all():
            if participation.role == Participation.Role.LEADER:
                return participation
        return None


class ParticipantRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MEMBER = "member", _("Member")
    HOST = "host", _("Host")
    GUIDE = "guide", _("Guide")
    OBSERVER = "observer", _("Observer")


class Participation(NaturalKeyModel):
    """A person's part in a visit."""

    NATURAL_KEY = ("visit__slug", "person__slug")

    Role = ParticipantRole

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    organisation = optional_foreign_key(
        Organisation, _("on behalf of"), related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["visit", "role", "person"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "person"], name="inspections_participation_unique"
            ),
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(role="leader"),
                name="inspections_participation_one_leader",
            ),
            choices_constraint("role", ParticipantRole, "inspections_participation_role_valid"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class VisitCitation(Citation):
    NATURAL_KEY = ("visit__slug", "source__slug")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="citations"
    )

    class Meta:
        ordering = ["visit", "source", "id"]
        verbose_name = _("visit citation")
        verbose_name_plural = _("visit citations")
        constraints = citation_constraints("visit")
