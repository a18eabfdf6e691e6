"""The API's root, its OpenAPI schema (``/api/v1/schema/``) and the schema's browsable docs
(``/api/v1/docs/``, Swagger UI from the drf-spectacular-sidecar package, served by this
site).

The docs work under the site's Content-Security-Policy: the page loads its scripts and
styles from static files, its start-up script from ``?script`` (never inline), and only the
docs page's policy also allows the ``data:`` images of Swagger UI's stylesheet.
"""

from csp.decorators import csp_update
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from public.api.filters import check_parameters

#: The resources the root lists, by the name of their list's URL.
RESOURCES = [
    "site",
    "place",
    "visit",
    "assessment",
    "source",
    "figure",
    "organisation",
    "vocabulary",
]


class ApiRootView(APIView):
    """Links to every resource, the schema and the docs."""

    @extend_schema(exclude=True)
    def get(self, request):
        check_parameters(request, {"format"})
        links = {
            f"{name}s" if name != "vocabulary" else "vocabularies": reverse(f"api:{name}-list")
            for name in RESOURCES
        }
        links.update(schema=reverse("api:schema"), docs=reverse("api:docs"))
        return Response({name: request.build_absolute_uri(url) for name, url in links.items()})


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, as YAML or (``?format=json``) JSON.

    The schema follows from the code, the language, the version asked for and the site's
    address, never from the register: each process makes it once for each of those and
    keeps it (``made``, at most ``KEPT`` of them), rather than after every edit of the
    register, when the page cache is emptied (making it took 66-124 ms)."""

    #: {(language, version, the site's root address): the schema}, for this process.
    made = {}
    KEPT = 16

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, request.build_absolute_uri("/"))
        schema = self.made.get(key)
        if schema is None:
            response = super()._get_schema_response(request)
            if len(self.made) < self.KEPT:
                self.made[key] = response.data
            return response
        filename = self._get_filename(request, version)
        return Response(schema, headers={"Content-Disposition": f'inline; filename="{filename}"'})


@method_decorator(csp_update({"img-src": ["data:"]}), name="get")
class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
    template_name = "public/api_docs.html"


class NotFoundView(APIView):
    """Any other address under ``/api/v1/``: the API's JSON 404, not the site's page."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound
