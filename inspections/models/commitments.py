"""Commitments and training courses: what was promised after the damage, and what came of it.

They live in ``inspections`` beside visits and restoration projects because a commitment is
made on an occasion (often a visit) and is fulfilled, or not, by a visit, a restoration
project or a training course; ``inspections`` may import ``heritage`` (organisations,
people, places, sources), never the other way round.

A commitment's outcome is a timeline of :class:`CommitmentUpdate` rows, each dated and
sourced. With no update its status is unknown. That a deadline passed unfulfilled is never
the register's silent inference: it is either an update with its own source, or shown on
the public pages in the register's own, marked, voice ("deadline passed, no source reports
it done"), which :meth:`Commitment.deadline_passed_unreported` decides.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    publication_constraint,
)
from heritage.models import Organisation, Person, Place, Source, text_language_field
from heritage.models.sources import unpublished_source_error
from heritage.reversing import slug_url
from inspections.models.recovery_queries import CommitmentQuerySet, TrainingCourseQuerySet
from inspections.models.restoration import RestorationProject, precision_field, spans_in_order
from inspections.models.visits import Visit


class CommitmentKind(models.TextChoices):
    RESTORATION_HELP = "restoration_help", _("Restoration help")
    TRAINING = "training", _("Training")
    MISSION = "mission", _("Visit or mission")
    FUNDING = "funding", _("Funding")
    INSTITUTION = "institution", _("Institution")
    DESIGNATION = "designation", _("Designation")
    COOPERATION = "cooperation", _("Cooperation plan or project")


class CommitmentStatus(models.TextChoices):
    MADE = "made", _("Made")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Not fulfilled by its deadline")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNKNOWN = "unknown", _("Unknown")


#: Statuses that say what became of a commitment: after one of these, a passed deadline
#: needs no note in the register's own voice.
OUTCOME_STATUSES = {
    CommitmentStatus.FULFILLED,
    CommitmentStatus.PARTLY_FULFILLED,
    CommitmentStatus.NOT_FULFILLED,
    CommitmentStatus.WITHDRAWN,
}
#: Statuses that count as "reported fulfilled" on the home page.
FULFILLED_STATUSES = {CommitmentStatus.FULFILLED, CommitmentStatus.PARTLY_FULFILLED}


class CourseKind(models.TextChoices):
    COURSE = "course", _("Training course")
    WORKSHOP = "workshop", _("Workshop")


class TrainingCourse(Publishable):
    """A training course or workshop for specialists, with who organised it and its source."""

    Kind = CourseKind

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COURSE)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="training_courses"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = precision_field(_("date precision"))
    place = optional_foreign_key(Place, _("place"), related_name="training_courses")
    place_label = models.CharField(
        _("place as reported"), max_length=200, blank=True, help_text=_("e.g. a city abroad.")
    )
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    projects = models.ManyToManyField(
        RestorationProject,
        verbose_name=_("restoration projects it serves"),
        blank=True,
        related_name="training_courses",
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="training_courses"
    )
    summary = models.TextField(_("what the source says"), blank=True)
    text_language = text_language_field(_("language of the title and topic"))

    objects = TrainingCourseQuerySet.as_manager()

    _history_m2m_fields = ["organisers", "projects"]

    class Meta:
        ordering = ["-start_date", "title", "id"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        permissions = [("review_trainingcourse", "Can publish or reject training courses")]
        constraints = [
            choices_constraint("kind", CourseKind, "inspections_course_kind_valid"),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_course_precision_valid"
            ),
            publication_constraint("inspections_course_pubstatus_valid"),
            not_blank("title", "inspections_course_title_not_blank"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=models.F("end_date")),
                name="inspections_course_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("training-detail", self.slug)

    def validation_errors(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            return {"end_date": [_("The end date is before the start date.")]}
        return {}

    def publication_errors(self):
        return unpublished_source_error(
            self, _("A published training course needs a published source.")
        )


class Commitment(Publishable):
    """A promise: who committed to whom, to what, when, on which occasion, by when."""

    Kind = CommitmentKind
    Status = CommitmentStatus

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("What was promised, in a few words.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    by_organisation = optional_foreign_key(
        Organisation, _("committed by (organisation)"), related_name="commitments_made"
    )
    by_person = optional_foreign_key(
        Person, _("committed by (person)"), related_name="commitments_made"
    )
    to_organisation = optional_foreign_key(
        Organisation, _("committed to (organisation)"), related_name="commitments_received"
    )
    to_label = models.CharField(
        _("committed to, as reported"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Azerbaijan, when the source names no body."),
    )
    made_on = models.DateField(_("date made"))
    made_precision = precision_field(_("precision of the date made"))
    occasion_visit = optional_foreign_key(
        Visit, _("occasion (visit)"), related_name="commitments_made_on"
    )
    occasion_label = models.CharField(
        _("occasion"),
        max_length=200,
        blank=True,
        help_text=_("e.g. a press conference, when it was not a visit of the register."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_precision = precision_field(_("deadline precision"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="commitments"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    quote = models.TextField(_("what the source says"), help_text=_("The promise in its words."))
    courses = models.ManyToManyField(
        TrainingCourse, verbose_name=_("training courses"), blank=True, related_name="commitments"
    )
    text_language = text_language_field(_("language of the title and quotation"))

    objects = CommitmentQuerySet.as_manager()

    _history_m2m_fields = ["courses"]

    class Meta:
        ordering = ["-made_on", "title", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        permissions = [("review_commitment", "Can publish or reject commitments")]
        constraints = [
            choices_constraint("kind", CommitmentKind, "inspections_commitment_kind_valid"),
            choices_constraint(
                "made_precision", DatePrecision, "inspections_commitment_made_precision_valid"
            ),
            choices_constraint(
                "deadline_precision",
                DatePrecision,
                "inspections_commitment_deadline_precision_valid",
            ),
            publication_constraint("inspections_commitment_pubstatus_valid"),
            not_blank("title", "inspections_commitment_title_not_blank"),
            not_blank("quote", "inspections_commitment_quote_not_blank"),
            models.CheckConstraint(
                condition=Q(by_organisation__isnull=False) | Q(by_person__isnull=False),
                name="inspections_commitment_has_committer",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("made_on")),
                name="inspections_commitment_deadline_after_made",
            ),
        ]
        indexes = [models.Index(fields=["made_on"], name="inspections_commit_made_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("commitment-detail", self.slug)

    def current_status_label(self):
        """The label of the current status (``with_current_status()``), unknown if none."""
        return CommitmentStatus(getattr(self, "current_status", None) or "unknown").label

    def committer(self):
        """Who committed: the person (with their organisation if given) or the organisation."""
        return self.by_person or self.by_organisation

    def validation_errors(self):
        errors = {}
        if self.by_organisation_id is None and self.by_person_id is None:
            errors["by_organisation"] = [_("Say who committed: an organisation or a person.")]
        if self.deadline and self.made_on and self.deadline < self.made_on:
            errors["deadline"] = [_("The deadline is before the commitment was made.")]
        if self.pk is not None and self.made_on is not None:
            early = [
                update
                for update in self.updates.all()
                if not spans_in_order(
                    self.made_on, self.made_precision, update.date, update.date_precision
                )
            ]
            if early:
                merge_errors(
                    errors,
                    {
                        "made_on": _(
                            "Status updates are dated before this date: %(updates)s. "
                            "Change their dates first."
                        )
                        % {"updates": "; ".join(str(u) for u in early)}
                    },
                )
        return errors

    def publication_errors(self):
        return unpublished_source_error(self, _("A published commitment needs a published source."))

    def deadline_end(self):
        """The last day the deadline stands for at its precision, or None."""
        span = date_span(self.deadline, self.deadline_precision)
        return span[1] if span else None

    def deadline_passed_unreported(self, updates, today=None):
        """True when the deadline has passed and none of ``updates`` (the public ones)
        says what became of the commitment; the pages then say so in the register's voice."""
        end = self.deadline_end()
        today = today or timezone.localdate()
        if end is None or end >= today:
            return False
        return not any(update.status in OUTCOME_STATUSES for update in updates)


