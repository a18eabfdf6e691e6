"""Public pages for visits. Every view selects records with ``public()`` only, and hides
what hangs off a published record but is not public itself: citations of unpublished
sources, assessments that are not published or whose site is not."""

from django.core.paginator import InvalidPage
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView

from heritage.base import PublicationStatus
from inspections.evidence.gallery import attach_public_evidence
from inspections.filters import VisitFilter
from inspections.models import (
    Assessment,
    AssessmentCitation,
    Disturbance,
    Participation,
    Visit,
    VisitCitation,
)

PUBLISHED = PublicationStatus.PUBLISHED
LEADER_FIRST = Case(
    When(role=Participation.Role.LEADER, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


class VisitListView(ListView):
    """``/visits/``: published visits, filtered by organisation, year, status and place.

    An invalid parameter answers with the whole page, HTTP 400 and a message naming the
    parameter, never a server error.
    """

    paginate_by = 25
    template_name = "inspections/visit_list.html"
    context_object_name = "visits"

    def get_queryset(self):
        return Visit.objects.public().prefetch_related("organisations", "places")

    def get(self, request, *args, **kwargs):
        self.parameter_errors = []
        self.filterset = VisitFilter(request.GET, queryset=self.get_queryset(), request=request)
        if self.filterset.is_valid():
            self.object_list = self.filterset.qs
        else:
            form = self.filterset.form
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                self.parameter_errors.extend((name, label, message) for message in messages)
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data()
        status = 400 if self.parameter_errors else 200
        return self.render_to_response(context, status=status)

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad ``page`` is a parameter error instead of a 404."""
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get(self.page_kwarg) or "1"
        try:
            number = paginator.num_pages if raw == "last" else int(raw)
        except ValueError:
            message = gettext("“%(page)s” is not a page number.") % {"page": raw}
            return self._page_error(paginator, message)
        if self.parameter_errors:
            # The filters are invalid: there are no results to page through.
            return paginator, None, [], False
        try:
            page = paginator.page(number)
        except InvalidPage:
            message = gettext("There is no page %(page)s; pages run from 1 to %(last)s.") % {
                "page": raw,
                "last": paginator.num_pages,
            }
            return self._page_error(paginator, message)
        return paginator, page, page.object_list, page.has_other_pages()

    def _page_error(self, paginator, message):
        self.parameter_errors.append((self.page_kwarg, gettext("Page"), message))
        return paginator, None, [], False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["parameter_errors"] = self.parameter_errors
        context["result_count"] = context["paginator"].count if not self.parameter_errors else 0
        return context


def public_assessments():
    """Published assessments of published sites, with what the visit page shows of them."""
    return (
        Assessment.objects.public()
        .filter(site__publication_status=PUBLISHED)
        .select_related("site", "overall_condition", "assessment_type", "assessed_by")
        .prefetch_related(
            "site__names",
            Prefetch(
                "disturbances",
                queryset=Disturbance.objects.select_related("cause_category", "cause_type"),
            ),
            Prefetch(
                "citations",
                queryset=AssessmentCitation.objects.filter(
                    source__publication_status=PUBLISHED
                ).select_related("source"),
            ),
        )
        .order_by("site__name", "-assessed_on", "id")
    )


class VisitDetailView(DetailView):
    """``/visits/<slug>/``: a published visit, who took part, its sources, its findings and the
    published photos and documents of the visit and of each assessment."""

    template_name = "inspections/visit_detail.html"
    context_object_name = "visit"

    def get_queryset(self):
        return Visit.objects.public().prefetch_related(
            "organisations",
            "places",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("person", "organisation")
                .annotate(leader_first=LEADER_FIRST)
                .order_by("leader_first", "person__name", "id"),
            ),
            Prefetch(
                "citations",
                queryset=VisitCitation.objects.filter(
                    source__publication_status=PUBLISHED
                ).select_related("source"),
            ),
            Prefetch("assessments", queryset=public_assessments(), to_attr="public_assessments"),
        )

    def get_object(self, queryset=None):
        visit = super().get_object(queryset)
        attach_public_evidence([visit, *visit.public_assessments])
        return visit
