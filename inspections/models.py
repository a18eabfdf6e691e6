"""Visits, condition assessments and disturbances, in EAMENA's structure.

An :class:`Assessment` records one site's condition on a date, optionally within a
:class:`Visit`. Each :class:`Disturbance` names a cause, its effects and when it happened;
who is said to be responsible is never the register's own voice but a
:class:`ResponsibilityClaim` with its own source.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    DatePrecision,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    VersionedModel,
    choices_constraint,
    coordinate_constraints,
    date_span,
    merge_errors,
    not_blank,
    ordered_error,
    range_constraint,
)
from heritage.models import (
    Citation,
    Organisation,
    Person,
    Place,
    Site,
    Source,
    language_validator,
)
from inspections.querysets import AssessmentQuerySet, VisitQuerySet
from inspections.vocabularies import (
    AssessmentType,
    CauseCategory,
    CauseType,
    Certainty,
    DamageExtent,
    DamageTrend,
    EffectType,
    OverallCondition,
    Priority,
)

__all__ = [
    "Assessment",
    "AssessmentCitation",
    "AssessmentType",
    "CauseCategory",
    "CauseType",
    "Certainty",
    "DamageExtent",
    "DamageTrend",
    "DatePrecision",
    "Disturbance",
    "EffectType",
    "Evidence",
    "EvidenceTranslation",
    "OverallCondition",
    "Participation",
    "Priority",
    "ResponsibilityClaim",
    "Visit",
    "VisitCitation",
]


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


class Visit(Publishable):
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
            choices_constraint(
                "publication_status", PublicationStatus, "inspections_visit_pubstatus_valid"
            ),
            range_constraint("start_date", "end_date", "inspections_visit_dates_ordered"),
            not_blank("title", "inspections_visit_title_not_blank"),
        ]
        indexes = [models.Index(fields=["start_date"], name="inspections_visit_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visit-detail", args=[self.slug])

    @property
    def last_day(self):
        return self.end_date or self.start_date

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
            "start_date",
            "end_date",
            self.start_date,
            self.end_date,
            _("The end date is before the start date."),
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
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    objects = NaturalKeyQuerySet.as_manager()

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

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "source", "id"]
        verbose_name = _("visit citation")
        verbose_name_plural = _("visit citations")
        constraints = [
            *Citation.Meta.constraints,
            models.UniqueConstraint(
                fields=["visit", "source"], name="inspections_visitcitation_unique"
            ),
        ]


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported by one source")
    CORROBORATED = "corroborated", _("Corroborated by independent sources")
    VERIFIED = "verified", _("Verified on site or by imagery")
    DISPUTED = "disputed", _("Disputed")


class Assessment(Publishable):
    """The condition of one site on a date, as one assessor recorded it."""

    Verification = Verification

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="assessments"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessment date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    assessed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    assessment_type = models.ForeignKey(
        AssessmentType,
        verbose_name=_("assessment type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overall_condition = models.ForeignKey(
        OverallCondition,
        verbose_name=_("overall condition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    damage_extent = models.ForeignKey(
        DamageExtent,
        verbose_name=_("damage extent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    damage_trend = models.ForeignKey(
        DamageTrend,
        verbose_name=_("damage trend"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verification = models.CharField(
        _("verification level"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.REPORTED,
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        through="AssessmentCitation",
        blank=True,
        related_name="assessments",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["site", "-assessed_on", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = [("review_assessment", "Can publish or reject assessments")]
        constraints = [
            choices_constraint(
                "verification", Verification, "inspections_assessment_verification_valid"
            ),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_assessment_precision_valid"
            ),
            choices_constraint(
                "publication_status", PublicationStatus, "inspections_assessment_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["site", "-assessed_on"], name="inspections_assess_site_idx"),
            models.Index(fields=["assessed_on"], name="inspections_assess_date_idx"),
            # The latest published assessment of each site: condition, listing and sorting.
            models.Index(
                "site",
                F("assessed_on").desc(),
                F("id").desc(),
                condition=Q(publication_status="published"),
                name="inspections_assess_latest_idx",
            ),
            models.Index(fields=["verification"], name="inspections_assess_verif_idx"),
        ]

    def __str__(self):
        return f"{self.site}, {self.assessed_on.isoformat()}"

    def within_visit(self, visit=None):
        """False when this assessment's date cannot fall within its visit's dates."""
        visit = visit or self.visit
        if visit is None or self.assessed_on is None:
            return True
        mine, theirs = date_span(self.assessed_on, self.date_precision), visit.span()
        if mine is None or theirs is None:
            return True
        return mine[0] <= theirs[1] and theirs[0] <= mine[1]

    def validation_errors(self):
        errors = {}
        if self.visit_id is not None and not self.within_visit():
            span = self.visit.span()
            merge_errors(
                errors,
                {
                    "assessed_on": _(
                        "The assessment is dated outside its visit, which took place "
                        "from %(start)s to %(end)s."
                    )
                    % {
                        "start": date_format(span[0], "DATE_FORMAT"),
                        "end": date_format(span[1], "DATE_FORMAT"),
                    }
                },
            )
        return errors

    def publication_errors(self):
        cited = self.pk is not None and self.citations.filter(
            source__publication_status=PublicationStatus.PUBLISHED
        )
        if not cited or not cited.exists():
            return {
                "publication_status": _(
                    "A published assessment needs at least one citation of a published "
                    "source. Add one under “Assessment citations” and save before publishing."
                )
            }
        return {}


class AssessmentCitation(Citation):
    NATURAL_KEY = ("assessment__slug", "source__slug")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="citations"
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "source", "id"]
        verbose_name = _("assessment citation")
        verbose_name_plural = _("assessment citations")
        constraints = [
            *Citation.Meta.constraints,
            models.UniqueConstraint(
                fields=["assessment", "source"], name="inspections_assessmentcitation_unique"
            ),
        ]


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
    cause_type = models.ForeignKey(
        CauseType,
        verbose_name=_("cause type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cause_certainty = models.ForeignKey(
        Certainty,
        verbose_name=_("cause certainty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    effect_types = models.ManyToManyField(
        EffectType, verbose_name=_("effects"), blank=True, related_name="+"
    )
    effect_certainty = models.ForeignKey(
        Certainty,
        verbose_name=_("effect certainty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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

    objects = NaturalKeyQuerySet.as_manager()

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
            "date_from",
            "date_to",
            self.date_from,
            self.date_to,
            _("The end date is before the start date."),
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

    objects = NaturalKeyQuerySet.as_manager()

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


class SiteStatus(models.Model):
    """Each site's latest published assessment, kept up to date as assessments change.

    Listings filter, sort and count sites by their latest condition; reading it from here
    costs one join instead of a subquery per site. ``inspections.status`` keeps it in step:
    every save or deletion of an assessment refreshes its site's row, and
    ``manage.py refresh_site_status`` rebuilds every row. A site without a published
    assessment has no row, or a row with no assessment.
    """

    site = models.OneToOneField(
        Site, primary_key=True, on_delete=models.CASCADE, related_name="status"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    condition = models.ForeignKey(
        OverallCondition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=20, choices=DatePrecision.choices, blank=True)

    class Meta:
        verbose_name = _("site status")
        verbose_name_plural = _("site statuses")
        indexes = [
            models.Index(fields=["condition"], name="inspections_status_cond_idx"),
            models.Index(fields=["assessed_on"], name="inspections_status_date_idx"),
        ]

    def __str__(self):
        return f"{self.site_id}: {self.condition_id} ({self.assessed_on})"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class EvidenceFormat(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    WEBP = "WEBP", "WebP"
    TIFF = "TIFF", "TIFF"
    PDF = "PDF", "PDF"


class Licence(models.TextChoices):
    """Licences an evidence item may carry; the first group lets anyone copy the original."""

    CC0 = "CC0-1.0", _("CC0 1.0 (public domain dedication)")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY_ND = "CC-BY-ND-4.0", _("CC BY-ND 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", _("CC BY-NC-SA 4.0")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("CC BY-NC-ND 4.0")
    PERMISSION = "with-permission", _("Shown with the holder's permission; no reuse")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


#: Licences under which anyone may download and pass on the original file.
REDISTRIBUTABLE = {
    Licence.CC0,
    Licence.PUBLIC_DOMAIN,
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.CC_BY_ND,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.CC_BY_NC_ND,
}

#: Where each licence's terms are published.
LICENCE_URLS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


#: What an evidence item may be attached to: exactly one of these.
EVIDENCE_SUBJECTS = ("site", "assessment", "visit", "source")


def one_of(fields):
    """A condition that exactly one of the foreign keys ``fields`` is set."""
    condition = Q()
    for chosen in fields:
        condition |= Q(
            **{f"{name}__isnull": name != chosen for name in fields},
        )
    return condition


class EvidenceQuerySet(PublishableQuerySet):
    def public(self):
        """Published items whose site, assessment, visit or source the public may see too.

        An assessment's item also needs the assessment's site to be published.
        """
        published = PublicationStatus.PUBLISHED
        return self.filter(publication_status=published).filter(
            Q(site__publication_status=published)
            | Q(
                assessment__publication_status=published,
                assessment__site__publication_status=published,
            )
            | Q(visit__publication_status=published)
            | Q(source__publication_status=published)
        )


class Evidence(Publishable):
    """A photo or document attached to a site, an assessment, a visit or a source (an
    archived copy of a web page, say).

    The original file is stored as uploaded, under a name made from its SHA-256, and never
    replaced: the hash, size, format and pixel size are recorded when it arrives, with what
    its EXIF says about when, where and with what it was taken. The public sees renditions
    (``thumbnail``, ``web``) made from its pixels without any metadata, and the original
    only when the item is published, its licence lets anyone pass it on, and the file would
    not give away a withheld location (see :meth:`original_is_downloadable`).
    """

    Kind = EvidenceKind

    Format = EvidenceFormat

    Licence = Licence

    NATURAL_KEY = ("sha256",)

    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    assessment = models.ForeignKey(
        "Assessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text=_("For an archived copy of the source, for example of a web page."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, editable=False)
    original = models.FileField(_("original file"), max_length=200, editable=False)
    original_name = models.CharField(
        _("uploaded as"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The file's name on the uploader's computer; the register stores it by hash."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(
        _("height (pixels)"), null=True, blank=True, editable=False
    )
    language = models.CharField(
        _("language of the caption"),
        max_length=12,
        default="en",
        validators=[language_validator],
        help_text=_("Translations of the caption and alt text are added below."),
    )
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the photo shows, for people who cannot see it. Required before a photo is "
            "published."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who took the photo or made the document, as the public should see it. Left "
            "empty, the author the photo's EXIF data names is used."
        ),
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.ALL_RIGHTS_RESERVED
    )
    captured_on = models.DateField(
        _("capture date"),
        null=True,
        blank=True,
        help_text=_("Left empty, the date the camera recorded is used."),
    )
    camera_time = models.CharField(
        _("capture time recorded by the camera"),
        max_length=19,
        blank=True,
        editable=False,
        help_text=_("As the camera's clock wrote it, which has no time zone."),
    )
    camera = models.CharField(_("camera"), max_length=200, blank=True, editable=False)
    orientation = models.PositiveSmallIntegerField(
        _("EXIF orientation"), null=True, blank=True, editable=False
    )
    gps_latitude = models.DecimalField(
        _("GPS latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
    )
    gps_longitude = models.DecimalField(
        _("GPS longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True, editable=False)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    web = models.FileField(_("web-size image"), max_length=200, blank=True, editable=False)
    web_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    web_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("Order in the gallery, smallest first.")
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence")
        permissions = [("review_evidence", "Can publish or reject evidence")]
        constraints = [
            models.CheckConstraint(
                condition=one_of(EVIDENCE_SUBJECTS), name="inspections_evidence_one_subject"
            ),
            choices_constraint("kind", EvidenceKind, "inspections_evidence_kind_valid"),
            choices_constraint("format", EvidenceFormat, "inspections_evidence_format_valid"),
            choices_constraint("licence", Licence, "inspections_evidence_licence_valid"),
            choices_constraint(
                "publication_status", PublicationStatus, "inspections_evidence_status_valid"
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="inspections_evidence_sha256_length"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0), name="inspections_evidence_size_positive"
            ),
            models.CheckConstraint(
                # PDFs are documents, and documents are PDFs.
                condition=Q(kind=EvidenceKind.DOCUMENT, format=EvidenceFormat.PDF)
                | (~Q(kind=EvidenceKind.DOCUMENT) & ~Q(format=EvidenceFormat.PDF)),
                name="inspections_evidence_kind_matches_format",
            ),
            *coordinate_constraints("inspections_evidence_gps", "gps_"),
        ]

    def __str__(self):
        subject = self.subject
        label = self.caption.splitlines()[0][:80] if self.caption else self.sha256[:12]
        return f"{label} ({subject})" if subject is not None else label

    @property
    def subject(self):
        """The site, assessment, visit or source the item is attached to."""
        return self.site or self.assessment or self.visit or self.source

    @property
    def subject_site(self):
        """The site the item is evidence about, if one: its own, or its assessment's."""
        if self.site_id:
            return self.site
        if self.assessment_id:
            return self.assessment.site
        return None

    @property
    def is_photo(self):
        return self.kind == EvidenceKind.PHOTO

    @property
    def media_type(self):
        from inspections.evidence import FORMATS

        return FORMATS[self.format][1]

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    def original_is_downloadable(self):
        """Whether the public may download the original file.

        Only a published item (the caller checks that it is public) under a licence that
        lets anyone pass the file on, and, when the file carries GPS coordinates, only if
        the item is about a site whose location the public may see: a visit's item, or one
        of a site with a withheld location, would give the location away.
        """
        if self.licence not in REDISTRIBUTABLE:
            return False
        if self.gps_latitude is None:
            return True
        site = self.subject_site
        return site is not None and site.location_precision != Site.Precision.WITHHELD

    def localized(self, language=None):
        """(caption, alt text) in the visitor's language when translated, else the original.

        Reads ``translations`` through the prefetch cache when a page has prefetched them.
        """
        language = (language or get_language() or "en").split("-")[0]
        if self.language.split("-")[0] != language:
            for translation in self.translations.all():
                if translation.language.split("-")[0] == language:
                    return (
                        translation.caption or self.caption,
                        translation.alt_text or self.alt_text,
                    )
        return self.caption, self.alt_text

    def gps_distance_km(self):
        """How far the EXIF position lies from the site's own coordinates, or None."""
        from inspections.evidence import distance_km

        site = self.subject_site
        if self.gps_latitude is None or site is None or site.latitude is None:
            return None
        return distance_km(self.gps_latitude, self.gps_longitude, site.latitude, site.longitude)

    def validation_errors(self):
        subjects = [getattr(self, f"{name}_id") for name in EVIDENCE_SUBJECTS]
        if sum(subject is not None for subject in subjects) != 1:
            return {
                "site": _("Attach the item to exactly one site, assessment, visit or source."),
            }
        return {}

    def publication_errors(self):
        if self.kind == EvidenceKind.PHOTO and not self.alt_text.strip():
            return {"alt_text": _("A photo needs alt text before it is published.")}
        return {}


class EvidenceTranslation(NaturalKeyModel):
    """An evidence item's caption and alt text in another language."""

    NATURAL_KEY = ("evidence__sha256", "language")

    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidence item"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=12, validators=[language_validator])
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(_("alt text"), max_length=500, blank=True)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["evidence", "language"]
        verbose_name = _("translation of a caption")
        verbose_name_plural = _("translations of the caption")
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "language"], name="inspections_evidence_translation_unique"
            ),
            not_blank("language", "inspections_evidence_translation_language"),
        ]

    def __str__(self):
        return f"{self.evidence_id} ({self.language})"
