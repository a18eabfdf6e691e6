"""Root URL configuration. The public URLs are documented in the README: keep them stable."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from heritage.health import healthz
from heritage.views import dossier, home, sites, sources
from inspections import evidence_views
from inspections import views as inspection_views

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("sites/", sites.SiteListView.as_view(), name="site-list"),
    path("sites/export.csv", sites.export_csv, name="site-export-csv"),
    path("sites/export.geojson", sites.export_geojson, name="site-export-geojson"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", inspection_views.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", inspection_views.VisitDetailView.as_view(), name="visit-detail"),
    path(
        "evidence/<int:pk>/<slug:rendition>",
        evidence_views.evidence_file,
        name="evidence-file",
    ),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Password resets for staff by e-mail; the admin's login page links to the first. The
    # same answer is given whether or not an account has the address.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
