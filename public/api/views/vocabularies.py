"""``/api/v1/vocabularies/``: EAMENA's controlled vocabularies, each with its terms in
scale order and their English, Arabic and Azerbaijani labels. Not paginated: nine short
lists."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from inspections.models import VOCABULARIES
from public.api.conditional import ConditionalMixin
from public.api.filters import FormatNegotiation, check_parameters
from public.api.serializers.register import VocabularySerializer
from public.api.views.base import COMMON_RESPONSES, DETAIL_RESPONSES, LOOKUP_PATTERN

BY_NAME = {model.EAMENA_LIST: model for model in VOCABULARIES}


def vocabulary(model):
    return {
        "name": model.EAMENA_LIST,
        "title": str(model._meta.verbose_name_plural),
        "terms": list(model.objects.order_by("position", "label", "id")),
    }


@extend_schema_view(
    list=extend_schema(responses={200: VocabularySerializer(many=True), **COMMON_RESPONSES}),
    retrieve=extend_schema(responses={200: VocabularySerializer, **DETAIL_RESPONSES}),
)
class VocabularyViewSet(ConditionalMixin, viewsets.ViewSet):
    serializer_class = VocabularySerializer
    content_negotiation_class = FormatNegotiation
    lookup_field = "name"
    lookup_value_regex = LOOKUP_PATTERN

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, {"format"})
        self.check_conditions(request)

    def list(self, request):
        data = [vocabulary(model) for model in VOCABULARIES]
        return Response(VocabularySerializer(data, many=True, context={"request": request}).data)

    def retrieve(self, request, name=None):
        if name not in BY_NAME:
            raise Http404
        data = vocabulary(BY_NAME[name])
        return Response(VocabularySerializer(data, context={"request": request}).data)
