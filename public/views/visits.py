"""``/visits/`` and ``/visits/<slug>/``: published visits.

Every view reads through ``public()`` querysets only, and hides what hangs off a published
visit but is not public itself: citations of unpublished sources, assessments that are not
published or whose site is not.
"""

from django.db.models import Prefetch
from django.views.generic import DetailView

from heritage.models import with_public_source
from inspections.evidence.gallery import attach_public_evidence
from inspections.models import Statement, Visit, VisitEvent
from public.filters import VisitFilter
from public.views.listing import FilteredListView
from public.views.moved import FollowsOldSlugs


class VisitListView(FilteredListView):
    """``/visits/``: published visits, filtered by organisation, year, status and place."""

    template_name = "public/visit_list.html"
    context_object_name = "visits"
    filterset_class = VisitFilter

    def get_queryset(self):
        return Visit.objects.public().for_listing()


class VisitDetailView(FollowsOldSlugs, DetailView):
    """``/visits/<slug>/``: a published visit, who took part, its sources, its findings and the
    published photos and documents of the visit and of each assessment."""

    template_name = "public/visit_detail.html"
    context_object_name = "visit"

    def get_queryset(self):
        events = with_public_source(VisitEvent.objects.order_by("happened_on", "id"))
        statements = Statement.objects.public().for_display()
        return (
            Visit.objects.public()
            .for_page()
            .prefetch_related(
                Prefetch("events", queryset=events, to_attr="public_events"),
                Prefetch("statements", queryset=statements, to_attr="public_statements"),
            )
        )

    def get_object(self, queryset=None):
        visit = super().get_object(queryset)
        attach_public_evidence([visit, *visit.public_assessments])
        return visit
