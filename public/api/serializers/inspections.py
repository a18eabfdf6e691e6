"""Visits and condition assessments, with their disturbances and attributions of
responsibility: each citation and attribution only with a published source."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.base import DatePrecision
from inspections.models import ParticipantRole, Verification, VisitKind, VisitStatus
from public.api.serializers.common import (
    CitationSerializer,
    PageUrlField,
    TermField,
    api_url,
    identity,
    link,
    url_of,
)


class VisitSerializer(serializers.Serializer):
    url = identity("visit")
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=VisitKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=VisitStatus.choices, read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    organisations = link("organisation", many=True)
    places = link("place", many=True, help_text="The places visited.")
    page_url = PageUrlField()


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(source="person.name", read_only=True)
    position = serializers.CharField(source="person.position", read_only=True)
    role = serializers.ChoiceField(choices=ParticipantRole.choices, read_only=True)
    organisation = link("organisation", allow_null=True, help_text="On whose behalf.")


class VisitAssessmentSerializer(serializers.Serializer):
    url = identity("assessment")
    slug = serializers.SlugField(read_only=True)
    site = link("site")
    assessed_on = serializers.DateField(read_only=True)
    overall_condition = TermField(allow_null=True)


class VisitDetailSerializer(VisitSerializer):
    summary = serializers.CharField(read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    citations = CitationSerializer(source="public_citations", many=True, read_only=True)
    assessments = VisitAssessmentSerializer(
        source="public_assessments",
        many=True,
        read_only=True,
        help_text="The published assessments of published sites made on the visit.",
    )


class ResponsibilityClaimSerializer(serializers.Serializer):
    """Who a published source says is responsible: the source's claim, never the register's."""

    attributed_to = serializers.CharField(read_only=True, help_text="In the source's words.")
    source = link("source")
    locator = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)


class DisturbanceSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    cause_category = TermField()
    cause_type = TermField(allow_null=True)
    cause_certainty = TermField(allow_null=True)
    effect_types = TermField(many=True)
    effect_certainty = TermField(allow_null=True)
    date_from = serializers.DateField(read_only=True, allow_null=True)
    date_to = serializers.DateField(read_only=True, allow_null=True)
    occurred_before = serializers.DateField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    responsibility_claims = ResponsibilityClaimSerializer(
        source="public_responsibility_claims", many=True, read_only=True
    )


class AssessmentSerializer(serializers.Serializer):
    url = identity("assessment")
    slug = serializers.SlugField(read_only=True)
    site = link("site")
    visit = serializers.SerializerMethodField()
    assessed_on = serializers.DateField(read_only=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    assessed_by = link("organisation", allow_null=True)
    assessment_type = TermField(allow_null=True)
    overall_condition = TermField(allow_null=True)
    damage_extent = TermField(allow_null=True)
    damage_trend = TermField(allow_null=True)
    priority = TermField(allow_null=True)
    verification = serializers.ChoiceField(
        choices=Verification.choices, read_only=True, help_text="The verification level."
    )
    rests_on_inference = serializers.BooleanField(
        read_only=True,
        help_text="True when only the register's own identification ties it to its site.",
    )
    summary = serializers.CharField(read_only=True)
    disturbances = DisturbanceSerializer(source="public_disturbances", many=True, read_only=True)
    citations = CitationSerializer(source="public_citations", many=True, read_only=True)
    page_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_visit(self, assessment):
        """The visit it was made on, when that visit is published."""
        slug = assessment.public_visit_slug
        return api_url(self.context, "visit", slug) if slug else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, assessment):
        """The assessment on its site's public page."""
        page = url_of(self.context, "site-detail", assessment.site.slug)
        return f"{page}#assessment-{assessment.pk}"
