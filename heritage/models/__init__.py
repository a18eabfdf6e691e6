"""The register: places, organisations, people, sources, sites and reported figures.

Everything shown to the public is a claim with a source. A site's own fields hold the
register's current summary; what individual sources say about it (two dates, an uncertain
identity) is kept side by side as :class:`SiteClaim` rows, each with its source.
"""

from heritage.models.claims import ClaimKind, SiteCitation, SiteClaim
from heritage.models.figures import ReportedFigure
from heritage.models.names import (
    DISPLAY_NAME_KINDS,
    NameKind,
    NameVariant,
    SearchWord,
    base_language,
    language_validator,
    preferred_name,
    script_validator,
    wikidata_validator,
)
from heritage.models.organisations import Organisation, OrganisationKind, Person
from heritage.models.places import Place, PlaceKind, PlaceName
from heritage.models.site_queries import PLACE_WITH_ANCESTORS, SiteQuerySet
from heritage.models.site_search import TRIGRAM, SiteSearch, fts_phrase, like_pattern
from heritage.models.sites import Importance, LocationPrecision, Site, SiteCategory, SiteName
from heritage.models.sources import (
    Citation,
    Source,
    SourceKind,
    citation_constraints,
    unpublished_source_error,
    with_public_source,
)

__all__ = [
    "DISPLAY_NAME_KINDS",
    "PLACE_WITH_ANCESTORS",
    "TRIGRAM",
    "Citation",
    "ClaimKind",
    "Importance",
    "LocationPrecision",
    "NameKind",
    "NameVariant",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Place",
    "PlaceKind",
    "PlaceName",
    "ReportedFigure",
    "SearchWord",
    "Site",
    "SiteCategory",
    "SiteCitation",
    "SiteClaim",
    "SiteName",
    "SiteQuerySet",
    "SiteSearch",
    "Source",
    "SourceKind",
    "base_language",
    "citation_constraints",
    "fts_phrase",
    "language_validator",
    "like_pattern",
    "preferred_name",
    "script_validator",
    "unpublished_source_error",
    "wikidata_validator",
    "with_public_source",
]
