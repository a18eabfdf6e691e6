"""``/restoration/``, ``/commitments/`` and ``/training/``: restoration projects, commitments
and training courses, with their pages, the CSV exports, and the map of the projects' sites.

Every view reads through ``public()`` querysets only. Status updates, budgets and roles are
shown only with a published source; a commitment whose deadline has passed with no public
update saying what became of it is marked in the register's own voice ("deadline passed, no
source reports it done"), never given a status the sources do not give.
"""

import csv

from django.db.models import Prefetch
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from heritage.base import PublicationStatus
from heritage.models import Site
from inspections.models import (
    Assessment,
    Commitment,
    ProjectBudget,
    ProjectRole,
    RestorationProject,
    TrainingCourse,
    budget_totals,
)
from public.filters import CommitmentFilter, RestorationProjectFilter, TrainingCourseFilter
from public.fragments import rendered_rows
from public.views.exports import (
    EchoBuffer,
    ExportLabels,
    geojson_lines,
    in_batches,
    request_origin,
    slug_url,
    spreadsheet_safe,
    streamed,
)
from public.views.listing import FilteredListView, IdsFirstPaginator, describe_error


def mark_deadlines(commitments, today=None):
    """Set ``deadline_note`` on each commitment: whether the register must say, in its own
    voice, that the deadline passed and no source reports it done."""
    today = today or timezone.localdate()
    for commitment in commitments:
        commitment.deadline_note = commitment.deadline_passed_unreported(
            commitment.public_updates, today
        )
    return commitments


def project_status_label(value):
    return RestorationProject.Status(value).label if value else ""


class RestorationListView(FilteredListView):
    """``/restoration/``: published projects of published sites, filtered by status, kind,
    area and organisation, with a map of their sites."""

    template_name = "public/restorationproject_list.html"
    context_object_name = "projects"
    filterset_class = RestorationProjectFilter
    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        return RestorationProject.objects.public().for_listing().order_by("title", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for project in context["projects"]:
            project.status_label = project_status_label(project.current_status)
            project.totals = budget_totals(project.public_budgets)
        context["geojson_url"] = reverse("restoration-export-geojson") + context["export_query"]
        return context


class RestorationDetailView(DetailView):
    """``/restoration/<slug>/``: a project, its timeline, organisations, budgets, evidence
    before and after the work and the site's assessments before and after it."""

    template_name = "public/restorationproject_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return RestorationProject.objects.public().for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        assessments = list(
            Assessment.objects.public()
            .filter(site=project.site_id)
            .select_related("overall_condition")
            .order_by("assessed_on", "id")
        )
        for assessment in assessments:
            assessment.phase = ""
            if project.start_date and assessment.assessed_on < project.start_date:
                assessment.phase = _("before the work")
            elif project.end_date and assessment.assessed_on > project.end_date:
                assessment.phase = _("after the work")
        context.update(
            {
                "status_label": project_status_label(project.current_status),
                "totals": budget_totals(project.public_budgets),
                "assessments": assessments,
                "commitment_updates": project_commitment_updates(project),
            }
        )
        return context


def project_commitment_updates(project):
    """Public commitments' updates that link to ``project``, with their commitment."""
    return list(
        project.commitment_updates.filter(
            commitment__in=Commitment.objects.public(),
            source__publication_status="published",
        ).select_related("commitment", "source")
    )


class CommitmentListView(FilteredListView):
    """``/commitments/``: published commitments, filtered by who committed, kind, status and
    year, each with its timeline."""

    template_name = "public/commitment_list.html"
    context_object_name = "commitments"
    filterset_class = CommitmentFilter
    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        return Commitment.objects.public().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mark_deadlines(context["commitments"])
        context["commitment_rows"] = rendered_rows(
            "includes/commitment_item.html",
            "commitment",
            context["commitments"],
            {"heading_tag": "h3"},
        )
        return context


class CommitmentDetailView(DetailView):
    """``/commitments/<slug>/``: a commitment and its timeline."""

    template_name = "public/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return Commitment.objects.public().for_page()

    def get_object(self, queryset=None):
        commitment = super().get_object(queryset)
        mark_deadlines([commitment])
        return commitment


class TrainingListView(FilteredListView):
    """``/training/``: published training courses and workshops, filtered by organiser, kind,
    year and area, newest first."""

    template_name = "public/trainingcourse_list.html"
    context_object_name = "courses"
    filterset_class = TrainingCourseFilter

    def get_queryset(self):
        return TrainingCourse.objects.public().for_listing()


class TrainingDetailView(DetailView):
    """``/training/<slug>/``: a course, its organisers, its source, and the public projects
    and commitments it serves."""

    template_name = "public/trainingcourse_detail.html"
    context_object_name = "course"

    def get_queryset(self):
        return TrainingCourse.objects.public().for_page()


