"""The resources other than sites: places, organisations, visits, assessments, sources and
reported figures, each read through the public querysets and selectors the pages use."""

from django.db.models import Case, F, Prefetch, When
from drf_spectacular.utils import extend_schema_view

from heritage.base import PublicationStatus
from heritage.models import Organisation, Place, Source
from inspections.evidence.gallery import public_evidence
from inspections.models import Assessment, Visit
from public import selectors
from public.api.filters import ApiVisitFilter
from public.api.serializers.inspections import (
    AssessmentSerializer,
    VisitDetailSerializer,
    VisitSerializer,
)
from public.api.serializers.register import (
    OrganisationSerializer,
    PlaceDetailSerializer,
    PlaceSerializer,
)
from public.api.serializers.sources import FigureSerializer, SourceSerializer
from public.api.views.base import ResourceViewSet, documented


@extend_schema_view(**documented(PlaceSerializer, PlaceDetailSerializer))
class PlaceViewSet(ResourceViewSet):
    """Places of the administrative hierarchy; their coordinates are public."""

    serializer_class = PlaceSerializer
    detail_serializer_class = PlaceDetailSerializer

    def get_queryset(self):
        places = Place.objects.select_related("parent")
        if self.action == "retrieve":
            places = places.prefetch_related("names")
        return places


@extend_schema_view(**documented(OrganisationSerializer, OrganisationSerializer))
class OrganisationViewSet(ResourceViewSet):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.all()


@extend_schema_view(
    **documented(
        VisitSerializer,
        VisitDetailSerializer,
        description="Published visits, filtered with the parameters of the website's /visits/.",
    )
)
class VisitViewSet(ResourceViewSet):
    serializer_class = VisitSerializer
    detail_serializer_class = VisitDetailSerializer
    filterset_class = ApiVisitFilter

    def get_queryset(self):
        visits = Visit.objects.public()
        return visits.for_page() if self.action == "retrieve" else visits.for_listing()


@extend_schema_view(
    **documented(
        AssessmentSerializer,
        AssessmentSerializer,
        description=(
            "Published assessments of published sites, with their disturbances, "
            "attributions of responsibility and citations of published sources."
        ),
    )
)
class AssessmentViewSet(ResourceViewSet):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        public_visit = Case(
            When(visit__publication_status=PublicationStatus.PUBLISHED, then=F("visit__slug")),
            default=None,
        )
        return (
            Assessment.objects.public()
            .for_dossier()
            .select_related("site")
            .annotate(public_visit_slug=public_visit)
        )


@extend_schema_view(**documented(SourceSerializer, SourceSerializer))
class SourceViewSet(ResourceViewSet):
    """Published sources, with the published files archived from them."""

    serializer_class = SourceSerializer

    def get_queryset(self):
        files = Prefetch("evidence", queryset=public_evidence(), to_attr="public_evidence")
        return Source.objects.public().prefetch_related(files)


@extend_schema_view(**documented(FigureSerializer, FigureSerializer))
class FigureViewSet(ResourceViewSet):
    """Published reported figures whose source is published."""

    serializer_class = FigureSerializer

    def get_queryset(self):
        return selectors.public_figures()
