"""Staff data entry for the register: places, organisations, people, sources and sites.

The rules every page shares are in :mod:`heritage.admin.base` (history, versions, the
review fieldset), :mod:`heritage.admin.review` (the review actions),
:mod:`heritage.admin.deletion` (protected deletions) and :mod:`heritage.admin.search`
(folded name search); importing and exporting sites, figures and assessments as CSV or XLSX
files is in :mod:`heritage.admin.imports`, with the import machinery in
:mod:`heritage.imports`.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.admin.base import CitationInline, RegisterAdmin, StackedInline, TabularInline
from heritage.admin.imports import ImportExportMixin
from heritage.admin.to_field import register_user_admin
from heritage.imports.resources import ReportedFigureResource, SiteResource
from heritage.models import (
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteClaimTranslation,
    SiteIdentifier,
    SiteName,
    SiteTranslation,
    Source,
)

admin.site.site_header = _("Heritage damage register")
admin.site.site_title = _("Heritage damage register")
admin.site.index_title = _("Register administration")
# After django.contrib.auth's admin (earlier in INSTALLED_APPS), whose admin of users it
# replaces.
register_user_admin(admin.site)

#: Typed addresses without a scheme are taken as https, as Django 6 will do by default.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class PlaceNameInline(TabularInline):
    model = PlaceName


@admin.register(Place)
class PlaceAdmin(RegisterAdmin):
    list_display = ("name", "kind", "parent", "iso_code", "wikidata_id")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "names__name", "iso_code", "wikidata_id")
    folded_place_path = ""
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (PlaceNameInline,)


@admin.register(PlaceName)
class PlaceNameAdmin(RegisterAdmin):
    list_display = ("name", "language", "script", "kind", "place")
    list_filter = ("kind", "language")
    list_select_related = ("place",)
    search_fields = ("name", "place__name")
    folded_place_path = "place"
    ordering = ("place__name", "language", "name")
    autocomplete_fields = ("place",)


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdmin):
    list_display = ("name", "acronym", "kind", "country", "website")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym", "slug")
    formfield_overrides = URL_FIELD_OVERRIDES
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(RegisterAdmin):
    list_display = ("name", "position", "organisation")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name", "slug", "position", "organisation__name", "organisation__acronym")
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organisation",)


@admin.register(Source)
class SourceAdmin(RegisterAdmin):
    asks_change_summary = True
    list_display = ("title", "publisher", "author", "kind", "published_on", "publication_status")
    list_filter = ("publication_status", "kind", "language", "publisher_organisation__kind")
    autocomplete_fields = ("publisher_organisation",)
    search_fields = ("title", "slug", "author", "publisher", "url")
    formfield_overrides = URL_FIELD_OVERRIDES
    ordering = ("-published_on", "title", "id")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}


class SiteNameInline(TabularInline):
    model = SiteName
    autocomplete_fields = ("source",)


class SiteTranslationInline(TabularInline):
    """The site's description in other languages; a page shows the visitor's if there is
    one, else the description as written."""

    model = SiteTranslation
    extra = 0


class SiteClaimTranslationInline(TabularInline):
    """The statement in other languages, shown as the description's translations are."""

    model = SiteClaimTranslation
    extra = 0


class SiteClaimInline(StackedInline):
    model = SiteClaim
    fields = (
        "slug",
        "kind",
        ("statement", "text_language"),
        ("year_from", "year_to", "dating_label"),
        "is_inference",
        ("source", "locator"),
        "publication_status",
    )
    autocomplete_fields = ("source",)
    show_change_link = True


class SiteCitationInline(CitationInline):
    model = SiteCitation


class SiteIdentifierInline(TabularInline):
    """The site's identifiers in other registers and studies; each scheme checks the form of
    its identifiers."""

    model = SiteIdentifier
    fields = ("scheme", "value", "url", "source")
    autocomplete_fields = ("source",)


