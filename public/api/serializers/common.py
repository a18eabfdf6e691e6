"""Pieces every resource shares: links to other resources and to public pages, citations."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.models import NameKind


def api_url(request, name, slug):
    """The absolute URL of the API's resource ``name`` (``site``, ``place``...) ``slug``."""
    return request.build_absolute_uri(reverse(f"api:{name}-detail", args=[slug]))


def link(name, **options):
    """A link, by slug, to the API's resource ``name`` of the related record."""
    return serializers.HyperlinkedRelatedField(
        view_name=f"api:{name}-detail", lookup_field="slug", read_only=True, **options
    )


def identity(name):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{name}-detail", lookup_field="slug", help_text="This record in the API."
    )


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the record's page on the public website."""

    def __init__(self, **options):
        options.setdefault("help_text", "The record's page on the public website.")
        super().__init__(source="*", read_only=True, **options)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field({"type": "string", "description": "An EAMENA term, by its English label."})
class TermField(serializers.SlugRelatedField):
    """An EAMENA vocabulary term, by its English label (the ``vocabularies`` resource gives
    its Arabic and Azerbaijani labels)."""

    def __init__(self, **options):
        super().__init__(slug_field="label", read_only=True, **options)


#: The schema of a coordinate in decimal degrees, or null when unknown.
LATITUDE = {"type": "number", "format": "double", "nullable": True, "minimum": -90, "maximum": 90}
LONGITUDE = {**LATITUDE, "minimum": -180, "maximum": 180}


def public_position(site):
    """(latitude, longitude) as numbers, or (None, None): the position the public may see,
    the place's for a withheld location (``Site.public_coordinates``)."""
    coordinates = site.public_coordinates()
    if coordinates is None:
        return None, None
    return float(coordinates[0]), float(coordinates[1])


class CitationSerializer(serializers.Serializer):
    """A published source cited by a record, with what it says there."""

    source = link("source", help_text="The source in the API.")
    source_title = serializers.CharField(source="source.title", read_only=True)
    locator = serializers.CharField(read_only=True, help_text="Page, paragraph or time code.")
    summary = serializers.CharField(read_only=True, help_text="What the source says.")


class NameSerializer(serializers.Serializer):
    """A name of a site or place in one language and script."""

    name = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True, help_text="Language code, e.g. az, ar.")
    script = serializers.CharField(read_only=True, help_text="ISO 15924 code, e.g. Latn.")
    kind = serializers.ChoiceField(choices=NameKind.choices, read_only=True)
    note = serializers.CharField(read_only=True)
