"""The register: places, organisations, people, sources, sites and reported figures.

Everything shown to the public is a claim with a source. A site's own fields hold the
register's current summary; what individual sources say about it (two dates, an uncertain
identity) is kept side by side as :class:`SiteClaim` rows, each with its source.
"""

from heritage.models.claims import ClaimKind, SiteCitation, SiteClaim, SiteFact
from heritage.models.figures import ReportedFigure
from heritage.models.identifiers import (
    SCHEMES,
    ExternalIdentifier,
    IdentifierScheme,
    SiteIdentifier,
    site_identifiers,
)
from heritage.models.jobs import ImportFilePiece, ImportJob, ImportStatus
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
from heritage.models.slugs import KeepsOldSlugs, OldSlug
from heritage.models.sources import (
    Citation,
    Source,
    SourceKind,
    citation_constraints,
    unpublished_source_error,
    with_public_source,
)
from heritage.models.translations import (
    REGISTER_LANGUAGE,
    LocalizedText,
    SiteClaimTranslation,
    SiteTranslation,
    localized_text,
    text_language_field,
)

__all__ = [
    "DISPLAY_NAME_KINDS",
    "PLACE_WITH_ANCESTORS",
    "REGISTER_LANGUAGE",
    "SCHEMES",
    "TRIGRAM",
    "Citation",
    "ClaimKind",
    "ExternalIdentifier",
    "IdentifierScheme",
    "ImportFilePiece",
    "ImportJob",
    "ImportStatus",
    "Importance",
    "KeepsOldSlugs",
    "LocalizedText",
    "LocationPrecision",
    "NameKind",
    "NameVariant",
    "OldSlug",
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
    "SiteClaimTranslation",
    "SiteFact",
    "SiteIdentifier",
    "SiteName",
    "SiteQuerySet",
    "SiteSearch",
    "SiteTranslation",
    "Source",
    "SourceKind",
    "base_language",
    "citation_constraints",
    "fts_phrase",
    "language_validator",
    "like_pattern",
    "localized_text",
    "preferred_name",
    "script_validator",
    "site_identifiers",
    "text_language_field",
    "unpublished_source_error",
    "wikidata_validator",
    "with_public_source",
]