@admin.register(Site)
class SiteAdmin(ImportExportMixin, RegisterAdmin):
    asks_change_summary = True
    resource_classes = [SiteResource]
    list_display = ("name", "category", "place", "importance", "publication_status")
    list_filter = ("publication_status", "category", "importance", "location_precision")
    list_select_related = ("place",)
    # The names are searched folded and the identifiers given whole, in one set of ids read
    # through their indexes (``FoldedSearchMixin``); ``search_fields`` shows the search box.
    # Each name's text tested with icontains read every site and name: at 500,000 sites a
    # search took 2.3-5.2 s, and so did each keystroke of the sites offered to pick from in an
    # assessment's form.
    search_fields = ("=slug", "=registry_number", "=wikidata_id")
    folded_site_path = ""

    @staticmethod
    def site_identifiers(word):
        """The site whose slug, registry number (as written) or Wikidata id is ``word``."""
        return Q(slug=word.lower()) | Q(registry_number=word) | Q(wikidata_id=word.upper())

    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("place",)
    inlines = (
        SiteNameInline,
        SiteTranslationInline,
        SiteIdentifierInline,
        SiteCitationInline,
        SiteClaimInline,
    )


@admin.register(SiteName)
class SiteNameAdmin(RegisterAdmin):
    list_display = ("name", "language", "script", "kind", "site")
    list_filter = ("kind", "language")
    list_select_related = ("site",)
    search_fields = ("name", "site__name")
    folded_site_path = "site"
    ordering = ("site__name", "language", "name")
    autocomplete_fields = ("site", "source")


@admin.register(SiteClaim)
class SiteClaimAdmin(RegisterAdmin):
    list_display = ("site", "kind", "dating_label", "is_inference", "source", "publication_status")
    list_filter = ("publication_status", "kind", "is_inference")
    list_select_related = ("site", "source")
    search_fields = ("slug", "statement", "site__name", "source__title")
    folded_site_path = "site"
    ordering = ("site__name", "kind", "year_from", "id")
    autocomplete_fields = ("site", "source")
    inlines = (SiteClaimTranslationInline,)


@admin.register(SiteTranslation)
class SiteTranslationAdmin(RegisterAdmin):
    list_display = ("site", "language")
    list_filter = ("language",)
    list_select_related = ("site",)
    search_fields = ("site__name", "description")
    folded_site_path = "site"
    ordering = ("site__name", "language")
    autocomplete_fields = ("site",)


@admin.register(SiteClaimTranslation)
class SiteClaimTranslationAdmin(RegisterAdmin):
    list_display = ("claim", "language")
    list_filter = ("language",)
    list_select_related = ("claim__site", "claim__source")
    search_fields = ("claim__slug", "claim__site__name", "statement")
    folded_site_path = "claim__site"
    ordering = ("claim__site__name", "language")
    autocomplete_fields = ("claim",)


@admin.register(SiteIdentifier)
class SiteIdentifierAdmin(RegisterAdmin):
    list_display = ("site", "scheme", "value", "source")
    list_filter = ("scheme",)
    list_select_related = ("site", "source")
    search_fields = ("value", "site__name")
    folded_site_path = "site"
    ordering = ("site__name", "scheme", "value")
    autocomplete_fields = ("site", "source")


@admin.register(SiteCitation)
class SiteCitationAdmin(RegisterAdmin):
    list_display = ("site", "source", "locator")
    list_filter = ("source__kind",)
    list_select_related = ("site", "source")
    search_fields = ("site__name", "source__title", "summary")
    folded_site_path = "site"
    ordering = ("site__name", "id")
    autocomplete_fields = ("site", "source")


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ImportExportMixin, RegisterAdmin):
    asks_change_summary = True
    resource_classes = [ReportedFigureResource]
    list_display = (
        "__str__",
        "figure_set",
        "category",
        "area",
        "reported_by",
        "source",
        "publication_status",
    )
    list_filter = ("publication_status", "category", "reported_by")
    list_select_related = ("area", "reported_by", "source")
    search_fields = ("slug", "figure_set", "metric", "subject", "area_label", "source__title")
    ordering = ("figure_set", "id")
    date_hierarchy = "period_start"
    autocomplete_fields = ("area", "reported_by", "source")
