"""Staff data entry for the register: places, organisations, people, sources and sites."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.models import (
    Organisation,
    Person,
    Place,
    PlaceName,
    ReportedFigure,
    Site,
    SiteCitation,
    SiteClaim,
    SiteName,
    Source,
)

admin.site.site_header = _("Heritage damage register")
admin.site.site_title = _("Heritage damage register")
admin.site.index_title = _("Register administration")

#: Typed addresses without a scheme are taken as https, as Django 6 will do by default.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "iso_code", "wikidata_id")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "names__name", "iso_code", "wikidata_id")
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (PlaceNameInline,)


@admin.register(PlaceName)
class PlaceNameAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "script", "kind", "place")
    list_filter = ("kind", "language")
    list_select_related = ("place",)
    search_fields = ("name", "place__name")
    ordering = ("place__name", "language", "name")
    autocomplete_fields = ("place",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "country", "website")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym", "slug")
    formfield_overrides = URL_FIELD_OVERRIDES
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "organisation")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name", "slug", "position", "organisation__name", "organisation__acronym")
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organisation",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "author", "kind", "published_on", "publication_status")
    list_filter = ("publication_status", "kind", "language")
    search_fields = ("title", "slug", "author", "publisher", "url")
    formfield_overrides = URL_FIELD_OVERRIDES
    ordering = ("-published_on", "title", "id")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}


class SiteNameInline(admin.TabularInline):
    model = SiteName
    extra = 0


class SiteClaimInline(admin.StackedInline):
    model = SiteClaim
    autocomplete_fields = ("source",)
    extra = 0
    show_change_link = True


class SiteCitationInline(admin.TabularInline):
    model = SiteCitation
    autocomplete_fields = ("source",)
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "place", "importance", "publication_status")
    list_filter = ("publication_status", "category", "importance", "location_precision")
    list_select_related = ("place",)
    search_fields = ("name", "slug", "names__name", "registry_number", "wikidata_id")
    ordering = ("name", "id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("place",)
    inlines = (SiteNameInline, SiteClaimInline, SiteCitationInline)


@admin.register(SiteName)
class SiteNameAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "script", "kind", "site")
    list_filter = ("kind", "language")
    list_select_related = ("site",)
    search_fields = ("name", "site__name")
    ordering = ("site__name", "language", "name")
    autocomplete_fields = ("site",)


@admin.register(SiteClaim)
class SiteClaimAdmin(admin.ModelAdmin):
    list_display = ("site", "kind", "dating_label", "is_inference", "source", "publication_status")
    list_filter = ("publication_status", "kind", "is_inference")
    list_select_related = ("site", "source")
    search_fields = ("slug", "statement", "site__name", "source__title")
    ordering = ("site__name", "kind", "year_from", "id")
    autocomplete_fields = ("site", "source")


@admin.register(SiteCitation)
class SiteCitationAdmin(admin.ModelAdmin):
    list_display = ("site", "source", "locator")
    list_select_related = ("site", "source")
    search_fields = ("site__name", "source__title", "summary")
    ordering = ("site__name", "id")
    autocomplete_fields = ("site", "source")


@admin.register(ReportedFigure)
class ReportedFigureAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ("area", "reported_by", "source")
