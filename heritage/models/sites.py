"""Sites: heritage places and cultural institutions, with their names."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    Publishable,
    choices_constraint,
    coordinate_constraints,
    coordinate_errors,
    coordinate_field,
    merge_errors,
    not_blank,
    ordered_error,
    publication_constraint,
    range_constraint,
)
from heritage.models.names import (
    NameKind,
    NameVariant,
    base_language,
    name_constraints,
    preferred_name,
    shows_variants,
    wikidata_validator,
)
from heritage.models.places import Place
from heritage.models.site_queries import SiteQuerySet
from heritage.models.slugs import KeepsOldSlugs
from heritage.models.translations import localized_text, text_language_field
from heritage.reversing import slug_url
from heritage.text import fold


class SiteCategory(models.TextChoices):
    MOSQUE = "mosque", _("Mosque")
    CARAVANSERAI = "caravanserai", _("Caravanserai")
    CEMETERY = "cemetery", _("Cemetery")
    LIBRARY = "library", _("Library")
    PALACE_OF_CULTURE = "palace_of_culture", _("Palace of culture or club")
    MUSIC_ART_SCHOOL = "music_art_school", _("Music and art school")
    EDUCATIONAL = "educational", _("Educational institution")
    MUSEUM = "museum", _("Museum")
    MONUMENT = "monument", _("Monument")
    HISTORIC_BUILDING = "historic_building", _("Historic building")
    ARCHAEOLOGICAL = "archaeological", _("Archaeological site")
    OTHER = "other", _("Other")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    SETTLEMENT = "settlement", _("Settlement-level")
    WITHHELD = "withheld", _("Withheld from the public")


class Importance(models.TextChoices):
    WORLD = "world", _("World importance")
    NATIONAL = "national", _("National importance")
    LOCAL = "local", _("Local importance")


def by_last_assessment(descending=True):
    """The order of sites by the date of their latest published assessment (the newest first,
    or the oldest first), the sites never assessed last, then by name: the order of the
    indexes ``heritage_site_recent_idx`` and ``heritage_site_earliest_idx``, so that a page of
    the listing in that order is read from an index, as a page by name is (and within a
    category, ``heritage_site_cat_recent_idx`` and ``heritage_site_cat_earliest_idx``).

    The undated sites are put last by a key of their own, not by ``NULLS LAST``: SQLite cannot
    index that order for ascending dates, nor PostgreSQL without saying it in the index."""
    date = F("last_assessed_on")
    return [IsNull(date, True), date.desc() if descending else date.asc(), F("name"), F("id")]


class Site(KeepsOldSlugs, Publishable):
    """A heritage place or cultural institution."""

    Category = SiteCategory

    Precision = LocationPrecision

    Importance = Importance

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    name = models.CharField(
        _("name"), max_length=300, help_text=_("The name the register shows in English.")
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="sites"
    )
    latitude = coordinate_field(_("latitude"))
    longitude = coordinate_field(_("longitude"))
    location_precision = models.CharField(
        _("location precision"),
        max_length=20,
        choices=Precision.choices,
        default=Precision.SETTLEMENT,
        help_text=_("“Withheld” shows the public only the place's coordinates."),
    )
    year_from = models.SmallIntegerField(_("built from (year)"), null=True, blank=True)
    year_to = models.SmallIntegerField(_("built to (year)"), null=True, blank=True)
    dating_label = models.CharField(
        _("dating"),
        max_length=100,
        blank=True,
        help_text=_("As written, e.g. “17th century” or “AH 1095 / 1683–84”."),
    )
    registry_number = models.CharField(
        _("registry number"),
        max_length=50,
        blank=True,
        help_text=_("Number in the national inventory of monuments."),
    )
    importance = models.CharField(
        _("importance"), max_length=20, choices=Importance.choices, blank=True
    )
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_validator]
    )
    description = models.TextField(_("description"), blank=True)
    text_language = text_language_field(_("language of the description"))
    folded_name = models.CharField(
        _("search form of the name"), max_length=300, editable=False, default=""
    )
    #: The date of the site's latest published assessment, or None: a copy of its status's
    #: (``inspections.models.SiteStatus``), which the inspections app writes as it keeps the
    #: status (``inspections.status``), so that the listing sorts by it through an index of
    #: this table (:func:`by_last_assessment`). A save of the site never writes it.
    last_assessed_on = models.DateField(
        _("latest assessment's date"), null=True, blank=True, editable=False
    )

    objects = SiteQuerySet.as_manager()

    KEPT_BY_OTHERS = ("last_assessed_on",)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        permissions = [("review_site", "Can publish or reject sites")]
        constraints = [
            choices_constraint("category", SiteCategory, "heritage_site_category_valid"),
            choices_constraint(
                "location_precision", LocationPrecision, "heritage_site_precision_valid"
            ),
            models.CheckConstraint(
                condition=Q(importance="") | Q(importance__in=Importance.values),
                name="heritage_site_importance_valid",
            ),
            publication_constraint("heritage_site_status_valid"),
            *coordinate_constraints("heritage_site"),
            range_constraint("year_from", "year_to", "heritage_site_years_ordered"),
            not_blank("name", "heritage_site_name_not_blank"),
        ]
        indexes = [
            models.Index(fields=["category"], name="heritage_site_category_idx"),
            # The admin's list of sites, of every publication status, by name (its order, and
            # that of the sites offered to pick from): without it each of its pages sorted
            # every site.
            models.Index(fields=["name", "id"], name="heritage_site_admin_order_idx"),
            # The admin's search finds a site by these identifiers given whole, in the same
            # set of ids as its names (``heritage.admin.search``).
            models.Index(fields=["registry_number"], name="heritage_site_registry_idx"),
            models.Index(fields=["wikidata_id"], name="heritage_site_wikidata_idx"),
            # The listing by name, and by category and name. With the id, a deep page's ids
            # are read from the index alone (on PostgreSQL: SQLite's indexes hold it anyway).
            models.Index(
                fields=["publication_status", "name", "id"], name="heritage_site_name_id_idx"
            ),
            models.Index(
                fields=["publication_status", "category", "name", "id"],
                name="heritage_site_cat_name_idx",
            ),
            # The listing of a category within an area (/sites/?area=…&category=…): the
            # area's places, their published sites of the category, from the index alone.
            # Without it SQLite read every site of a district's places for their category
            # and PostgreSQL joined the places' index to the category's 42,000 sites.
            models.Index(
                fields=["place", "publication_status", "category", "name", "id"],
                name="heritage_site_area_cat_idx",
            ),
            # (On PostgreSQL only, migration 0023 adds an index of the published sites by
            # category holding where the map puts them: see there.)
            # The map's boxes (public.views.map_data): a range on the latitude.
            models.Index(fields=["latitude", "longitude"], name="heritage_site_point_idx"),
            # A site's place and state by its id, from the index alone: the feed of a
            # district's assessments (public.views.feeds) checks them for each entry it walks.
            models.Index(
                fields=["id", "place", "publication_status"], name="heritage_site_id_place_idx"
            ),
            # The duplicate check (a site of the same name in the place), also an import's.
            models.Index(fields=["folded_name"], name="heritage_site_folded_idx"),
            # The listing by the latest assessment's date, either way (/sites/?sort=-assessed):
            # without them every public site was read and sorted for each page (0.5 s on
            # PostgreSQL, 2.4 s on SQLite, at 500,000 sites).
            models.Index(
                F("publication_status"), *by_last_assessment(True), name="heritage_site_recent_idx"
            ),
            models.Index(
                F("publication_status"),
                *by_last_assessment(False),
                name="heritage_site_earliest_idx",
            ),
            # The same within a category: SQLite read the category's 42,000 sites and sorted
            # them (217 ms) rather than walk the index above for the category's first 25.
            models.Index(
                F("publication_status"),
                F("category"),
                *by_last_assessment(True),
                name="heritage_site_cat_recent_idx",
            ),
            models.Index(
                F("publication_status"),
                F("category"),
                *by_last_assessment(False),
                name="heritage_site_cat_earliest_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("site-detail", self.slug)

    def validation_errors(self):
        errors = ordered_error(
            self, "year_from", "year_to", _("The end of the dating is before its start.")
        )
        merge_errors(errors, coordinate_errors(self))
        precise = {self.Precision.EXACT, self.Precision.APPROXIMATE}
        if self.location_precision in precise and self.latitude is None and self.longitude is None:
            merge_errors(
                errors,
                {
                    "latitude": _(
                        "An exact or approximate location needs coordinates. Give them, or "
                        "choose “Settlement-level” when only the place is known."
                    )
                },
            )
        duplicate = self.find_duplicate()
        if duplicate is not None:
            merge_errors(
                errors,
                {
                    "name": format_html(
                        str(
                            _(
                                "A site with this name in {place} is already in the register: "
                                '<a href="{url}">{site}</a>. Add to that record instead of '
                                "entering the site twice."
                            )
                        ),
                        place=duplicate.place,
                        url=reverse("admin:heritage_site_change", args=[duplicate.pk]),
                        site=duplicate.name,
                    )
                },
            )
        return errors

    def find_duplicate(self):
        """Another site in the same place whose name or a name variant folds to this name."""
        folded = fold(self.name)
        if not folded or self.place_id is None:
            return None
        variants = SiteName.objects.filter(folded=folded).values("site_id")
        return (
            Site.objects.filter(place_id=self.place_id)
            .filter(Q(folded_name=folded) | Q(pk__in=variants))
            .exclude(pk=self.pk)
            .select_related("place")
            .order_by("pk")
            .first()
        )

    def display_name(self, language=None):
        """The site's name in the visitor's language when a variant exists, else ``name``.

        Reads ``names`` through the prefetch cache when a listing has prefetched them.
        """
        if not shows_variants(language):
            return self.name
        return preferred_name(self.names.all(), base_language(language)) or self.name

    def localized_description(self):
        """The description in the visitor's language when translated, else as written,
        with its language (see ``heritage.models.translations``)."""
        return localized_text(self, "description")

    def public_coordinates(self):
        """The (latitude, longitude) the public may see, or None.

        A withheld location is shown at its place's coordinates, never its own.
        """
        if self.location_precision == self.Precision.WITHHELD:
            lat, lon = self.place.latitude, self.place.longitude
        else:
            lat, lon = self.latitude, self.longitude
        if lat is None or lon is None:
            return None
        return lat, lon


class SiteName(NameVariant):
    NATURAL_KEY = ("site__slug", "language", "name")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="names"
    )
    source = models.ForeignKey(
        "heritage.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="site_names",
        null=True,
        blank=True,
        help_text=_("For a name “as a source reports it”: the source that uses it."),
    )

    class Meta:
        ordering = ["site", "language", "name"]
        verbose_name = _("site name")
        verbose_name_plural = _("site names")
        constraints = [
            *name_constraints("site"),
            models.CheckConstraint(
                condition=~Q(kind=NameKind.AS_REPORTED) | Q(source__isnull=False),
                name="heritage_sitename_reported_has_source",
            ),
        ]
        indexes = [
            models.Index(fields=["folded"], name="heritage_sitename_folded_idx"),
            # Most names have no source. The foreign key's index holds them all, and its
            # statistics on SQLite say that a source's names are nearly all names (the value
            # most share being none): SQLite read every name rather than look a source's up
            # in it. This one holds the names that have a source, and SQLite uses it.
            models.Index(
                fields=["source"],
                condition=Q(source__isnull=False),
                name="heritage_sitename_source_idx",
            ),
        ]

    def clean(self):
        super().clean()
        if self.kind == NameKind.AS_REPORTED and self.source_id is None:
            raise ValidationError(
                {"source": _("A name “as a source reports it” needs the source that uses it.")}
            )
