"""Condition assessments, in EAMENA's structure, and the sources they cite.

An :class:`Assessment` records one site's condition on a date, optionally within a
:class:`~inspections.models.visits.Visit`; its disturbances are in
:mod:`inspections.models.disturbances`.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    DatePrecision,
    Publishable,
    choices_constraint,
    date_span,
    merge_errors,
    optional_foreign_key,
    publication_constraint,
)
from heritage.models import (
    Citation,
    Organisation,
    Site,
    Source,
    citation_constraints,
    text_language_field,
    with_public_source,
)
from inspections.models.querysets import AssessmentQuerySet
from inspections.models.visits import Visit
from inspections.models.vocabularies import (
    AssessmentType,
    DamageExtent,
    DamageTrend,
    OverallCondition,
    Priority,
)
from inspections.verification import verification_conflict


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
    visit = optional_foreign_key(Visit, _("visit"), related_name="assessments")
    assessed_on = models.DateField(_("assessment date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    assessed_by = optional_foreign_key(Organisation, _("assessed by"), related_name="assessments")
    assessment_type = optional_foreign_key(AssessmentType, _("assessment type"), related_name="+")
    overall_condition = optional_foreign_key(
        OverallCondition, _("overall condition"), related_name="assessments"
    )
    damage_extent = optional_foreign_key(DamageExtent, _("damage extent"), related_name="+")
    damage_trend = optional_foreign_key(DamageTrend, _("damage trend"), related_name="+")
    priority = optional_foreign_key(Priority, _("priority"), related_name="+")
    verification = models.CharField(
        _("verification level"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.REPORTED,
    )
    summary = models.TextField(_("summary"), blank=True)
    text_language = text_language_field(_("language of the summary"))
    identification = optional_foreign_key(
        "heritage.SiteClaim",
        _("identification it rests on"),
        related_name="assessments",
        help_text=_(
            "When the source names the site differently (the “Juma Mosque”) and only the "
            "register's identification ties this assessment to the site, the claim of that "
            "identification. Public pages flag an assessment that rests on an inference."
        ),
    )
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
            publication_constraint("inspections_assessment_status_valid"),
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
            # The sites of the published assessments of some days, from the index alone: the
            # map of a year's mosques counted from the sites (public.views.map_data) read the
            # 50,000 assessments of the year from the table (120 ms at 500,000 sites on
            # PostgreSQL; see heritage 0023 for the sites' side). SQLite's maps of those
            # dates take as long with it as without. (Led by the state rather than partial,
            # it sent SQLite's plan of a year's mosques listing astray: 122 s.)
            models.Index(
                fields=["assessed_on", "site", "visit"],
                condition=Q(publication_status="published"),
                name="inspections_assess_pub_on_idx",
            ),
            # An organisation's assessments, newest first (its page lists the first few): by
            # the foreign key's index alone, all of them were read and sorted (0.7 s for
            # 300,000 at 500,000 sites on SQLite).
            models.Index(
                "assessed_by",
                F("assessed_on").desc(),
                F("id").desc(),
                condition=Q(publication_status="published"),
                name="inspections_assess_by_idx",
            ),
            # The feed of newly published assessments (public.views.feeds), newest first,
            # and of those whose publication time is not recorded, by date. The site and the
            # visit end each, so that a filtered feed checks them while walking the index.
            models.Index(
                F("reviewed_at").desc(),
                F("assessed_on").desc(),
                F("id").desc(),
                "site",
                "visit",
                condition=Q(publication_status="published", reviewed_at__isnull=False),
                name="inspections_assess_feed2_idx",
            ),
            models.Index(
                F("assessed_on").desc(),
                F("id").desc(),
                "site",
                "visit",
                condition=Q(publication_status="published", reviewed_at__isnull=True),
                name="inspections_assess_undated_idx",
            ),
        ]

    def __str__(self):
        return f"{self.site}, {self.assessed_on.isoformat()}"

    @property
    def rests_on_inference(self):
        """True when only the register's own inference ties this assessment to its site."""
        return self.identification_id is not None and self.identification.is_inference

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
        if self.pk is None or not with_public_source(self.citations.all()).exists():
            return {
                "publication_status": _(
                    "A published assessment needs at least one citation of a published "
                    "source. Add one under “Assessment citations” and save before publishing."
                )
            }
        sources = [citation.source for citation in with_public_source(self.citations.all())]
        conflict = verification_conflict(self.verification, sources)
        if conflict:
            return {"verification": conflict}
        return {}


class AssessmentCitation(Citation):
    NATURAL_KEY = ("assessment__slug", "source__slug")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="citations"
    )

    class Meta:
        ordering = ["assessment", "source", "id"]
        verbose_name = _("assessment citation")
        verbose_name_plural = _("assessment citations")
        constraints = citation_constraints("assessment")
