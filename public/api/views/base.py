"""What every resource of the API shares: read-only, public, cursor-paginated, throttled,
conditional (ETag and Last-Modified), refusing unknown or invalid parameters with a 400 that
names them."""

import re

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from public.api.conditional import ConditionalMixin
from public.api.errors import ErrorSerializer
from public.api.filters import FormatNegotiation, check_parameters
from public.api.pagination import IdCursorPagination

#: What the API's URLs take as a slug: anything but a slash, so that a malformed slug is the
#: API's JSON 404 rather than the site's page.
LOOKUP_PATTERN = r"[^/]+"
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"

#: The answers every operation may give besides its 200, as the schema documents them.
COMMON_RESPONSES = {
    304: OpenApiResponse(description="Not modified since the ETag or date the client holds."),
    400: OpenApiResponse(ErrorSerializer, description="A query parameter was refused."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many requests: wait the seconds of `Retry-After`."
    ),
}
DETAIL_RESPONSES = {
    **COMMON_RESPONSES,
    404: OpenApiResponse(ErrorSerializer, description="No published record has this slug."),
}


def documented(list_serializer, detail_serializer, list_responses=None, **list_options):
    """Keyword arguments of ``extend_schema_view`` for a resource's two operations: their
    responses, with the answers every operation may give."""
    list_responses = list_responses or {200: list_serializer(many=True)}
    return {
        "list": extend_schema(responses={**list_responses, **COMMON_RESPONSES}, **list_options),
        "retrieve": extend_schema(responses={200: detail_serializer, **DETAIL_RESPONSES}),
    }


class ResourceViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A resource: ``list`` (``serializer_class``) and ``retrieve``
    (``detail_serializer_class``, else the same) by slug."""

    lookup_field = "slug"
    lookup_value_regex = LOOKUP_PATTERN
    pagination_class = IdCursorPagination
    content_negotiation_class = FormatNegotiation
    filter_backends = [DjangoFilterBackend]
    detail_serializer_class = None
    filterset_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def allowed_parameters(self):
        allowed = {"format"}
        if self.action == "list":
            allowed |= {"cursor", "page_size"}
            if self.filterset_class is not None:
                allowed |= set(self.filterset_class.base_filters)
        return allowed

    def filter_queryset(self, queryset):
        # A detail takes no filters (``allowed_parameters``): its record is found by slug.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        # A slug of another shape names no record; the database is not asked (PostgreSQL
        # refuses some characters outright).
        if not re.fullmatch(SLUG_PATTERN, self.kwargs[self.lookup_field]):
            raise NotFound
        return super().get_object()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, self.allowed_parameters())
        self.check_conditions(request)
