"""The public website's URLs. Paths and names are the public contract documented in the
README: keep them stable."""

from django.urls import path

from public.views import (
    area_suggest,
    dossier,
    evidence,
    exports,
    home,
    map_data,
    search,
    sites,
    sources,
    visits,
)

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("sites/", sites.SiteListView.as_view(), name="site-list"),
    path("sites/export.csv", exports.export_csv, name="site-export-csv"),
    path("sites/export.geojson", exports.export_geojson, name="site-export-geojson"),
    path("sites/suggest", search.suggest, name="site-suggestions"),
    path("sites/map.json", map_data.map_data, name="site-map-data"),
    path("sites/areas/suggest", area_suggest.suggest_areas, name="area-suggestions"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", visits.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("evidence/<int:pk>/<slug:rendition>", evidence.evidence_file, name="evidence-file"),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    path("favicon.ico", home.favicon, name="favicon"),
]
