"""The register: places, organisations, people, sources, sites and reported figures.

Everything shown to the public is a claim with a source. A site's own fields hold the
register's current summary; what individual sources say about it (two dates, an uncertain
identity) is kept side by side as :class:`SiteClaim` rows, each with its source.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
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
    coordinate_errors,
    merge_errors,
    not_blank,
    ordered_error,
    range_constraint,
)
from heritage.text import fold

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q12345."))
language_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Use a language code such as az, en, ar, ru, hy or az-Cyrl."),
)
script_validator = RegexValidator(
    r"^([A-Z][a-z]{3})?$", _("Use an ISO 15924 script code such as Latn, Cyrl, Arab or Armn.")
)


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TRANSLITERATION = "transliteration", _("Transliteration")
    ALTERNATIVE = "alternative", _("Alternative or popular")
    TRANSLATION = "translation", _("Translation")
    HISTORICAL = "historical", _("Historical")
    OTHER_LANGUAGE = "other_language", _("Other language")


def base_language(language=None):
    """The language without its region or script ("az" for "az-Cyrl"); the active one by
    default."""
    return (language or get_language() or "en").split("-")[0]


def preferred_name(variants, language):
    """The name among ``variants`` (name variants of one site or place) that stands for it in
    ``language``, by the order of ``DISPLAY_NAME_KINDS``; None if none does."""
    matches = [
        variant
        for variant in variants
        if base_language(variant.language) == language and variant.kind in DISPLAY_NAME_KINDS
    ]
    if not matches:
        return None
    return min(matches, key=lambda variant: DISPLAY_NAME_KINDS.index(variant.kind)).name


#: The kinds of name variant that may stand for a site or place in a language, best first. Used by
#: ``Site.display_name`` for pages and by ``SiteQuerySet.with_localized_name`` for exports.
DISPLAY_NAME_KINDS = (NameKind.OFFICIAL, NameKind.ALTERNATIVE, NameKind.TRANSLATION)


class NameVariant(NaturalKeyModel):
    """A name in one language and script; subclasses say what it names."""

    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=12,
        validators=[language_validator],
        help_text=_("Language code, e.g. az, en, ar, ru, hy."),
    )
    script = models.CharField(
        _("script"),
        max_length=4,
        blank=True,
        validators=[script_validator],
        help_text=_("ISO 15924 script code, e.g. Latn, Cyrl, Arab, Armn."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=NameKind.choices, default=NameKind.OFFICIAL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    folded = models.CharField(
        _("search form"),
        max_length=200,
        editable=False,
        default="",
        help_text=_("The name folded for search; kept up to date on every save."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name} ({self.language})"


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    CITY = "city", _("City")
    VILLAGE = "village", _("Village")
    OTHER = "other", _("Other")


class Place(VersionedModel, NaturalKeyModel):
    """A unit of the administrative hierarchy: country, district, city or village."""

    Kind = PlaceKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Name in English."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=10, blank=True, help_text=_("e.g. AZ or AZ-FUZ.")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_validator]
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            choices_constraint("kind", PlaceKind, "heritage_place_kind_valid"),
            *coordinate_constraints("heritage_place"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="heritage_place_not_own_parent",
            ),
            not_blank("name", "heritage_place_name_not_blank"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = coordinate_errors(self)
        if errors:
            raise ValidationError(errors)

    def ancestors(self):
        """This place's parents, nearest first (one query per level; hierarchies are shallow)."""
        chain = []
        node = self.parent
        while node is not None and node.pk != self.pk and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class PlaceName(NameVariant):
    NATURAL_KEY = ("place__slug", "language", "name")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names"
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["place", "language", "name"]
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "language", "name"], name="heritage_placename_unique"
            ),
            choices_constraint("kind", NameKind, "heritage_placename_kind_valid"),
            not_blank("name", "heritage_placename_not_blank"),
        ]


class OrganisationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    GOVERNMENT = "government", _("Government body")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIC = "academic", _("Academic or research body")
    MEDIA = "media", _("News media")
    OTHER = "other", _("Other")


