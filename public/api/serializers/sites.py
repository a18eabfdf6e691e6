"""Sites: the list (one query per page), the detail (the dossier's content) and GeoJSON."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.models import (
    ClaimKind,
    Importance,
    LocationPrecision,
    SiteCategory,
    site_identifiers,
)
from inspections.models import ConditionStatus, Verification
from public.api.serializers.common import (
    LATITUDE,
    LONGITUDE,
    CitationSerializer,
    NameSerializer,
    PageUrlField,
    TermField,
    identity,
    link,
    public_position,
)


class PlaceSummarySerializer(serializers.Serializer):
    url = link("place", source="*", help_text="The place in the API.")
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class SiteSerializer(serializers.Serializer):
    """What the list shows of a site; the detail adds to it."""

    url = identity("site")
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="The register's name, in English.")
    category = serializers.ChoiceField(choices=SiteCategory.choices, read_only=True)
    place = PlaceSummarySerializer(read_only=True)
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    location_precision = serializers.ChoiceField(
        choices=LocationPrecision.choices,
        read_only=True,
        help_text="For `withheld`, the coordinates are the place's, never the site's own.",
    )
    latest_condition = serializers.CharField(
        source="latest_condition_label",
        read_only=True,
        allow_null=True,
        help_text="The overall condition (EAMENA term) in the latest published assessment.",
    )
    latest_assessment_date = serializers.DateField(
        source="latest_assessed_on", read_only=True, allow_null=True
    )
    condition_status = serializers.SerializerMethodField(
        help_text=(
            "`stated`; `not_stated`: the latest published assessment states no condition; "
            "`not_assessed`: no published assessment."
        )
    )
    condition_inferred = serializers.SerializerMethodField(
        help_text=(
            "True when the latest assessment is tied to this site only by the register's own "
            "identification, not by any source's words."
        )
    )
    page_url = PageUrlField()

    @extend_schema_field({"type": "string", "enum": [status.value for status in ConditionStatus]})
    def get_condition_status(self, site):
        return ConditionStatus.of(site.latest_condition_id, site.latest_assessed_on).value

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_condition_inferred(self, site):
        return bool(getattr(site, "latest_inferred", False))

    @extend_schema_field(LATITUDE)
    def get_latitude(self, site):
        return public_position(site)[0]

    @extend_schema_field(LONGITUDE)
    def get_longitude(self, site):
        return public_position(site)[1]


class ClaimSerializer(serializers.Serializer):
    """What one published source says about the site (a dating, an identity...)."""

    kind = serializers.ChoiceField(choices=ClaimKind.choices, read_only=True)
    statement = serializers.CharField(read_only=True)
    year_from = serializers.IntegerField(read_only=True, allow_null=True)
    year_to = serializers.IntegerField(read_only=True, allow_null=True)
    dating_label = serializers.CharField(read_only=True)
    is_inference = serializers.BooleanField(
        read_only=True, help_text="True when no source states it and the register infers it."
    )
    source = link("source")
    locator = serializers.CharField(read_only=True)


class IdentifierSerializer(serializers.Serializer):
    """The site in another register or study."""

    scheme = serializers.CharField(
        read_only=True, help_text="`wikidata`, `chw` (Caucasus Heritage Watch) or `eamena`."
    )
    label = serializers.CharField(read_only=True, help_text="The scheme's name.")
    value = serializers.CharField(read_only=True, help_text="The identifier, as written there.")
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The record there, or null when unknown."
    )
    source = link("source", allow_null=True, help_text="Where it was found, if published.")


class AssessmentSummarySerializer(serializers.Serializer):
    url = identity("assessment")
    slug = serializers.SlugField(read_only=True)
    assessed_on = serializers.DateField(read_only=True)
    overall_condition = TermField(allow_null=True)
    verification = serializers.ChoiceField(choices=Verification.choices, read_only=True)
    rests_on_inference = serializers.BooleanField(
        read_only=True,
        help_text="True when only the register's own identification ties it to this site.",
    )


class SiteDetailSerializer(SiteSerializer):
    names = NameSerializer(many=True, read_only=True)
    dating_label = serializers.CharField(read_only=True)
    year_from = serializers.IntegerField(read_only=True, allow_null=True)
    year_to = serializers.IntegerField(read_only=True, allow_null=True)
    registry_number = serializers.CharField(read_only=True)
    importance = serializers.ChoiceField(
        choices=[("", "Not given"), *Importance.choices], read_only=True
    )
    wikidata_id = serializers.CharField(read_only=True)
    identifiers = serializers.SerializerMethodField(
        help_text="The site in other registers and studies (Wikidata first)."
    )
    description = serializers.CharField(read_only=True)
    claims = ClaimSerializer(
        source="public_claims", many=True, read_only=True, help_text="Published claims."
    )
    citations = CitationSerializer(source="public_citations", many=True, read_only=True)
    assessments = AssessmentSummarySerializer(
        source="public_assessments", many=True, read_only=True, help_text="Newest first."
    )
    geojson_url = serializers.SerializerMethodField()

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, site):
        return IdentifierSerializer(site_identifiers(site), many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_geojson_url(self, site):
        """The site as a GeoJSON FeatureCollection (the list of sites filtered by ``site``)."""
        query = urlencode({"format": "geojson", "site": site.slug})
        return self.context["request"].build_absolute_uri(f"{reverse('api:site-list')}?{query}")
