"""Each site's latest published assessment, denormalised for the public listings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import DatePrecision
from heritage.models import Site
from inspections.models.assessments import Assessment, Verification
from inspections.models.vocabularies import OverallCondition


class ConditionStatus(models.TextChoices):
    """What a site's latest condition is, in one vocabulary for every page and export: a
    condition an assessment states, an assessment that states none ("Condition not stated"),
    or no published assessment at all ("Not assessed")."""

    STATED = "stated", _("Condition stated")
    NOT_STATED = "not_stated", _("Condition not stated")
    NOT_ASSESSED = "not_assessed", _("Not assessed")

    @classmethod
    def of(cls, condition_id, assessed_on):
        """The status of a latest condition ``condition_id`` assessed on ``assessed_on``."""
        if condition_id is not None:
            return cls.STATED
        return cls.NOT_STATED if assessed_on is not None else cls.NOT_ASSESSED


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
    verification = models.CharField(max_length=20, choices=Verification.choices, blank=True)
    #: The latest assessment ties to the site only through the register's own inference (see
    #: ``Assessment.identification``): every page and export that shows the condition flags it.
    inferred = models.BooleanField(default=False)
    #: The latest verdicts of the organisations that assessed the site fall in different
    #: UNOSAT classes (``inspections.crosswalk``; see ``inspections.status.disputed_sites``):
    #: what ``/disagreements/`` lists.
    disputed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("site status")
        verbose_name_plural = _("site statuses")
        indexes = [
            models.Index(fields=["condition"], name="inspections_status_cond_idx"),
            models.Index(fields=["assessed_on"], name="inspections_status_date_idx"),
            # A filter by condition among the sites found another way (an area's, by their
            # place) reads each site's condition from this index alone: on SQLite the primary
            # key, a bigint, is not the row id, and its index does not hold the condition
            # (the API's sites of a condition in a district at 500,000 sites: 12 ms, then 4).
            models.Index(fields=["site", "condition"], name="inspections_status_site_idx"),
            models.Index(
                fields=["site"],
                condition=models.Q(disputed=True),
                name="inspections_status_dispute_idx",
            ),
        ]

    def __str__(self):
        return f"{self.site_id}: {self.condition_id} ({self.assessed_on})"
