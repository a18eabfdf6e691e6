"""Evidence: photos and documents attached to sites, assessments, visits and sources, and
the translations of their captions.

Checking and storing the files is in the :mod:`inspections.evidence` package; this module
holds only what the database records.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    NaturalKeyModel,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    choices_constraint,
    coordinate_constraints,
    coordinate_field,
    not_blank,
    optional_foreign_key,
    publication_constraint,
    user_stamp,
)
from heritage.models import Site, Source, base_language, language_validator
from inspections.models.licences import LICENCE_URLS, REDISTRIBUTABLE, Licence
from inspections.models.visits import Visit


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class EvidenceFormat(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    WEBP = "WEBP", "WebP"
    TIFF = "TIFF", "TIFF"
    PDF = "PDF", "PDF"


#: What an evidence item may be attached to: exactly one of these.
EVIDENCE_SUBJECTS = ("site", "assessment", "visit", "source")


def one_of(fields):
    """A condition that exactly one of the foreign keys ``fields`` is set."""
    condition = Q()
    for chosen in fields:
        condition |= Q(
            **{f"{name}__isnull": name != chosen for name in fields},
        )
    return condition


class EvidenceQuerySet(PublishableQuerySet):
    def public(self):
        """Published items whose site, assessment, visit or source the public may see too.

        An assessment's item also needs the assessment's site to be published, and its visit
        if it was made on one.
        """
        published = PublicationStatus.PUBLISHED
        return self.filter(publication_status=published).filter(
            Q(site__publication_status=published)
            | Q(
                Q(assessment__visit__isnull=True)
                | Q(assessment__visit__publication_status=published),
                assessment__publication_status=published,
                assessment__site__publication_status=published,
            )
            | Q(visit__publication_status=published)
            | Q(source__publication_status=published)
        )


class Evidence(Publishable):
    """A photo or document attached to a site, an assessment, a visit or a source (an
    archived copy of a web page, say).

    The original file is stored as uploaded, under a name made from its SHA-256, and never
    replaced: the hash, size, format and pixel size are recorded when it arrives, with what
    its EXIF says about when, where and with what it was taken. The public sees renditions
    (``thumbnail``, ``web``) made from its pixels without any metadata, and the original
    only when the item is published, its licence lets anyone pass it on, and the file would
    not give away a withheld location (see :meth:`original_is_downloadable`).
    """

    Kind = EvidenceKind

    Format = EvidenceFormat

    Licence = Licence

    NATURAL_KEY = ("sha256",)

    site = optional_foreign_key(Site, _("site"), related_name="evidence")
    assessment = optional_foreign_key("Assessment", _("assessment"), related_name="evidence")
    visit = optional_foreign_key(Visit, _("visit"), related_name="evidence")
    source = optional_foreign_key(
        Source,
        _("source"),
        related_name="evidence",
        help_text=_("For an archived copy of the source, for example of a web page."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, editable=False)
    original = models.FileField(_("original file"), max_length=200, editable=False)
    original_name = models.CharField(
        _("uploaded as"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The file's name on the uploader's computer; the register stores it by hash."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(
        _("height (pixels)"), null=True, blank=True, editable=False
    )
    language = models.CharField(
        _("language of the caption"),
        max_length=12,
        default="en",
        validators=[language_validator],
        help_text=_("Translations of the caption and alt text are added below."),
    )
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the photo shows, for people who cannot see it. Required before a photo is "
            "published."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who took the photo or made the document, as the public should see it. Left "
            "empty, the author the photo's EXIF data names is used."
        ),
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.ALL_RIGHTS_RESERVED
    )
    captured_on = models.DateField(
        _("capture date"),
        null=True,
        blank=True,
        help_text=_("Left empty, the date the camera recorded is used."),
    )
    camera_time = models.CharField(
        _("capture time recorded by the camera"),
        max_length=19,
        blank=True,
        editable=False,
        help_text=_("As the camera's clock wrote it, which has no time zone."),
    )
    camera = models.CharField(_("camera"), max_length=200, blank=True, editable=False)
    orientation = models.PositiveSmallIntegerField(
        _("EXIF orientation"), null=True, blank=True, editable=False
    )
    gps_latitude = coordinate_field(_("GPS latitude"), editable=False)
    gps_longitude = coordinate_field(_("GPS longitude"), editable=False)
    uploaded_by = user_stamp(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True, editable=False)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    web = models.FileField(_("web-size image"), max_length=200, blank=True, editable=False)
    web_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    web_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("Order in the gallery, smallest first.")
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence")
        permissions = [("review_evidence", "Can publish or reject evidence")]
        constraints = [
            models.CheckConstraint(
                condition=one_of(EVIDENCE_SUBJECTS), name="inspections_evidence_one_subject"
            ),
            choices_constraint("kind", EvidenceKind, "inspections_evidence_kind_valid"),
            choices_constraint("format", EvidenceFormat, "inspections_evidence_format_valid"),
            choices_constraint("licence", Licence, "inspections_evidence_licence_valid"),
            publication_constraint("inspections_evidence_status_valid"),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="inspections_evidence_sha256_length"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0), name="inspections_evidence_size_positive"
            ),
            models.CheckConstraint(
                # PDFs are documents, and documents are PDFs.
                condition=Q(kind=EvidenceKind.DOCUMENT, format=EvidenceFormat.PDF)
                | (~Q(kind=EvidenceKind.DOCUMENT) & ~Q(format=EvidenceFormat.PDF)),
                name="inspections_evidence_kind_matches_format",
            ),
            *coordinate_constraints("inspections_evidence_gps", "gps_"),
        ]

    def __str__(self):
        subject = self.subject
        label = self.caption.splitlines()[0][:80] if self.caption else self.sha256[:12]
        return f"{label} ({subject})" if subject is not None else label

    @property
    def subject(self):
        """The site, assessment, visit or source the item is attached to."""
        return self.site or self.assessment or self.visit or self.source

    @property
    def subject_site(self):
        """The site the item is evidence about, if one: its own, or its assessment's."""
        if self.site_id:
            return self.site
        if self.assessment_id:
            return self.assessment.site
        return None

    @property
    def is_photo(self):
        return self.kind == EvidenceKind.PHOTO

    @property
    def media_type(self):
        from inspections.evidence.checks import FORMATS

        return FORMATS[self.format].media_type

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    def original_is_downloadable(self):
        """Whether the public may download the original file.

        Only a published item (the caller checks that it is public) under a licence that
        lets anyone pass the file on, and, when the file carries GPS coordinates, only if
        the item is about a site whose location the public may see: a visit's item, or one
        of a site with a withheld location, would give the location away.
        """
        if self.licence not in REDISTRIBUTABLE:
            return False
        if self.gps_latitude is None:
            return True
        site = self.subject_site
        return site is not None and site.location_precision != Site.Precision.WITHHELD

    def localized(self, language=None):
        """(caption, alt text) in the visitor's language when translated, else the original.

        Reads ``translations`` through the prefetch cache when a page has prefetched them.
        """
        language = base_language(language)
        if base_language(self.language) != language:
            for translation in self.translations.all():
                if base_language(translation.language) == language:
                    return (
                        translation.caption or self.caption,
                        translation.alt_text or self.alt_text,
                    )
        return self.caption, self.alt_text

    def gps_distance_km(self):
        """How far the EXIF position lies from the site's own coordinates, or None."""
        from inspections.evidence.checks import distance_km

        site = self.subject_site
        if self.gps_latitude is None or site is None or site.latitude is None:
            return None
        return distance_km(self.gps_latitude, self.gps_longitude, site.latitude, site.longitude)

    def validation_errors(self):
        subjects = [getattr(self, f"{name}_id") for name in EVIDENCE_SUBJECTS]
        if sum(subject is not None for subject in subjects) != 1:
            return {
                "site": _("Attach the item to exactly one site, assessment, visit or source."),
            }
        return {}

    def publication_errors(self):
        if self.is_photo and not self.alt_text.strip():
            return {"alt_text": _("A photo needs alt text before it is published.")}
        return {}


class EvidenceTranslation(NaturalKeyModel):
    """An evidence item's caption and alt text in another language."""

    NATURAL_KEY = ("evidence__sha256", "language")

    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidence item"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=12, validators=[language_validator])
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(_("alt text"), max_length=500, blank=True)

    class Meta:
        ordering = ["evidence", "language"]
        verbose_name = _("translation of a caption")
        verbose_name_plural = _("translations of the caption")
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "language"], name="inspections_evidence_translation_unique"
            ),
            not_blank("language", "inspections_evidence_translation_language"),
        ]

    def __str__(self):
        return f"{self.evidence_id} ({self.language})"
