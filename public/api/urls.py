"""``/api/v1/``: the resources, the OpenAPI schema and its docs. Included by
``config.urls`` under the namespace ``api``; the paths are the API's contract (README,
"API")."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from public.api.views import docs
from public.api.views.records import (
    AssessmentViewSet,
    FigureViewSet,
    OrganisationViewSet,
    PlaceViewSet,
    SourceViewSet,
    VisitViewSet,
)
from public.api.views.recovery import CommitmentViewSet, ProjectViewSet
from public.api.views.sites import SiteViewSet
from public.api.views.vocabularies import VocabularyViewSet

app_name = "api"

router = SimpleRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("places", PlaceViewSet, basename="place")
router.register("visits", VisitViewSet, basename="visit")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("sources", SourceViewSet, basename="source")
router.register("figures", FigureViewSet, basename="figure")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("vocabularies", VocabularyViewSet, basename="vocabulary")
router.register("restoration-projects", ProjectViewSet, basename="project")
router.register("commitments", CommitmentViewSet, basename="commitment")

urlpatterns = [
    path("", docs.ApiRootView.as_view(), name="root"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path("", include(router.urls)),
    re_path(r"^.*/$", docs.NotFoundView.as_view()),
]