class Organisation(VersionedModel, NaturalKeyModel):
    """A body that visits, assesses, reports or publishes: ICESCO, a ministry, an NGO."""

    Kind = OrganisationKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, if any.")
    )
    website = models.URLField(_("website"), blank=True)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            choices_constraint("kind", OrganisationKind, "heritage_organisation_kind_valid"),
            not_blank("name", "heritage_organisation_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(VersionedModel, NaturalKeyModel):
    """A named person who took part in a visit, as named by a source."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(
        _("position"), max_length=300, blank=True, help_text=_("e.g. Director-General of ICESCO.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [not_blank("name", "heritage_person_name_not_blank")]

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    NGO_REPORT = "ngo_report", _("NGO report")
    SATELLITE_STUDY = "satellite_study", _("Satellite study")
    FIELD_RECORD = "field_record", _("Field record")
    REFERENCE_WORK = "reference_work", _("Reference work")


class Source(Publishable):
    """A citable document: a news report, an official statement, a report, a field record."""

    Kind = SourceKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_precision = models.CharField(
        _("publication date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("“Year”: only the year is known, and the date is its 1 January."),
    )
    accessed_on = models.DateField(_("access date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=12, blank=True, validators=[language_validator]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    notes = models.TextField(
        _("public notes"),
        blank=True,
        help_text=_("Shown on the source's public page, e.g. that a headline was not recorded."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("review_source", "Can publish or reject sources")]
        constraints = [
            choices_constraint("kind", SourceKind, "heritage_source_kind_valid"),
            choices_constraint(
                "published_precision", DatePrecision, "heritage_source_precision_valid"
            ),
            choices_constraint(
                "publication_status", PublicationStatus, "heritage_source_status_valid"
            ),
            not_blank("title", "heritage_source_title_not_blank"),
        ]

    def __str__(self):
        parts = [self.publisher or self.author, self.title]
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return ", ".join(p for p in parts if p)

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.pk])


class Citation(NaturalKeyModel):
    """A link from a source to what it supports, with what the source says there."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    locator = models.CharField(
        _("locator"), max_length=100, blank=True, help_text=_("Page, paragraph or time code.")
    )
    summary = models.TextField(
        _("what the source says"), help_text=_("A short summary or quotation of the passage.")
    )

    class Meta:
        abstract = True
        constraints = [not_blank("summary", "%(app_label)s_%(class)s_summary_not_blank")]

    def __str__(self):
        return str(self.source)


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


#: FTS5's trigram index finds substrings of at least this many characters.
TRIGRAM = 3

#: Enough ``parent`` levels for the deepest hierarchy (village, district, region, country), so
#: that ``Place.ancestors()`` reads the chain from the one query that loads the site.
PLACE_WITH_ANCESTORS = "place__parent__parent__parent__parent"


def fts_phrase(text):
    """``text`` as one FTS5 phrase: matched as a substring, whatever characters it holds."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text):
    """``%text%`` for ``LIKE ... ESCAPE '\\'``, with the text's own wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def with_public_source(queryset):
    """Rows of ``queryset`` (citations, claims) whose source is published, source loaded."""
    return queryset.filter(source__publication_status=PublicationStatus.PUBLISHED).select_related(
        "source"
    )


class SiteQuerySet(PublishableQuerySet):
    """Reads of sites, chainable: ``Site.objects.public().for_listing().with_localized_name()``."""

    def with_latest_condition(self):
        """Annotate ``latest_condition_id``, ``latest_assessed_on`` and
        ``latest_assessed_precision`` from the site's latest published assessment, as the
        inspections app records it in ``SiteStatus`` (the reverse one-to-one ``status``);
        None when the site has no published assessment."""
        return self.annotate(
            latest_condition_id=F("status__condition_id"),
            latest_assessed_on=F("status__assessed_on"),
            latest_assessed_precision=F("status__date_precision"),
        )

    def for_listing(self):
        """What the listing and the exports show of each site: its place and latest
        condition, ordered by name."""
        return self.with_latest_condition().select_related("place").order_by("name", "id")

    def with_localized_name(self, language=None):
        """Annotate ``localized_name``: what ``Site.display_name`` returns, computed in the
        database so that a streamed export needs no prefetch per chunk of rows."""
        language = base_language(language)
        if language == "en":
            return self.annotate(localized_name=F("name"))
        rank = Case(
            *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(DISPLAY_NAME_KINDS)),
            output_field=models.IntegerField(),
        )
        variant = (
            SiteName.objects.filter(site=OuterRef("pk"), kind__in=DISPLAY_NAME_KINDS)
            .filter(Q(language=language) | Q(language__startswith=f"{language}-"))
            .order_by(rank, "language", "name")
            .values("name")[:1]
        )
        return self.annotate(localized_name=Coalesce(Subquery(variant), F("name")))

    def matching_name(self, folded):
        """Sites whose name or one of whose name variants contains the folded text ``folded``.

        The matching ids are collected in one subquery (a union of the two name tables) that
        the database runs from its indexes, rather than testing every site in turn. Both sides
        are folded to lower case already, so a plain, case-sensitive ``LIKE`` is enough; on
        PostgreSQL trigram GIN indexes serve it (migration 0004). SQLite cannot index
        ``LIKE '%text%'``, so texts of three characters or more go through the FTS5 trigram
        tables that mirror the names (migration 0005).
        """
        if connection.vendor == "sqlite" and len(folded) >= TRIGRAM:
            phrase = fts_phrase(folded)
            ids = RawSQL(
                "SELECT rowid FROM heritage_site_fts WHERE heritage_site_fts MATCH %s "
                "UNION SELECT site_id FROM heritage_sitename WHERE id IN "
                "(SELECT rowid FROM heritage_sitename_fts WHERE heritage_sitename_fts MATCH %s)",
                (phrase, phrase),
            )
        else:
            pattern = like_pattern(folded)
            ids = RawSQL(
                "SELECT id FROM heritage_site WHERE folded_name LIKE %s ESCAPE '\\' "
                "UNION SELECT site_id FROM heritage_sitename WHERE folded LIKE %s ESCAPE '\\'",
                (pattern, pattern),
            )
        return self.filter(pk__in=ids)

    def for_dossier(self):
        """The register's own part of a dossier, in a fixed number of queries: the place and
        the places above it, the names, published claims and the citations, each claim and
        citation only with a published source. Kept under ``public_*`` attributes, so that a
        template cannot reach the unfiltered relation by mistake."""
        claims = with_public_source(SiteClaim.objects.public()).order_by(
            "kind", F("year_from").asc(nulls_last=True), "year_to", "id"
        )
        citations = with_public_source(SiteCitation.objects.all()).order_by(
            F("source__published_on").asc(nulls_last=True), "source__title", "id"
        )
        return self.select_related(PLACE_WITH_ANCESTORS).prefetch_related(
            "names",
            Prefetch("claims", queryset=claims, to_attr="public_claims"),
            Prefetch("citations", queryset=citations, to_attr="public_citations"),
        )


class Site(Publishable):
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
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
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
    folded_name = models.CharField(
        _("search form of the name"), max_length=300, editable=False, default=""
    )

    objects = SiteQuerySet.as_manager()

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
            choices_constraint(
                "publication_status", PublicationStatus, "heritage_site_status_valid"
            ),
            *coordinate_constraints("heritage_site"),
            range_constraint("year_from", "year_to", "heritage_site_years_ordered"),
            not_blank("name", "heritage_site_name_not_blank"),
        ]
        indexes = [
            models.Index(fields=["category"], name="heritage_site_category_idx"),
            models.Index(fields=["publication_status", "name"], name="heritage_site_status_idx"),
            models.Index(
                fields=["publication_status", "category", "name"],
                name="heritage_site_cat_sort_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("site-detail", args=[self.slug])

    def validation_errors(self):
        errors = ordered_error(
            "year_from",
            "year_to",
            self.year_from,
            self.year_to,
            _("The end of the dating is before its start."),
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
        language = base_language(language)
        if language == "en":
            return self.name
        return preferred_name(self.names.all(), language) or self.name

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

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["site", "language", "name"]
        verbose_name = _("site name")
        verbose_name_plural = _("site names")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "language", "name"], name="heritage_sitename_unique"
            ),
            choices_constraint("kind", NameKind, "heritage_sitename_kind_valid"),
            not_blank("name", "heritage_sitename_not_blank"),
        ]
        indexes = [models.Index(fields=["folded"], name="heritage_sitename_folded_idx")]


class ClaimKind(models.TextChoices):
    DATING = "dating", _("Dating")
    IDENTITY = "identity", _("Identity")
    DESCRIPTION = "description", _("Description")
    USE = "use", _("Use")
    OTHER = "other", _("Other")


