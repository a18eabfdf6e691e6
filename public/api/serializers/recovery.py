"""Restoration projects and commitments: status updates, budgets and sources only where the
source is published; a commitment's current status and the register's own note on a passed
deadline are told apart."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.base import DatePrecision
from inspections.models import (
    CommitmentKind,
    CommitmentStatus,
    FabricOutcome,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
)
from public.api.serializers.common import LinkField, PageUrlField, api_url, identity, link


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class PublicLinkField(LinkField):
    """A link to a related record that is shown only when it is published (a source, a
    visit); null otherwise."""

    def to_representation(self, value):
        if value is None or not value.is_public:
            return None
        return api_url(self.context, self.resource, value.slug)


def public_link(name, **options):
    return PublicLinkField(name, allow_null=True, **options)


class RoleSerializer(serializers.Serializer):
    organisation = link("organisation")
    role = serializers.ChoiceField(choices=OrganisationRole.choices, read_only=True)


class BudgetSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True, help_text="ISO 4217 code.")
    label = serializers.CharField(read_only=True)
    source = link("source")


class ProjectUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices, read_only=True)
    date = serializers.DateField(read_only=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    source = link("source")
    summary = serializers.CharField(read_only=True)


class ProjectSerializer(serializers.Serializer):
    url = identity("project")
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    site = link("site")
    kind = serializers.ChoiceField(choices=ProjectKind.choices, read_only=True)
    status = serializers.ChoiceField(
        source="current_status",
        choices=ProjectStatus.choices,
        read_only=True,
        allow_null=True,
        help_text="The latest status update with a published source; null if none.",
    )
    start_date = serializers.DateField(read_only=True, allow_null=True)
    start_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    end_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    organisations = RoleSerializer(source="roles", many=True, read_only=True)
    budgets = BudgetSerializer(
        source="public_budgets",
        many=True,
        read_only=True,
        help_text="Each in its own currency; never add amounts of different currencies.",
    )
    page_url = PageUrlField()


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.CharField(read_only=True)
    source = public_link("source")
    historic_fabric = serializers.SerializerMethodField(
        help_text="Whether the work kept or changed the historic fabric, per a published source."
    )
    historic_fabric_source = serializers.SerializerMethodField()
    status_updates = ProjectUpdateSerializer(source="public_updates", many=True, read_only=True)

    @extend_schema_field(
        {"type": "string", "enum": [v for v in FabricOutcome.values if v], "nullable": True}
    )
    def get_historic_fabric(self, project):
        return project.fabric if project.fabric_is_public() else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_historic_fabric_source(self, project):
        if not project.fabric_is_public():
            return None
        return api_url(self.context, "source", project.fabric_source.slug)


class CommitmentUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.choices, read_only=True)
    date = serializers.DateField(read_only=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    source = link("source")
    summary = serializers.CharField(read_only=True)
    visit = public_link("visit", help_text="A published visit that fulfils it, if any.")


class CommitmentSerializer(serializers.Serializer):
    url = identity("commitment")
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=CommitmentKind.choices, read_only=True)
    committed_by_organisation = link("organisation", source="by_organisation", allow_null=True)
    committed_by_person = serializers.CharField(
        source="by_person.name", read_only=True, allow_null=True, default=None
    )
    committed_to_organisation = link("organisation", source="to_organisation", allow_null=True)
    committed_to = serializers.CharField(source="to_label", read_only=True)
    made_on = serializers.DateField(read_only=True)
    made_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    occasion_visit = public_link("visit")
    occasion = serializers.CharField(source="occasion_label", read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    deadline_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    status = serializers.ChoiceField(
        source="current_status",
        choices=CommitmentStatus.choices,
        read_only=True,
        help_text="The latest status update with a published source; unknown if none.",
    )
    deadline_passed_unreported = serializers.BooleanField(
        source="deadline_note",
        read_only=True,
        help_text=(
            "The register's own note, not a source's: the deadline has passed and no "
            "published source says what became of the commitment."
        ),
    )
    quote = serializers.CharField(read_only=True, help_text="The promise in the source's words.")
    source = public_link("source")
    updates = CommitmentUpdateSerializer(source="public_updates", many=True, read_only=True)
    page_url = PageUrlField()