class CommitmentUpdate(NaturalKeyModel):
    """What became of a commitment by a date, according to a source, and what fulfils it."""

    NATURAL_KEY = ("commitment__slug", "status", "date")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices)
    date = models.DateField(_("date"))
    date_precision = precision_field(_("date precision"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("what the source says"), blank=True)
    visit = optional_foreign_key(Visit, _("visit"), related_name="commitment_updates")
    project = optional_foreign_key(
        RestorationProject, _("restoration project"), related_name="commitment_updates"
    )
    course = optional_foreign_key(
        TrainingCourse, _("training course"), related_name="commitment_updates"
    )

    class Meta:
        ordering = ["commitment", "date", "id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            choices_constraint(
                "status", CommitmentStatus, "inspections_commitmentupdate_status_valid"
            ),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_commitmentupdate_precision_valid"
            ),
            models.UniqueConstraint(
                fields=["commitment", "status", "date"],
                name="inspections_commitmentupdate_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date.isoformat()})"

    def public_records(self):
        """The records this update links to that the public may see: (kind label, record)."""
        records = []
        if self.visit_id is not None and self.visit.is_public:
            records.append((_("Visit"), self.visit))
        project = self.project if self.project_id is not None else None
        if project is not None and project.is_public and project.site.is_public:
            records.append((_("Restoration project"), project))
        if self.course_id is not None and self.course.is_public:
            records.append((_("Training course"), self.course))
        return records

    def clean(self):
        super().clean()
        try:
            commitment = self.commitment
        except ObjectDoesNotExist:
            commitment = None
        made = commitment.made_on if commitment is not None else None
        if (
            made is not None
            and self.date is not None
            and not spans_in_order(made, commitment.made_precision, self.date, self.date_precision)
        ):
            raise ValidationError(
                {"date": _("This update is dated before the commitment was made.")}
            )
