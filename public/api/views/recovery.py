"""Restoration projects and commitments, read through the public querysets the pages use and
filtered with the parameters of ``/restoration/`` and ``/commitments/``."""

from drf_spectacular.utils import extend_schema_view

from inspections.models import Commitment, RestorationProject
from public.api.serializers.recovery import (
    CommitmentSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
)
from public.api.views.base import ResourceViewSet, documented
from public.filters import CommitmentFilter, RestorationProjectFilter
from public.views.recovery import mark_deadlines


@extend_schema_view(
    **documented(
        ProjectSerializer,
        ProjectDetailSerializer,
        description=(
            "Published restoration projects of published sites, filtered with the parameters "
            "of the website's /restoration/."
        ),
    )
)
class ProjectViewSet(ResourceViewSet):
    serializer_class = ProjectSerializer
    detail_serializer_class = ProjectDetailSerializer
    filterset_class = RestorationProjectFilter

    def get_queryset(self):
        projects = RestorationProject.objects.public()
        return projects.for_page() if self.action == "retrieve" else projects.for_listing()


@extend_schema_view(
    **documented(
        CommitmentSerializer,
        CommitmentSerializer,
        description=(
            "Published commitments with their timelines, filtered with the parameters of the "
            "website's /commitments/."
        ),
    )
)
class CommitmentViewSet(ResourceViewSet):
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self):
        return Commitment.objects.public().for_listing()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return mark_deadlines(page) if page is not None else page

    def get_object(self):
        return mark_deadlines([super().get_object()])[0]
