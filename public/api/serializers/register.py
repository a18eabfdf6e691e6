"""Places, organisations and the EAMENA vocabularies."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.models import OrganisationKind, PlaceKind
from public.api.serializers.common import (
    LATITUDE,
    LONGITUDE,
    NameSerializer,
    canonical_path,
    identity,
    link,
)

URI = {"type": "string", "format": "uri"}


def filtered_url(context, name, **query):
    """The absolute URL of the list ``name`` with the parameters ``query``."""
    bases = context.setdefault("list_urls", {})
    if name not in bases:
        bases[name] = context["request"].build_absolute_uri(canonical_path(name))
    return f"{bases[name]}?{urlencode(query)}"


def coordinate(value):
    return None if value is None else float(value)


class PlaceSerializer(serializers.Serializer):
    url = identity("place")
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="The name in English.")
    kind = serializers.ChoiceField(choices=PlaceKind.choices, read_only=True)
    parent = link("place", allow_null=True, help_text="The place it is part of.")
    iso_code = serializers.CharField(read_only=True, help_text="ISO 3166 code, if any.")
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    wikidata_id = serializers.CharField(read_only=True)
    sites = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(LATITUDE)
    def get_latitude(self, place):
        return coordinate(place.latitude)

    @extend_schema_field(LONGITUDE)
    def get_longitude(self, place):
        return coordinate(place.longitude)

    @extend_schema_field(URI)
    def get_sites(self, place):
        """The API's list of the published sites in the place and the places within it."""
        return filtered_url(self.context, "api:site-list", area=place.slug)

    @extend_schema_field(URI)
    def get_page_url(self, place):
        """The public list of the sites in the place."""
        return filtered_url(self.context, "site-list", area=place.slug)


class PlaceDetailSerializer(PlaceSerializer):
    names = NameSerializer(many=True, read_only=True)


class OrganisationSerializer(serializers.Serializer):
    url = identity("organisation")
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code, if any.")
    website = serializers.CharField(read_only=True)
    sites = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()

    @extend_schema_field(URI)
    def get_sites(self, organisation):
        """The API's list of the sites the organisation assessed (or visited and assessed)."""
        return filtered_url(self.context, "api:site-list", organisation=organisation.slug)

    @extend_schema_field(URI)
    def get_visits(self, organisation):
        """The API's list of the organisation's published visits."""
        return filtered_url(self.context, "api:visit-list", organisation=organisation.slug)


class TermSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True, help_text="The English label (EAMENA's).")
    label_ar = serializers.CharField(read_only=True, help_text="The Arabic label, if any.")
    label_az = serializers.CharField(read_only=True, help_text="The Azerbaijani label, if any.")
    position = serializers.IntegerField(
        read_only=True, help_text="Order in the list; ordinal scales run from low to high."
    )
    from_eamena = serializers.BooleanField(
        read_only=True, help_text="False for a term the register added to EAMENA's list."
    )


class VocabularySerializer(serializers.Serializer):
    """A controlled vocabulary of EAMENA, its terms in scale order."""

    url = serializers.SerializerMethodField()
    name = serializers.CharField(read_only=True, help_text="The list's key in EAMENA's data.")
    title = serializers.CharField(read_only=True)
    terms = TermSerializer(many=True, read_only=True)

    @extend_schema_field(URI)
    def get_url(self, vocabulary):
        path = reverse("api:vocabulary-detail", args=[vocabulary["name"]])
        return self.context["request"].build_absolute_uri(path)
