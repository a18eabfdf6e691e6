"""Restoration projects of sites: what was planned or done to a building after the damage.

These records live in ``inspections`` rather than ``heritage`` because a project is read
against the assessments made before and after the work and the photos (evidence) that show
them, which are this app's records; ``inspections`` may import ``heritage`` (sites,
organisations, sources), never the other way round.

A project's status is a timeline of :class:`ProjectStatusUpdate` rows, each dated and
sourced; the current status is the latest one (``RestorationProjectQuerySet``). Budgets are
amounts in one currency each, with their source: sums are made per currency, never across.
Whether the work kept or changed the building's historic fabric (Caucasus Heritage Watch
distinguishes "restored" from "renovated") is a claim with its own source.
"""

from django.core.exceptions import ValidationError
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
    publication_constraint,
)
from heritage.models import Organisation, Site, Source, text_language_field
from heritage.models.sources import unpublished_source_error
from heritage.reversing import slug_url
from inspections.models.evidence import Evidence
from inspections.models.recovery_queries import RestorationProjectQuerySet


class ProjectKind(models.TextChoices):
    CONSERVATION = "conservation", _("Conservation")
    RESTORATION = "restoration", _("Restoration")
    RECONSTRUCTION = "reconstruction", _("Reconstruction")
    RENOVATION = "renovation", _("Renovation")
    STABILISATION = "stabilisation", _("Stabilisation")
    CLEARANCE = "clearance", _("Clearance of mines or debris")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNED = "planned", _("Planned")
    FUNDED = "funded", _("Funded")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class FabricOutcome(models.TextChoices):
    UNKNOWN = "", _("Not reported")
    KEPT = "kept", _("Kept the historic fabric (restored)")
    CHANGED = "changed", _("Changed the historic fabric (renovated)")


def spans_in_order(earlier, earlier_precision, later, later_precision):
    """False when ``later`` certainly comes before ``earlier`` at their precisions."""
    first, second = date_span(earlier, earlier_precision), date_span(later, later_precision)
    if first is None or second is None:
        return True
    return second[1] >= first[0]


def precision_field(verbose_name):
    return models.CharField(
        verbose_name, max_length=20, choices=DatePrecision.choices, default=DatePrecision.DAY
    )


