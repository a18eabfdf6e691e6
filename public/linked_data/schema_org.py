"""The schema.org description a dossier embeds as JSON-LD: the page (``WebPage``) about the
site (``LandmarksOrHistoricalBuildings``) with its public names, its point unless the location
is withheld, its Wikidata item and its records in other registers that have an address
(``sameAs``), the sources the page cites and how to credit the page."""

from django.utils.translation import gettext as _

from heritage.models import LocationPrecision, site_identifiers
from public.licence import DATA_LICENCE


def source_work(source, origin):
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or origin + source.get_absolute_url(),
    }
    if source.author:
        work["author"] = source.author
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    return work


def site_description(site, origin, title):
    """The JSON-LD of a site's dossier: ``site`` as the dossier loads it (``names`` holds the
    public variants and ``public_citations`` the citations of published sources), ``title``
    the name the page shows."""
    page_url = origin + site.get_absolute_url()
    register = _("Heritage damage register")
    place = {
        "@type": "LandmarksOrHistoricalBuildings",
        "@id": f"{page_url}#site",
        "name": site.name,
        "url": page_url,
        "containedInPlace": {"@type": "Place", "name": site.place.name},
    }
    variants = []
    for name in site.names.all():
        if name.name != site.name and name.name not in variants:
            variants.append(name.name)
    if variants:
        place["alternateName"] = variants
    coordinates = site.public_coordinates()
    if site.location_precision != LocationPrecision.WITHHELD and coordinates:
        latitude, longitude = coordinates
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(latitude),
            "longitude": float(longitude),
        }
    same_as = [identifier.url for identifier in site_identifiers(site) if identifier.url]
    if same_as:
        place["sameAs"] = same_as
    description = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": page_url,
        "url": page_url,
        "name": title,
        "isPartOf": {"@type": "WebSite", "name": register, "url": f"{origin}/"},
        "license": DATA_LICENCE["path"],
        "creditText": f"{register}, “{title}”, {page_url}",
        "about": place,
    }
    citations = [source_work(citation.source, origin) for citation in site.public_citations]
    if citations:
        description["citation"] = citations
    return description
