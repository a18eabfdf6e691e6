"""Sources, with the metadata and SHA-256 of their archived files, and reported figures."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.base import DatePrecision
from heritage.models import SiteCategory, SourceKind
from inspections.models import EvidenceFormat, EvidenceKind, Licence
from public.api.serializers.common import PageUrlField, canonical_path, identity, link

NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


class ArchivedFileSerializer(serializers.Serializer):
    """A published file kept by the register as evidence of the source (an archived copy
    of a web page, a PDF of a report, a photo)."""

    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the original file.")
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, read_only=True)
    format = serializers.ChoiceField(choices=EvidenceFormat.choices, read_only=True)
    media_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes of the original file.")
    width = serializers.IntegerField(read_only=True, allow_null=True)
    height = serializers.IntegerField(read_only=True, allow_null=True)
    caption = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True, help_text="The caption's language.")
    credit = serializers.CharField(read_only=True)
    licence = serializers.ChoiceField(choices=Licence.choices, read_only=True)
    licence_url = serializers.CharField(read_only=True)
    captured_on = serializers.DateField(read_only=True, allow_null=True)
    original = serializers.SerializerMethodField()
    web = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    def file_url(self, item, rendition):
        path = reverse("evidence-file", args=[item.pk, rendition])
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(NULLABLE_URI)
    def get_original(self, item):
        """The original file, when its licence lets anyone pass it on (else null)."""
        return self.file_url(item, "original") if item.original_is_downloadable() else None

    @extend_schema_field(NULLABLE_URI)
    def get_web(self, item):
        """A web-size WebP copy of a photo, without its metadata (null for documents)."""
        return self.file_url(item, "web") if item.is_photo and item.web else None

    @extend_schema_field(NULLABLE_URI)
    def get_thumbnail(self, item):
        return self.file_url(item, "thumbnail") if item.is_photo and item.thumbnail else None


class SourceSerializer(serializers.Serializer):
    url = identity("source")
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices, read_only=True)
    web_address = serializers.CharField(
        source="url", read_only=True, help_text="Where the source was published, if online."
    )
    published_on = serializers.DateField(read_only=True, allow_null=True)
    published_precision = serializers.ChoiceField(choices=DatePrecision.choices, read_only=True)
    accessed_on = serializers.DateField(read_only=True, allow_null=True)
    language = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True, help_text="Public notes on the source.")
    archived_files = ArchivedFileSerializer(source="public_evidence", many=True, read_only=True)
    page_url = PageUrlField()


class FigureSerializer(serializers.Serializer):
    """An aggregate figure a published source reports, such as “927 libraries destroyed”."""

    url = identity("figure")
    slug = serializers.SlugField(read_only=True)
    figure_set = serializers.CharField(read_only=True, help_text="Figures reported together.")
    metric = serializers.CharField(read_only=True, help_text="What happened: destroyed…")
    subject = serializers.CharField(read_only=True, help_text="What was counted: libraries…")
    category = serializers.ChoiceField(
        choices=[("", "None"), *SiteCategory.choices], read_only=True
    )
    value = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    unit = serializers.CharField(read_only=True)
    area = link("place", allow_null=True)
    area_label = serializers.CharField(read_only=True, help_text="The area as reported.")
    period_start = serializers.DateField(read_only=True, allow_null=True)
    period_end = serializers.DateField(read_only=True, allow_null=True)
    period_label = serializers.CharField(read_only=True)
    reported_by = link("organisation", allow_null=True)
    source = link("source")
    locator = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_page_url(self, figure):
        """The public page of figures."""
        return self.context["request"].build_absolute_uri(canonical_path("figure-list"))
