"""Staff data entry for visits, assessments, disturbances and the EAMENA vocabularies."""

from django.contrib import admin

from inspections.models import (
    Assessment,
    AssessmentCitation,
    Disturbance,
    Participation,
    ResponsibilityClaim,
    Visit,
    VisitCitation,
)
from inspections.vocabularies import VOCABULARIES


class VocabularyTermAdmin(admin.ModelAdmin):
    """One admin for every EAMENA list; registered below for each model in ``VOCABULARIES``."""

    list_display = ("label", "label_ar", "label_az", "position", "from_eamena")
    list_display_links = ("label",)
    list_editable = ("position",)
    list_filter = ("from_eamena",)
    search_fields = ("label", "label_ar", "label_az")
    ordering = ("position", "label")
    readonly_fields = ("from_eamena",)


for vocabulary in VOCABULARIES:
    admin.site.register(vocabulary, VocabularyTermAdmin)


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ("person", "organisation")
    extra = 0


class VisitCitationInline(admin.TabularInline):
    model = VisitCitation
    autocomplete_fields = ("source",)
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "start_date", "end_date", "publication_status")
    list_filter = ("publication_status", "kind", "status", "organisations")
    search_fields = ("title", "slug", "summary")
    ordering = ("-start_date", "title", "id")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organisations", "places")
    inlines = (ParticipationInline, VisitCitationInline)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "visit", "organisation")
    list_filter = ("role",)
    list_select_related = ("person", "visit", "organisation")
    search_fields = ("person__name", "visit__title", "organisation__name")
    ordering = ("-visit__start_date", "role", "person__name")
    autocomplete_fields = ("visit", "person", "organisation")


@admin.register(VisitCitation)
class VisitCitationAdmin(admin.ModelAdmin):
    list_display = ("visit", "source", "locator")
    list_select_related = ("visit", "source")
    search_fields = ("visit__title", "source__title", "summary")
    ordering = ("-visit__start_date", "id")
    autocomplete_fields = ("visit", "source")


class AssessmentCitationInline(admin.TabularInline):
    model = AssessmentCitation
    autocomplete_fields = ("source",)
    extra = 0


class DisturbanceInline(admin.StackedInline):
    model = Disturbance
    filter_horizontal = ("effect_types",)
    extra = 0
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = (
        "site",
        "assessed_on",
        "assessed_by",
        "overall_condition",
        "verification",
        "publication_status",
    )
    list_filter = ("publication_status", "verification", "overall_condition", "assessed_by")
    list_select_related = ("site", "assessed_by", "overall_condition")
    search_fields = ("slug", "site__name", "site__names__name", "visit__title", "summary")
    ordering = ("-assessed_on", "id")
    date_hierarchy = "assessed_on"
    autocomplete_fields = ("site", "visit", "assessed_by")
    inlines = (AssessmentCitationInline, DisturbanceInline)


@admin.register(AssessmentCitation)
class AssessmentCitationAdmin(admin.ModelAdmin):
    list_display = ("assessment", "source", "locator")
    list_select_related = ("assessment__site", "source")
    search_fields = ("assessment__site__name", "source__title", "summary")
    ordering = ("-assessment__assessed_on", "id")
    autocomplete_fields = ("assessment", "source")


class ResponsibilityClaimInline(admin.StackedInline):
    model = ResponsibilityClaim
    autocomplete_fields = ("source",)
    extra = 0


@admin.register(Disturbance)
class DisturbanceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "position", "cause_category", "cause_type", "date_from", "date_to")
    list_filter = ("cause_category", "cause_type")
    list_select_related = ("assessment__site", "cause_category", "cause_type")
    search_fields = ("assessment__site__name", "assessment__slug", "description")
    ordering = ("-assessment__assessed_on", "assessment", "position")
    autocomplete_fields = ("assessment",)
    filter_horizontal = ("effect_types",)
    inlines = (ResponsibilityClaimInline,)


@admin.register(ResponsibilityClaim)
class ResponsibilityClaimAdmin(admin.ModelAdmin):
    list_display = ("attributed_to", "disturbance", "source", "locator")
    list_select_related = (
        "disturbance__assessment__site",
        "disturbance__cause_category",
        "disturbance__cause_type",
        "source",
    )
    search_fields = (
        "attributed_to",
        "summary",
        "source__title",
        "disturbance__assessment__site__name",
    )
    ordering = ("disturbance", "id")
    autocomplete_fields = ("disturbance", "source")
