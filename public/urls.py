"""The public website's URLs. Paths and names are the public contract documented in the
README: keep them stable."""

from django.urls import path

from public.views import (
    areas,
    dossier,
    evidence,
    exports,
    home,
    search,
    sites,
    sources,
    statistics,
    visits,
)

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("sites/", sites.SiteListView.as_view(), name="site-list"),
    path("sites/export.csv", exports.export_csv, name="site-export-csv"),
    path("sites/export.geojson", exports.export_geojson, name="site-export-geojson"),
    path("sites/suggest", search.suggest, name="site-suggestions"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", visits.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("evidence/<int:pk>/<slug:rendition>", evidence.evidence_file, name="evidence-file"),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/<slug:table>.csv", statistics.statistics_csv, name="statistics-csv"),
    path("areas/<slug:slug>/", areas.area_detail, name="area-detail"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    path("favicon.ico", home.favicon, name="favicon"),
]
