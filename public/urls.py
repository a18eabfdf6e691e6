"""The public website's URLs. Paths and names are the public contract documented in the
README: keep them stable.

``config.urls`` serves every pattern here once per language (``i18n_patterns``): English
unprefixed, ``/az/…`` and ``/ar/…``. Addresses that are the same in every language (files)
are in ``public.file_urls``."""

from django.urls import path

from public.views import dossier, exports, feeds, home, permalinks, search, sites, sources, visits

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("sites/", sites.SiteListView.as_view(), name="site-list"),
    path("sites/export.csv", exports.export_csv, name="site-export-csv"),
    path("sites/export.geojson", exports.export_geojson, name="site-export-geojson"),
    path("sites/suggest", search.suggest, name="site-suggestions"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", visits.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    # Short permanent addresses by id (README, "Permanent links").
    path("s/<int:pk>", permalinks.site, name="site-permalink"),
    path("v/<int:pk>", permalinks.visit, name="visit-permalink"),
    path("a/<int:pk>", permalinks.assessment, name="assessment-permalink"),
    path("src/<int:pk>", permalinks.source, name="source-permalink"),
    path("f/<int:pk>", permalinks.figure, name="figure-permalink"),
    # Atom feeds (README, "Feeds").
    path("feeds/assessments.atom", feeds.AssessmentFeed(), name="assessment-feed"),
    path("feeds/visits.atom", feeds.VisitFeed(), name="visit-feed"),
    path("feeds/sources.atom", feeds.SourceFeed(), name="source-feed"),
]
