"""Counts of public sites by cell of the map's grid, kept up to date as records change, so
that the map's data costs the same with a cold cache as with a warm one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The finest grid kept: the map counts sites on cells of this zoom and every coarser one.
FINE_ZOOM = 12


def cell_size(zoom):
    """The side of a grid cell at ``zoom``, in degrees: about 64 screen pixels of a web map
    (whose tiles are 256 pixels for 360 degrees at zoom 0). A cell is exactly four cells of
    the next zoom, so every zoom's cells are unions of the finest ones."""
    return 90 / 2**zoom


class MapCell(models.Model):
    """The public sites whose public point (a withheld location's is its place's) lies in
    one cell of the grid of one zoom: ``floor(latitude / cell_size(zoom))`` is its ``row``,
    ``floor(longitude / cell_size(zoom))`` its ``column``.

    ``counts`` holds, for each category and latest condition present, the number of sites
    and the sums of their latitudes and longitudes in millionths of a degree (whole numbers,
    so that adding and taking away is exact): ``{"mosque|3": [12, 476012345, 565123456]}``,
    the condition empty for a site without one. The mean of the sums places the cluster.
    ``conditions`` holds the same summed over the categories (``{"3": [...], "": [...]}``),
    which is all the map reads without a category filter. ``facets`` holds the same under
    an organisation (``"o:7|3"``: the sites that organisation assessed, or visited on a
    published visit, whose latest condition is 3) and under a verification level
    (``"v:verified|3"``: the sites with a published assessment of that level), and
    ``organisation_levels`` under both of one assessment (``"w:7:verified|3"``: the sites
    that organisation assessed or visited with an assessment of that level), so that the map
    of one organisation's or one level's sites, or of both, reads cells too;
    ``category_facets`` the same by category (``"c:mosque:o:7|3"``: that organisation's
    mosques whose latest condition is 3), for the map of one organisation's or level's sites
    of a category.
    ``years`` holds the same under the year of an assessment (``"y:2021|3"``: the sites with
    a published assessment dated in 2021), for the map of a year's assessments;
    ``latest_years`` under the year of the latest (``"l:2021|3"``), for the map of the sites
    assessed since a day, and ``earliest_years`` under that of the earliest
    (``"e:2019|3"``), for the map of the sites assessed up to a day. ``year_pairs`` holds
    the same under each two years in a row of the years a site was assessed in
    (``"p:2019:2022|3"``: the sites assessed in 2019 and in 2022 and in no year between), so
    that the map of the sites assessed from one year to a later one reads the years between
    less the pairs of years between. A site is counted once under each organisation, level
    and year of its published assessments, and once under the year of its latest and once
    under that of its earliest.

    Each kind of key has a field of its own because the map reads a field's entries of one
    kind by unpacking the whole field in the database (``inspections.json_entries``), which
    costs by the entries it holds: at 500,000 sites, a cell of zoom 10 held 348 entries of
    years on average, 101 of them of the latest years.

    The counts of the months and days of the sites' assessments are kept apart, a row a year
    (``MapCellYear``): a change of a site's condition or dates writes the rows of its years
    only.

    ``inspections.map_cells`` keeps the rows in step in the transaction of the change (a
    site saved, moved, published or deleted, a place moved, an import written, the latest
    assessments refreshed); ``manage.py rebuild_map_cells`` recomputes them all.
    """

    zoom = models.PositiveSmallIntegerField()
    row = models.IntegerField()
    column = models.IntegerField()
    sites = models.PositiveIntegerField()
    counts = models.JSONField()
    conditions = models.JSONField()
    # A cell's sites may have no published assessment, or none in two years: no entries.
    facets = models.JSONField(default=dict, blank=True)
    category_facets = models.JSONField(default=dict, blank=True)
    organisation_levels = models.JSONField(default=dict, blank=True)
    years = models.JSONField(default=dict, blank=True)
    latest_years = models.JSONField(default=dict, blank=True)
    earliest_years = models.JSONField(default=dict, blank=True)
    year_pairs = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["zoom", "row", "column"]
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [
            models.UniqueConstraint(
                fields=["zoom", "row", "column"], name="inspections_mapcell_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(sites__gt=0), name="inspections_mapcell_positive"
            ),
        ]

    def __str__(self):
        return f"{self.zoom}/{self.row}/{self.column}: {self.sites}"


class MapCellYear(models.Model):
    """The counts of one year of a map cell's sites (``MapCell``), in one row: ``counts``
    holds, as ``MapCell.counts`` does, the sites under the months of their published
    assessments dated in that year (``"a:2023-02|3"``: the sites with one dated in February
    2023 whose latest condition is 3), under each two months in a row of the months a site
    was assessed in, less than twelve apart, of which the first is in that year
    (``"q:2023-11:2024-02|3"``: assessed in November 2023 and February 2024 and in no month
    between; ``inspections.map_cells.PAIRED_MONTHS``), under the year by category
    (``"k:2023:mosque|3"``: the mosques with an assessment dated in 2023), and under the
    month and the day of their latest published assessment when it is in that year
    (``"m:2023-02|3"``, ``"d:2023-02-14|3"``), and of their earliest (``"f:2019-04|3"``,
    ``"g:2019-04-02|3"``). So the map of the sites assessed from the
    first day of a month to the last of the same or a later one (a quarter, the first half of
    a year) reads the months between less the pairs of months between, the map of a year's
    mosques one key, and the map of the sites assessed since a day the later months of its
    year from its year's row and the days of the rest of its month from its month's, and
    that of the sites assessed up to a day the earlier months and the days up to it.

    The days are kept in a row of their month (``month`` 1 to 12), every other key in the
    year's own row (``month`` 0): at 500,000 sites the days were 26,052 of the 37,841 entries
    of a year's rows of a country's box at zoom 7, which every map of a year's months read
    through. Kept apart from ``MapCell`` so that a change writes a few years' rows rather
    than every year's counts: on SQLite an update writes a row whole, and a coarse cell's
    counts of every month and pair of months of 31 years took 1.2 MB at 500,000 sites."""

    zoom = models.PositiveSmallIntegerField()
    row = models.IntegerField()
    column = models.IntegerField()
    year = models.IntegerField()
    #: 0: the year's row; 1 to 12: the row of the days of that month of the year.
    month = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField()

    class Meta:
        ordering = ["zoom", "row", "column", "year", "month"]
        verbose_name = _("map cell's year")
        verbose_name_plural = _("map cells' years")
        constraints = [
            models.UniqueConstraint(
                fields=["zoom", "year", "month", "row", "column"],
                name="inspections_mapcellyear_unique",
            ),
        ]

    def __str__(self):
        period = f"{self.year}-{self.month:02}" if self.month else str(self.year)
        return f"{self.zoom}/{self.row}/{self.column} {period}"
