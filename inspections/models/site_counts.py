"""Counts of public sites, kept up to date as records change, for the pages that summarise
the whole register."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.models import Place, SiteCategory
from inspections.models.assessments import Verification
from inspections.models.vocabularies import OverallCondition


class SiteCount(models.Model):
    """How many public sites of one place have one category, one latest condition and one
    verification level (that of their latest published assessment).

    The key is the site's own place; a district's or a city's figures are the sum over the
    places below it, so moving a village to another district changes no row here.
    ``inspections.counts`` keeps the rows in step, in the transaction of the change: a
    site saved or deleted, an assessment or visit saved, an import written, the site status
    refreshed. ``manage.py rebuild_site_counts`` recomputes them all. Sites without a
    published assessment count with no condition and an empty verification level.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=30, choices=SiteCategory.choices)
    condition = models.ForeignKey(
        OverallCondition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(max_length=20, choices=Verification.choices, blank=True)
    sites = models.PositiveIntegerField()

    class Meta:
        ordering = ["place", "category", "condition", "verification"]
        verbose_name = _("site count")
        verbose_name_plural = _("site counts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_sitecount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.category} {self.condition_id} {self.verification}"
