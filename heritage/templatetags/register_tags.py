"""Template helpers shared by the register's pages."""

from django import template

register = template.Library()


@register.filter
def place_name(place, names):
    """A place's name in the visitor's language: ``{{ place|place_name:place_names }}``, with
    ``place_names`` from the ``heritage.context_processors.register`` context processor."""
    if place is None:
        return ""
    return (names or {}).get(place.pk) or place.name
