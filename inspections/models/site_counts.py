"""Counts of public sites, kept up to date as records change, for the pages that summarise
the whole register, a district or a village.

Each count has two kinds of row for a place: those of its own sites (``below`` false) and
those of the sites of every place below it (``below`` true). An area's figures are the sum of
its rows of both kinds, and the whole register's the sum of the rows of the places at the top
of the hierarchy: a page reads the few rows of the places it shows, never one row a village.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.models import Place, SiteCategory, Source
from inspections.models.assessments import Verification
from inspections.models.vocabularies import OverallCondition


class SiteCount(models.Model):
    """How many public sites of one place have one category, one latest condition and one
    verification level (that of their latest published assessment).

    The key is a place and whether the row counts its own sites or those of the places
    below it (see the module's docstring). ``inspections.counts`` keeps the rows in step,
    in the transaction of the change: a site saved or deleted, an assessment, a visit or a
    citation saved, an import written, the site status refreshed.
    ``manage.py rebuild_site_counts`` recomputes them all.

    Sites without a published assessment count with no condition, an empty verification
    level and ``assessed`` false; a latest assessment that states no condition counts with
    no condition and ``assessed`` true. ``inferred`` is true when the latest assessment ties
    to the site only through the register's own inference (``SiteStatus.inferred``).
    """

    # Indexed first in ``Meta.indexes``, which serves every query by place.
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.CharField(max_length=30, choices=SiteCategory.choices)
    condition = models.ForeignKey(
        OverallCondition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(max_length=20, choices=Verification.choices, blank=True)
    assessed = models.BooleanField(default=False)
    inferred = models.BooleanField(default=False)
    below = models.BooleanField(
        default=False, help_text=_("Counts the sites of the places below this one.")
    )
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
        indexes = [
            # The sums by district of /statistics/ read their rows from the index alone, in
            # the order they are grouped by (with a category, testing it there too): at
            # 500,000 sites, the 24,000 rows of 80 districts were summed in 15 ms on SQLite,
            # sorted after reading each row of the table, and in 5.5.
            models.Index(
                fields=["place", "condition", "verification", "category", "sites"],
                name="inspections_sitecount_sums",
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.category} {self.condition_id} {self.verification}"


class AssessmentMonthCount(models.Model):
    """How many public sites of one place have a public assessment made in one month (a
    site assessed twice in the month counts once). Kept with :class:`SiteCount`."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    month = models.SmallIntegerField()
    below = models.BooleanField(
        default=False, help_text=_("Counts the sites of the places below this one.")
    )
    sites = models.PositiveIntegerField()

    class Meta:
        ordering = ["place", "year", "month"]
        verbose_name = _("count of sites assessed in a month")
        verbose_name_plural = _("counts of sites assessed in a month")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_monthcount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.year}-{self.month:02d}: {self.sites}"


class AssessedYearCount(models.Model):
    """How many public sites of one place have a public assessment made in one year, by the
    site's category and its latest condition (a site assessed twice in the year counts once).
    Kept with :class:`SiteCount`: the listing of the sites assessed in a whole year (as
    ``/statistics/`` links the years), with a category, a condition or an area, counts them
    from a few rows rather than testing each site for an assessment of that year."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    category = models.CharField(max_length=30, choices=SiteCategory.choices)
    condition = models.ForeignKey(
        OverallCondition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    below = models.BooleanField(
        default=False, help_text=_("Counts the sites of the places below this one.")
    )
    sites = models.PositiveIntegerField()

    class Meta:
        ordering = ["place", "year", "category", "condition"]
        verbose_name = _("count of sites assessed in a year")
        verbose_name_plural = _("counts of sites assessed in a year")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_yearcount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.year} {self.category} {self.condition_id}: {self.sites}"


class DamageDating(models.TextChoices):
    BEGAN = "began", _("Began")
    BEFORE = "before", _("Happened before")
    UNDATED = "undated", _("Not dated")


class DamageYearCount(models.Model):
    """How many public sites of one place have, in their public assessments, a disturbance
    that began in a year, one that happened before a date in that year, or one without a
    date (``year`` empty). Kept with :class:`SiteCount`."""

    Dating = DamageDating

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField(null=True, blank=True)
    dating = models.CharField(max_length=10, choices=DamageDating.choices)
    below = models.BooleanField(
        default=False, help_text=_("Counts the sites of the places below this one.")
    )
    sites = models.PositiveIntegerField()

    class Meta:
        ordering = ["place", "year", "dating"]
        verbose_name = _("count of sites by the year of their damage")
        verbose_name_plural = _("counts of sites by the year of their damage")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_damagecount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.year} {self.dating}: {self.sites}"


class CitedSourceCount(models.Model):
    """How many public sites of one place cite one source (``below``: the sites of the
    places below it). Kept with :class:`SiteCount`: an area's page lists the sources cited
    for its sites from its own few rows, not from the citations of every site in it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    below = models.BooleanField(
        default=False, help_text=_("Counts the sites of the places below this one.")
    )
    sites = models.PositiveIntegerField()

    class Meta:
        ordering = ["place", "source"]
        verbose_name = _("count of sites citing a source")
        verbose_name_plural = _("counts of sites citing a source")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_citedsourcecount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place_id} {self.source_id}: {self.sites}"
