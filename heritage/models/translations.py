"""The language of the register's own text, and translations of it.

Every record with free text (a site's description, a claim's statement, a summary, what a
source says) records the language that text is written in (``text_language``; by default
the register's, :data:`REGISTER_LANGUAGE`), so that public pages can mark it with ``lang``
and isolate it from the page's own direction. A site's description and a claim's statement
may also be translated; a page shows the translation into the visitor's language when
there is one, else the original, each marked with its language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import NaturalKeyModel, not_blank
from heritage.models.names import base_language, language_validator

#: The language the register's editors write in when a record does not say otherwise.
REGISTER_LANGUAGE = "en"


def text_language_field(verbose_name=None):
    """The language of a record's free text."""
    return models.CharField(
        verbose_name or _("language of the text"),
        max_length=12,
        default=REGISTER_LANGUAGE,
        validators=[language_validator],
        help_text=_("The language the text fields of this record are written in, e.g. en, az, ar."),
    )


class LocalizedText:
    """A text with the language it is written in: ``{{ text.text }}``, ``{{ text.language }}``."""

    __slots__ = ("language", "text")

    def __init__(self, text, language):
        self.text = text
        self.language = language

    def __bool__(self):
        return bool(self.text)

    def __str__(self):
        return self.text


def localized_text(record, field, language=None):
    """``field`` of ``record`` in ``language`` (the active one by default) when a translation
    into it exists, else as written, with its language. Reads ``record.translations``
    through the prefetch cache when a page has prefetched it."""
    original = LocalizedText(getattr(record, field), record.text_language)
    language = base_language(language)
    if base_language(record.text_language) == language:
        return original
    for translation in record.translations.all():
        if base_language(translation.language) == language and getattr(translation, field):
            return LocalizedText(getattr(translation, field), translation.language)
    return original


class Translation(NaturalKeyModel):
    """A record's text in another language: what the subclasses share."""

    language = models.CharField(_("language"), max_length=12, validators=[language_validator])

    class Meta:
        abstract = True

    def __str__(self):
        return self.language


class SiteTranslation(Translation):
    """A site's description in another language."""

    NATURAL_KEY = ("site__slug", "language")

    site = models.ForeignKey(
        "heritage.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["site", "language"]
        verbose_name = _("translation of a description")
        verbose_name_plural = _("translations of the description")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "language"], name="heritage_site_translation_unique"
            ),
            not_blank("language", "heritage_site_translation_language"),
            not_blank("description", "heritage_site_translation_description"),
        ]


class SiteClaimTranslation(Translation):
    """A claim's statement in another language."""

    NATURAL_KEY = ("claim__slug", "language")

    claim = models.ForeignKey(
        "heritage.SiteClaim",
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    statement = models.TextField(_("statement"))

    class Meta:
        ordering = ["claim", "language"]
        verbose_name = _("translation of a statement")
        verbose_name_plural = _("translations of the statement")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "language"], name="heritage_siteclaim_translation_unique"
            ),
            not_blank("language", "heritage_siteclaim_translation_language"),
            not_blank("statement", "heritage_siteclaim_translation_statement"),
        ]
