from django.conf import settings
from django.utils.functional import SimpleLazyObject

from public import selectors


def register(request):
    """Map settings every page template may need, and ``place_names``: the places' names in
    the visitor's language (read only by a page that shows a place, through the
    ``place_name`` filter)."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "place_names": SimpleLazyObject(selectors.localized_place_names),
    }
