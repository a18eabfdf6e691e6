from django.conf import settings
from django.utils.functional import SimpleLazyObject

from heritage.models import REGISTER_LANGUAGE
from public import selectors


def register(request):
    """Map settings every page template may need, the language the register writes in,
    and ``place_names``: the places' names in the visitor's language (read only by a page
    that shows a place, through the ``place_name`` filter)."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "REGISTER_LANGUAGE": REGISTER_LANGUAGE,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "place_names": SimpleLazyObject(selectors.localized_place_names),
    }
