"""GeoJSON (RFC 7946) for the list of sites, asked for with ``format=geojson`` or
``Accept: application/geo+json``."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"
