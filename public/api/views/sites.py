"""``/api/v1/sites/``: published sites, filtered as ``/sites/`` is, as JSON or as GeoJSON.

The GeoJSON is a FeatureCollection of the page's sites in the shape of
``/sites/export.geojson`` (the same function writes each feature), with the ``next`` and
``previous`` links of the page as foreign members.
"""

from django.db.models import F, OuterRef, Prefetch, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from heritage.models import Site
from inspections.models import Assessment, SiteStatus
from public.api.filters import ApiSiteFilter
from public.api.renderers import GeoJSONRenderer
from public.api.serializers.sites import SiteDetailSerializer, SiteSerializer
from public.api.views.base import ResourceViewSet, documented
from public.views.exports import ExportLabels, geojson_feature, request_origin


@extend_schema_serializer(many=False)
class FeatureCollectionSerializer(serializers.Serializer):
    """An RFC 7946 FeatureCollection of the page's sites, as /sites/export.geojson writes
    each feature, with the page's links."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = serializers.ListField(child=serializers.DictField())
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "geojson"],
    description="`geojson` for an RFC 7946 FeatureCollection (as `Accept: application/geo+json`).",
)


def public_sites(joined=True):
    """Published sites with what the list shows of each: one query per page.

    The latest condition comes from a join (``for_listing``), which the ``condition`` filter
    needs; without that filter it is read per listed row instead, since PostgreSQL answers
    a page deep in the cursor by merging the whole status table from its start up to the
    cursor when the two are joined.
    """
    sites = Site.objects.public()
    if joined:
        return sites.for_listing().annotate(latest_condition_label=F("status__condition__label"))
    status = SiteStatus.objects.filter(site=OuterRef("pk"))
    return (
        sites.select_related("place")
        .annotate(
            latest_condition_id=Subquery(status.values("condition_id")[:1]),
            latest_assessed_on=Subquery(status.values("assessed_on")[:1]),
            latest_condition_label=Subquery(status.values("condition__label")[:1]),
            latest_inferred=Subquery(status.values("inferred")[:1]),
        )
        .order_by("name", "id")
    )


@extend_schema_view(
    **documented(
        SiteSerializer,
        SiteDetailSerializer,
        list_responses={
            (200, "application/json"): SiteSerializer(many=True),
            (200, "application/geo+json"): FeatureCollectionSerializer,
        },
        parameters=[FORMAT],
        description=(
            "Published sites in a fixed order, filtered with the parameters of the website's "
            "/sites/ (all of them but `sort`)."
        ),
    )
)
class SiteViewSet(ResourceViewSet):
    serializer_class = SiteSerializer
    detail_serializer_class = SiteDetailSerializer
    filterset_class = ApiSiteFilter

    def get_renderers(self):
        if self.action == "list":
            return [JSONRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    def get_queryset(self):
        sites = public_sites(
            joined=self.action != "list" or bool(self.request.GET.get("condition"))
        )
        if self.action != "retrieve":
            return sites
        assessments = (
            Assessment.objects.public()
            .select_related("overall_condition", "identification")
            .order_by("-assessed_on", "-id")
        )
        return sites.for_dossier().prefetch_related(
            Prefetch("assessments", queryset=assessments, to_attr="public_assessments")
        )

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != GeoJSONRenderer.format:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset().with_localized_name())
        page = self.paginate_queryset(queryset)
        labels = ExportLabels()
        return Response(
            {
                "type": "FeatureCollection",
                "features": [
                    geojson_feature(site, labels, request_origin(request)) for site in page
                ],
                "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link(),
            }
        )

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever was asked for: they are not features.
        if response.status_code >= 400 and hasattr(request, "accepted_renderer"):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