def filtered(request, filterset_class, queryset):
    """(queryset, None) for valid parameters, else (None, a plain-text 400 response)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        lines = [describe_error(*error) for error in filterset.error_list()]
        return None, HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    return filterset.qs, None


def csv_response(lines, filename):
    return StreamingHttpResponse(
        in_batches(lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


PROJECT_COLUMNS = [
    "slug",
    "title",
    "site",
    "site_url",
    "kind",
    "status",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "organisations",
    "budgets",
    "historic_fabric",
    "source",
    "url",
]


def project_rows(projects, origin):
    writer = csv.writer(EchoBuffer())
    yield writer.writerow(PROJECT_COLUMNS)
    site_url, project_url = slug_url("site-detail"), slug_url("restoration-detail")
    for project in projects:
        roles = "; ".join(f"{role.role}: {role.organisation}" for role in project.export_roles)
        budgets = "; ".join(
            f"{total:f} {currency}" for currency, total in budget_totals(project.public_budgets)
        )
        text = [
            project.slug,
            project.title,
            project.site.name,
            origin + site_url(project.site.slug),
            project.kind,
            project.current_status or "",
        ]
        dates = [
            project.start_date.isoformat() if project.start_date else "",
            project.start_precision if project.start_date else "",
            project.end_date.isoformat() if project.end_date else "",
            project.end_precision if project.end_date else "",
        ]
        fabric = project.fabric if project.fabric_is_public() else ""
        source = str(project.source) if project.source.is_public else ""
        rest = [roles, budgets, fabric, source, origin + project_url(project.slug)]
        yield writer.writerow([spreadsheet_safe(value) for value in [*text, *dates, *rest]])


def restoration_export_csv(request):
    """``/restoration/export.csv``: the filtered projects, one row per project; budgets are
    summed per currency, never across currencies."""
    # What the rows show and no more (not the listing's places of the sites, nor the roles'
    # sources): at 500,000 sites the 13,000 projects' rows made 108,000 model instances.
    roles = ProjectRole.objects.select_related("organisation").order_by("role", "id")
    budgets = ProjectBudget.objects.filter(
        source__publication_status=PublicationStatus.PUBLISHED
    ).order_by("currency", "id")
    queryset = (
        RestorationProject.objects.public()
        .with_current_status()
        .select_related("site", "source", "fabric_source")
        .prefetch_related(
            Prefetch("roles", queryset=roles, to_attr="export_roles"),
            Prefetch("budgets", queryset=budgets, to_attr="public_budgets"),
        )
        .order_by("title", "id")
    )
    projects, error = filtered(request, RestorationProjectFilter, queryset)
    if error:
        return error
    origin = request_origin(request)
    rows = streamed(projects)
    return csv_response(project_rows(rows, origin), "restoration-projects.csv")


def restoration_export_geojson(request):
    """``/restoration/export.geojson``: the sites of the filtered projects, as the sites'
    GeoJSON export gives them (a withheld location at its place's coordinates only)."""
    projects, error = filtered(
        request, RestorationProjectFilter, RestorationProject.objects.public().with_current_status()
    )
    if error:
        return error
    sites = (
        Site.objects.public()
        .for_listing()
        .with_localized_name()
        .filter(pk__in=projects.values("site_id"))
    )
    labels = ExportLabels()
    return StreamingHttpResponse(
        in_batches(geojson_lines(streamed(sites), labels, request_origin(request))),
        content_type="application/geo+json",
        headers={"Content-Disposition": 'attachment; filename="restoration-sites.geojson"'},
    )


COMMITMENT_COLUMNS = [
    "slug",
    "title",
    "kind",
    "committed_by",
    "committed_to",
    "made_on",
    "made_precision",
    "occasion",
    "deadline",
    "deadline_precision",
    "status",
    "status_date",
    "status_source",
    "register_note",
    "source",
    "url",
]


def commitment_rows(commitments, origin, note):
    writer = csv.writer(EchoBuffer())
    yield writer.writerow(COMMITMENT_COLUMNS)
    today = timezone.localdate()
    for commitment in commitments:
        latest = commitment.public_updates[-1] if commitment.public_updates else None
        to_whom = commitment.to_organisation or commitment.to_label
        occasion = commitment.occasion_visit if commitment.occasion_visit_id else None
        if occasion is not None and not occasion.is_public:
            occasion = None
        row = [
            commitment.slug,
            commitment.title,
            commitment.kind,
            str(commitment.committer()),
            str(to_whom or ""),
            commitment.made_on.isoformat(),
            commitment.made_precision,
            str(occasion or commitment.occasion_label),
            commitment.deadline.isoformat() if commitment.deadline else "",
            commitment.deadline_precision if commitment.deadline else "",
            commitment.current_status,
            latest.date.isoformat() if latest else "",
            str(latest.source) if latest else "",
            note if commitment.deadline_passed_unreported(commitment.public_updates, today) else "",
            str(commitment.source) if commitment.source.is_public else "",
            origin + commitment.get_absolute_url(),
        ]
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def commitment_export_csv(request):
    """``/commitments/export.csv``: the filtered commitments, one row per commitment, with
    its current status and the update that gives it."""
    commitments, error = filtered(
        request, CommitmentFilter, Commitment.objects.public().for_listing()
    )
    if error:
        return error
    origin = request_origin(request)
    # Read before streaming starts: no translation is active once the view has returned.
    note = _("Deadline passed, no source reports it done (the register's note)")
    rows = streamed(commitments)
    return csv_response(commitment_rows(rows, origin, note), "commitments.csv")
