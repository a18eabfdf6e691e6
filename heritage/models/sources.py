"""Sources (news reports, statements, studies, field records) and what cites them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    DatePrecision,
    NaturalKeyModel,
    PublicationStatus,
    Publishable,
    choices_constraint,
    not_blank,
    publication_constraint,
)
from heritage.models.names import language_validator
from heritage.models.translations import text_language_field


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    NGO_REPORT = "ngo_report", _("NGO report")
    SATELLITE_STUDY = "satellite_study", _("Satellite study")
    FIELD_RECORD = "field_record", _("Field record")
    REFERENCE_WORK = "reference_work", _("Reference work")


class Source(Publishable):
    """A citable document: a news report, an official statement, a report, a field record."""

    Kind = SourceKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    publisher_organisation = models.ForeignKey(
        "heritage.Organisation",
        verbose_name=_("publisher (organisation)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        help_text=_(
            "Who publishes the source, as an organisation with its kind: readers judge from "
            "it whether two sources are independent."
        ),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_precision = models.CharField(
        _("publication date precision"),
        max_length=20,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("“Year”: only the year is known, and the date is its 1 January."),
    )
    accessed_on = models.DateField(_("access date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=12, blank=True, validators=[language_validator]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    notes = models.TextField(
        _("public notes"),
        blank=True,
        help_text=_("Shown on the source's public page, e.g. that a headline was not recorded."),
    )

    class Meta:
        ordering = ["-published_on", "title", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("review_source", "Can publish or reject sources")]
        constraints = [
            choices_constraint("kind", SourceKind, "heritage_source_kind_valid"),
            choices_constraint(
                "published_precision", DatePrecision, "heritage_source_precision_valid"
            ),
            publication_constraint("heritage_source_status_valid"),
            not_blank("title", "heritage_source_title_not_blank"),
        ]
        indexes = [
            # The register of sources in its order: a page of it, filtered by whether a
            # source is cited, tests the sources in that order until the page is full,
            # rather than every source before sorting them (30 ms at 5,000 sources).
            models.Index(
                fields=["-published_on", "title", "id"],
                condition=models.Q(publication_status=PublicationStatus.PUBLISHED),
                name="heritage_source_listed_idx",
            ),
        ]

    def __str__(self):
        parts = [self.publisher or self.author, self.title]
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return ", ".join(p for p in parts if p)

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.pk])


class Citation(NaturalKeyModel):
    """A link from a source to what it supports, with what the source says there."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    locator = models.CharField(
        _("locator"), max_length=100, blank=True, help_text=_("Page, paragraph or time code.")
    )
    summary = models.TextField(
        _("what the source says"), help_text=_("A short summary or quotation of the passage.")
    )
    text_language = text_language_field(_("language of the summary"))

    class Meta:
        abstract = True
        constraints = [not_blank("summary", "%(app_label)s_%(class)s_summary_not_blank")]

    def __str__(self):
        return str(self.source)


def citation_constraints(cited):
    """A citation's checks: a summary, and one citation of a source per ``cited`` record."""
    return [
        *Citation.Meta.constraints,
        models.UniqueConstraint(fields=[cited, "source"], name="%(app_label)s_%(class)s_unique"),
    ]


def with_public_source(queryset):
    """Rows of ``queryset`` (citations, claims) whose source is published, source and its
    publisher organisation loaded."""
    return queryset.filter(source__publication_status=PublicationStatus.PUBLISHED).select_related(
        "source__publisher_organisation"
    )


def unpublished_source_error(record, message):
    """{"source": ...} when ``record``'s source is missing or not published."""
    if record.source_id is None:
        return {"source": [message]}
    if not record.source.is_public:
        detail = _("“%(source)s” is not published yet; publish it first.") % {
            "source": record.source
        }
        return {"source": [f"{message} {detail}"]}
    return {}
