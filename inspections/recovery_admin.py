"""Staff data entry for restoration projects, training courses and commitments.

A project is entered on one page with its status updates, organisations' roles, budgets and
before/after evidence; a commitment with its status updates. Both go through the review
workflow and keep their history like every public record (``RegisterAdmin``).
"""

from django.contrib import admin

from heritage.admin.base import RegisterAdmin, StackedInline, TabularInline
from inspections.models import (
    Commitment,
    CommitmentUpdate,
    ProjectBudget,
    ProjectEvidence,
    ProjectRole,
    ProjectStatusUpdate,
    RestorationProject,
    TrainingCourse,
)


class ProjectStatusUpdateInline(TabularInline):
    model = ProjectStatusUpdate
    autocomplete_fields = ("source",)


class ProjectRoleInline(TabularInline):
    model = ProjectRole
    autocomplete_fields = ("organisation", "source")


class ProjectBudgetInline(TabularInline):
    model = ProjectBudget
    autocomplete_fields = ("source",)


class ProjectEvidenceInline(TabularInline):
    model = ProjectEvidence
    autocomplete_fields = ("evidence",)


@admin.register(RestorationProject)
class RestorationProjectAdmin(RegisterAdmin):
    list_display = ("title", "site", "kind", "start_date", "end_date", "publication_status")
    list_filter = ("publication_status", "kind", "fabric")
    list_select_related = ("site",)
    search_fields = ("title", "slug", "site__name", "description")
    folded_site_path = "site"
    ordering = ("title", "id")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("site", "source", "fabric_source")
    inlines = (
        ProjectStatusUpdateInline,
        ProjectRoleInline,
        ProjectBudgetInline,
        ProjectEvidenceInline,
    )


@admin.register(TrainingCourse)
class TrainingCourseAdmin(RegisterAdmin):
    list_display = ("title", "kind", "start_date", "participants", "publication_status")
    list_filter = ("publication_status", "kind", "organisers")
    search_fields = ("title", "slug", "topic", "place_label")
    ordering = ("-start_date", "title", "id")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organisers", "place", "projects", "source")


class CommitmentUpdateInline(StackedInline):
    model = CommitmentUpdate
    autocomplete_fields = ("source", "visit", "project", "course")


@admin.register(Commitment)
class CommitmentAdmin(RegisterAdmin):
    list_display = ("title", "kind", "by_organisation", "made_on", "deadline", "publication_status")
    list_filter = ("publication_status", "kind", "by_organisation")
    list_select_related = ("by_organisation",)
    search_fields = ("title", "slug", "quote", "to_label", "occasion_label")
    ordering = ("-made_on", "title", "id")
    date_hierarchy = "made_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "by_organisation",
        "by_person",
        "to_organisation",
        "occasion_visit",
        "source",
        "courses",
    )
    inlines = (CommitmentUpdateInline,)


@admin.register(ProjectStatusUpdate)
class ProjectStatusUpdateAdmin(RegisterAdmin):
    list_display = ("project", "status", "date", "source")
    list_filter = ("status",)
    list_select_related = ("project", "source")
    search_fields = ("project__title", "summary", "source__title")
    ordering = ("-date", "id")
    date_hierarchy = "date"
    autocomplete_fields = ("project", "source")


@admin.register(ProjectRole)
class ProjectRoleAdmin(RegisterAdmin):
    list_display = ("organisation", "role", "project")
    list_filter = ("role",)
    list_select_related = ("organisation", "project")
    search_fields = ("organisation__name", "project__title")
    ordering = ("project", "role", "id")
    autocomplete_fields = ("project", "organisation", "source")


@admin.register(ProjectBudget)
class ProjectBudgetAdmin(RegisterAdmin):
    list_display = ("project", "amount", "currency", "label", "source")
    list_filter = ("currency",)
    list_select_related = ("project", "source")
    search_fields = ("project__title", "label", "summary")
    ordering = ("project", "currency", "id")
    autocomplete_fields = ("project", "source")


@admin.register(ProjectEvidence)
class ProjectEvidenceAdmin(RegisterAdmin):
    list_display = ("project", "phase", "evidence")
    list_filter = ("phase",)
    # An evidence item names the record it is attached to.
    list_select_related = (
        "project",
        "evidence__site",
        "evidence__assessment__site",
        "evidence__visit",
        "evidence__source",
    )
    search_fields = ("project__title", "evidence__caption")
    ordering = ("project", "phase", "id")
    autocomplete_fields = ("project", "evidence")


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(RegisterAdmin):
    list_display = ("commitment", "status", "date", "source")
    list_filter = ("status",)
    list_select_related = ("commitment", "source")
    search_fields = ("commitment__title", "summary", "source__title")
    ordering = ("-date", "id")
    date_hierarchy = "date"
    autocomplete_fields = ("commitment", "source", "visit", "project", "course")