class RestorationProject(Publishable):
    """Work planned or done on one site: conservation, restoration, reconstruction…"""

    Kind = ProjectKind
    Status = ProjectStatus
    Fabric = FabricOutcome

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="restoration_projects",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = precision_field(_("start date precision"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = precision_field(_("end date precision"))
    description = models.TextField(_("description"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="restoration_projects",
        help_text=_("The source that reports the project."),
    )
    fabric = models.CharField(
        _("historic fabric"),
        max_length=10,
        choices=Fabric.choices,
        blank=True,
        help_text=_("Whether the work kept or changed the building's historic fabric."),
    )
    fabric_source = optional_foreign_key(
        Source,
        _("source on the historic fabric"),
        related_name="fabric_claims",
        help_text=_("Required when the historic fabric is reported kept or changed."),
    )
    fabric_summary = models.TextField(_("what that source says"), blank=True)
    text_language = text_language_field(_("language of the title and description"))
    site_published = models.BooleanField(
        _("site published"),
        default=False,
        editable=False,
        help_text=_("Kept equal to whether the site is published (inspections.project_sites)."),
    )

    objects = RestorationProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("restoration project")
        verbose_name_plural = _("restoration projects")
        permissions = [("review_restorationproject", "Can publish or reject restoration projects")]
        # The public list (published projects of published sites) walks an index of its own,
        # so that neither its count nor its page reads the sites.
        indexes = [
            models.Index(fields=["title", "id"], name="inspections_project_order_idx"),
            models.Index(
                fields=["title", "id"],
                condition=Q(publication_status="published", site_published=True),
                name="inspections_project_public_idx",
            ),
        ]
        constraints = [
            choices_constraint("kind", ProjectKind, "inspections_project_kind_valid"),
            choices_constraint("fabric", FabricOutcome, "inspections_project_fabric_valid"),
            choices_constraint(
                "start_precision", DatePrecision, "inspections_project_start_precision_valid"
            ),
            choices_constraint(
                "end_precision", DatePrecision, "inspections_project_end_precision_valid"
            ),
            publication_constraint("inspections_project_pubstatus_valid"),
            not_blank("title", "inspections_project_title_not_blank"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="inspections_project_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fabric="") | Q(fabric_source__isnull=False),
                name="inspections_project_fabric_sourced",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("restoration-detail", self.slug)

    def validation_errors(self):
        errors = {}
        if (
            self.start_date is not None
            and self.end_date is not None
            and self.end_date < self.start_date
        ):
            errors["end_date"] = [_("The end date is before the start date.")]
        if self.fabric and self.fabric_source_id is None:
            errors["fabric_source"] = [
                _("Say which source reports what the work did to the historic fabric.")
            ]
        if self.pk is not None and self.site_id is not None:
            links = self.evidence_links.select_related(
                "evidence__site", "evidence__assessment__site"
            )
            misplaced = [
                str(link.evidence)
                for link in links
                if evidence_site_error(link.evidence, self.site) is not None
            ]
            if misplaced:
                errors["site"] = [
                    _(
                        "The project's before/after photos are of another site: %(items)s. "
                        "Remove them before moving the project."
                    )
                    % {"items": "; ".join(misplaced)}
                ]
        return errors

    def publication_errors(self):
        errors = unpublished_source_error(
            self, _("A published restoration project needs a published source.")
        )
        if self.site_id is not None and not self.site.is_public:
            merge_errors(errors, {"site": _("Publish the site before its restoration project.")})
        return errors

    def fabric_is_public(self):
        """The historic-fabric claim may be shown: it is made and its source is published."""
        return bool(self.fabric) and self.fabric_source is not None and self.fabric_source.is_public


class ProjectStatusUpdate(NaturalKeyModel):
    """A project's status from a date on, according to a source."""

    NATURAL_KEY = ("project__slug", "status", "date")

    project = models.ForeignKey(
        RestorationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_updates",
    )
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices)
    date = models.DateField(_("date"))
    date_precision = precision_field(_("date precision"))
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("what the source says"), blank=True)

    class Meta:
        ordering = ["project", "date", "id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            choices_constraint("status", ProjectStatus, "inspections_projectupdate_status_valid"),
            choices_constraint(
                "date_precision", DatePrecision, "inspections_projectupdate_precision_valid"
            ),
            models.UniqueConstraint(
                fields=["project", "status", "date"], name="inspections_projectupdate_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date.isoformat()})"


class OrganisationRole(models.TextChoices):
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementer")
    SUPERVISOR = "supervisor", _("Supervisor")
    CONTRACTOR = "contractor", _("Contractor")


class ProjectRole(NaturalKeyModel):
    """An organisation's part in a project, according to a source."""

    NATURAL_KEY = ("project__slug", "organisation__slug", "role")

    Role = OrganisationRole

    project = models.ForeignKey(
        RestorationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="project_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    source = optional_foreign_key(
        Source,
        _("source"),
        related_name="+",
        help_text=_("Leave empty if the project's source says it."),
    )

    class Meta:
        ordering = ["project", "role", "organisation"]
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        constraints = [
            choices_constraint("role", OrganisationRole, "inspections_projectrole_role_valid"),
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="inspections_projectrole_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectBudget(NaturalKeyModel):
    """An amount of money for a project in one currency, according to a source."""

    NATURAL_KEY = ("project__slug", "currency", "amount")

    project = models.ForeignKey(
        RestorationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. AZN, USD, EUR.")
    )
    label = models.CharField(
        _("what it is"), max_length=200, blank=True, help_text=_("e.g. estimated cost, grant.")
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("what the source says"), blank=True)

    class Meta:
        ordering = ["project", "currency", "id"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="inspections_budget_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="inspections_budget_currency_code"
            ),
            models.UniqueConstraint(
                fields=["project", "currency", "amount"], name="inspections_budget_unique"
            ),
        ]

    def __str__(self):
        return f"{self.amount.normalize():f} {self.currency}"

    def clean(self):
        super().clean()
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = [_("A budget cannot be negative.")]
        if not self.currency or not (
            len(self.currency) == 3 and self.currency.isascii() and self.currency.isupper()
        ):
            errors["currency"] = [_("Give the currency as a three-letter code, such as AZN.")]
        if errors:
            raise ValidationError(errors)


class EvidencePhase(models.TextChoices):
    BEFORE = "before", _("Before the work")
    DURING = "during", _("During the work")
    AFTER = "after", _("After the work")


class ProjectEvidence(NaturalKeyModel):
    """A photo or document showing the site before, during or after the work."""

    NATURAL_KEY = ("project__slug", "evidence__sha256")

    Phase = EvidencePhase

    project = models.ForeignKey(
        RestorationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)

    class Meta:
        ordering = ["project", "phase", "id"]
        verbose_name = _("before/after evidence")
        verbose_name_plural = _("before/after evidence")
        constraints = [
            choices_constraint("phase", EvidencePhase, "inspections_projectevidence_phase_valid"),
            models.UniqueConstraint(
                fields=["project", "evidence"], name="inspections_projectevidence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.evidence} ({self.get_phase_display()})"

    def clean(self):
        super().clean()
        project = getattr(self, "project", None) if self.project_id is None else self.project
        evidence = self.evidence if self.evidence_id is not None else None
        if project is None or evidence is None or project.site_id is None:
            return
        error = evidence_site_error(evidence, project.site)
        if error:
            raise ValidationError({"evidence": error})


def evidence_site_error(evidence, site):
    """Why ``evidence`` cannot show ``site`` before or after its work, or None: it must be
    about that site (attached to it or to one of its assessments)."""
    subject = evidence.subject_site
    if subject is not None and subject.pk == site.pk:
        return None
    if subject is None:
        return _(
            "“%(evidence)s” is not about a site (it is attached to a visit or a source): "
            "before/after photos must be of the project's site, %(site)s. Attach the photo "
            "to the site or to one of its assessments first."
        ) % {"evidence": evidence, "site": site}
    return _(
        "“%(evidence)s” is about %(other)s, not about the project's site, %(site)s: "
        "before/after photos must show the site the work is done on."
    ) % {"evidence": evidence, "other": subject, "site": site}


def budget_totals(budgets):
    """[(currency, total)] of ``budgets``, one per currency, never summed across them."""
    totals = {}
    for budget in budgets:
        totals[budget.currency] = totals.get(budget.currency, 0) + budget.amount
    return sorted(totals.items())


__all__ = [
    "EvidencePhase",
    "FabricOutcome",
    "OrganisationRole",
    "ProjectBudget",
    "ProjectEvidence",
    "ProjectKind",
    "ProjectRole",
    "ProjectStatus",
    "ProjectStatusUpdate",
    "RestorationProject",
    "budget_totals",
    "spans_in_order",
]
