"""Pieces every resource shares: links to other resources and to public pages, citations."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.models import NameKind

#: The public pages addressed by a slug, by model name.
PAGE_VIEWS = {"site": "site-detail", "visit": "visit-detail"}

#: Stands for the slug in an address made once per request and filled in for every record.
PLACEHOLDER = "0slug0"


def canonical_path(view_name, *args):
    """The path of ``view_name`` in the register's default language, whatever language the
    API request negotiated: a record's page has one address in the API, unprefixed."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(view_name, args=args)


def url_of(context, view_name, slug):
    """The absolute URL of ``view_name`` (which takes one slug) for ``slug``.

    ``reverse`` is costly when a page of 100 records links to 400 others: the address is
    made once per request and view, then filled in. Slugs need no quoting (letters, digits,
    hyphens and underscores).
    """
    templates = context.setdefault("url_templates", {})
    template = templates.get(view_name)
    if template is None:
        path = canonical_path(view_name, PLACEHOLDER)
        template = templates[view_name] = context["request"].build_absolute_uri(path)
    return template.replace(PLACEHOLDER, slug)


def api_url(context, name, slug):
    """The absolute URL of the API's resource ``name`` (``site``, ``place``...) ``slug``."""
    return url_of(context, f"api:{name}-detail", slug)


@extend_schema_field({"type": "string", "format": "uri"})
class LinkField(serializers.RelatedField):
    """A link, by slug, to the API's resource of the related record (or of the record
    itself, with ``source="*"``)."""

    def __init__(self, name, **options):
        self.resource = name
        super().__init__(read_only=True, **options)

    def to_representation(self, value):
        return api_url(self.context, self.resource, value.slug)


def link(name, **options):
    """A link, by slug, to the API's resource ``name`` of the related record."""
    return LinkField(name, **options)


def identity(name):
    return LinkField(name, source="*", help_text="This record in the API.")


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the record's page on the public website."""

    def __init__(self, **options):
        options.setdefault("help_text", "The record's page on the public website.")
        super().__init__(source="*", read_only=True, **options)

    def to_representation(self, value):
        if hasattr(value, "slug") and self.parent is not None:
            name = value._meta.model_name
            page = PAGE_VIEWS.get(name)
            if page:
                return url_of(self.context, page, value.slug)
        with translation.override(settings.LANGUAGE_CODE):
            path = value.get_absolute_url()
        return self.context["request"].build_absolute_uri(path)


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
