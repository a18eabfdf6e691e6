"""The public website's URLs. Paths and names are the public contract documented in the
README: keep them stable.

``config.urls`` serves every pattern here once per language (``i18n_patterns``): English
unprefixed, ``/az/…`` and ``/ar/…``. Addresses that are the same in every language (files)
are in ``public.file_urls``."""

from django.urls import path

from public.views import (
    area_suggest,
    areas,
    data,
    dossier,
    exports,
    feeds,
    history,
    home,
    linked_data,
    map_data,
    organisations,
    permalinks,
    recovery,
    recovery_feeds,
    search,
    sites,
    source_register,
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
    path("sites/map.json", map_data.map_data, name="site-map-data"),
    path("sites/areas/suggest", area_suggest.suggest_areas, name="area-suggestions"),
    path("sites/<slug:slug>/", dossier.SiteDetailView.as_view(), name="site-detail"),
    path("visits/", visits.VisitListView.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("figures/", sources.FigureListView.as_view(), name="figure-list"),
    path("sources/<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    # The public history of records, their versions' permalinks and their citations.
    path(
        "sites/<slug:key>/history/",
        history.record_history,
        {"kind": "site"},
        name="site-history",
    ),
    path(
        "sites/<slug:key>/history/<int:version>/",
        history.record_version,
        {"kind": "site"},
        name="site-version",
    ),
    path(
        "sites/<slug:key>/cite.<str:extension>",
        history.record_citation,
        {"kind": "site"},
        name="site-cite",
    ),
    path(
        "sites/<slug:key>/history/<int:version>/cite.<str:extension>",
        history.record_citation,
        {"kind": "site"},
        name="site-version-cite",
    ),
    path(
        "visits/<slug:key>/history/",
        history.record_history,
        {"kind": "visit"},
        name="visit-history",
    ),
    path(
        "visits/<slug:key>/history/<int:version>/",
        history.record_version,
        {"kind": "visit"},
        name="visit-version",
    ),
    path(
        "visits/<slug:key>/cite.<str:extension>",
        history.record_citation,
        {"kind": "visit"},
        name="visit-cite",
    ),
    path(
        "visits/<slug:key>/history/<int:version>/cite.<str:extension>",
        history.record_citation,
        {"kind": "visit"},
        name="visit-version-cite",
    ),
    path(
        "sources/<int:key>/history/",
        history.record_history,
        {"kind": "source"},
        name="source-history",
    ),
    path(
        "sources/<int:key>/history/<int:version>/",
        history.record_version,
        {"kind": "source"},
        name="source-version",
    ),
    path(
        "sources/<int:key>/cite.<str:extension>",
        history.record_citation,
        {"kind": "source"},
        name="source-cite",
    ),
    path(
        "sources/<int:key>/history/<int:version>/cite.<str:extension>",
        history.record_citation,
        {"kind": "source"},
        name="source-version-cite",
    ),
    path(
        "figures/<int:key>/history/",
        history.record_history,
        {"kind": "figure"},
        name="figure-history",
    ),
    path(
        "figures/<int:key>/history/<int:version>/",
        history.record_version,
        {"kind": "figure"},
        name="figure-version",
    ),
    path(
        "figures/<int:key>/cite.<str:extension>",
        history.record_citation,
        {"kind": "figure"},
        name="figure-cite",
    ),
    path(
        "figures/<int:key>/history/<int:version>/cite.<str:extension>",
        history.record_citation,
        {"kind": "figure"},
        name="figure-version-cite",
    ),
    path("restoration/", recovery.RestorationListView.as_view(), name="restoration-list"),
    path("restoration/export.csv", recovery.restoration_export_csv, name="restoration-export-csv"),
    path(
        "restoration/export.geojson",
        recovery.restoration_export_geojson,
        name="restoration-export-geojson",
    ),
    path(
        "restoration/<slug:slug>/",
        recovery.RestorationDetailView.as_view(),
        name="restoration-detail",
    ),
    path("training/", recovery.TrainingListView.as_view(), name="training-list"),
    path("training/<slug:slug>/", recovery.TrainingDetailView.as_view(), name="training-detail"),
    path("commitments/", recovery.CommitmentListView.as_view(), name="commitment-list"),
    path("commitments/export.csv", recovery.commitment_export_csv, name="commitment-export-csv"),
    path(
        "commitments/<slug:slug>/",
        recovery.CommitmentDetailView.as_view(),
        name="commitment-detail",
    ),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/<slug:table>.csv", statistics.statistics_csv, name="statistics-csv"),
    path("areas/<slug:slug>/", areas.area_detail, name="area-detail"),
    path(
        "sites/export-excel.csv",
        exports.export_spreadsheet_csv,
        name="site-export-spreadsheet-csv",
    ),
    path("sites/<slug:slug>.jsonld", linked_data.site_linked_art, name="site-linked-art"),
    path("data/", data.DataView.as_view(), name="data"),
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
    path("feeds/restoration.atom", recovery_feeds.RestorationFeed(), name="restoration-feed"),
    path("feeds/commitments.atom", recovery_feeds.CommitmentFeed(), name="commitment-feed"),
    path(
        "organisations/<slug:slug>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("sources/", source_register.SourceListView.as_view(), name="source-list"),
    path("disagreements/", organisations.disagreements, name="disagreement-list"),
]