class SiteClaim(Publishable):
    """What one source says about a site, kept beside what other sources say.

    Two datings of the same building are two claims; an identification that the register
    itself infers (no source states it) is marked ``is_inference`` and cites the source
    whose wording it interprets.
    """

    Kind = ClaimKind

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    statement = models.TextField(_("statement"))
    year_from = models.SmallIntegerField(_("from (year)"), null=True, blank=True)
    year_to = models.SmallIntegerField(_("to (year)"), null=True, blank=True)
    dating_label = models.CharField(_("dating as written"), max_length=100, blank=True)
    is_inference = models.BooleanField(
        _("register's inference"),
        default=False,
        help_text=_("Tick when no source states this and the register infers it."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="site_claims"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["site", "kind", "year_from", "id"]
        verbose_name = _("claim about a site")
        verbose_name_plural = _("claims about sites")
        permissions = [("review_siteclaim", "Can publish or reject claims about sites")]
        constraints = [
            choices_constraint("kind", ClaimKind, "heritage_siteclaim_kind_valid"),
            choices_constraint(
                "publication_status", PublicationStatus, "heritage_siteclaim_status_valid"
            ),
            range_constraint("year_from", "year_to", "heritage_siteclaim_years_ordered"),
            not_blank("statement", "heritage_siteclaim_statement_not_blank"),
        ]

    def __str__(self):
        return f"{self.site}: {self.get_kind_display()} ({self.source})"

    def validation_errors(self):
        return ordered_error(
            "year_from",
            "year_to",
            self.year_from,
            self.year_to,
            _("The end of the dating is before its start."),
        )

    def publication_errors(self):
        return unpublished_source_error(self, _("A published claim needs a published source."))


class SiteCitation(Citation):
    NATURAL_KEY = ("site__slug", "source__slug")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="citations"
    )

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        ordering = ["site", "source", "id"]
        verbose_name = _("site citation")
        verbose_name_plural = _("site citations")
        constraints = [
            *Citation.Meta.constraints,
            models.UniqueConstraint(fields=["site", "source"], name="heritage_sitecitation_unique"),
        ]


class ReportedFigure(Publishable):
    """An aggregate claim, such as “927 libraries destroyed”, with who reports it."""

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    figure_set = models.CharField(
        _("set"),
        max_length=200,
        blank=True,
        help_text=_("Groups figures reported together, e.g. one report's table."),
    )
    metric = models.CharField(
        _("metric"), max_length=100, help_text=_("What happened to what was counted: destroyed…")
    )
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("What was counted: libraries, books, students…")
    )
    category = models.CharField(
        _("site category"),
        max_length=30,
        choices=Site.Category.choices,
        blank=True,
        help_text=_("The category of site counted, where there is one."),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    area = models.ForeignKey(
        Place,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
    )
    area_label = models.CharField(
        _("area as reported"),
        max_length=200,
        blank=True,
        help_text=_("The area in the source's words."),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    period_label = models.CharField(_("period as reported"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text=_("Leave empty when the source does not say who reports it."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    summary = models.TextField(_("what the source says"), blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["figure_set", "id"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        permissions = [("review_reportedfigure", "Can publish or reject reported figures")]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="heritage_figure_non_negative"),
            not_blank("metric", "heritage_figure_metric_not_blank"),
            not_blank("subject", "heritage_figure_subject_not_blank"),
            models.CheckConstraint(
                condition=Q(category="") | Q(category__in=Site.Category.values),
                name="heritage_figure_category_valid",
            ),
            choices_constraint(
                "publication_status", PublicationStatus, "heritage_figure_status_valid"
            ),
            range_constraint("period_start", "period_end", "heritage_figure_period_ordered"),
        ]

    def __str__(self):
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.value.normalize():f}{unit}: {self.subject} {self.metric}"

    def validation_errors(self):
        errors = ordered_error(
            "period_start",
            "period_end",
            self.period_start,
            self.period_end,
            _("The end of the period is before its start."),
        )
        if self.value is not None and self.value < 0:
            merge_errors(errors, {"value": _("A reported figure cannot be negative.")})
        return errors

    def publication_errors(self):
        return unpublished_source_error(self, _("A published figure needs a published source."))


def unpublished_source_error(record, message):
    """{"source": ...} when ``record``'s source is missing or not published."""
    if record.source_id is None:
        return {"source": [message]}
    if not record.source.is_public:
        detail = _("“%(source)s” is not published yet; publish it first.") % {
            "source": record.source
        }
        return {"source": [f"{message} {detail}"]}
    return {}
