"""Root URL configuration. The public URLs are documented in the README: keep them stable."""

from django.contrib import admin
from django.urls import include, path

from heritage.views import dossier, home, sites, sources
from inspections import views as inspection_views

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("sites/", sites.SiteListView.as_view(), name="site-list"),
    path("sites/export.csv", sites.export_csv, name="site-export-csv"),
    path("sites/export.geojson", sites.export_geojson, name="site-export-geojson"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", inspection_views.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", inspection_views.VisitDetailView.as_view(), name="visit-detail"),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
