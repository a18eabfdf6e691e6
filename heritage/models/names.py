"""Names in several languages and scripts, and which of them stands for a record in a
language."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from heritage.base import NaturalKeyModel, choices_constraint, not_blank

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q12345."))
language_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Use a language code such as az, en, ar, ru, hy or az-Cyrl."),
)
script_validator = RegexValidator(
    r"^([A-Z][a-z]{3})?$", _("Use an ISO 15924 script code such as Latn, Cyrl, Arab or Armn.")
)


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TRANSLITERATION = "transliteration", _("Transliteration")
    ALTERNATIVE = "alternative", _("Alternative or popular")
    TRANSLATION = "translation", _("Translation")
    HISTORICAL = "historical", _("Historical")
    OTHER_LANGUAGE = "other_language", _("Other language")
    AS_REPORTED = "as_reported", _("As a source reports it")


def base_language(language=None):
    """The language without its region or script ("az" for "az-Cyrl"); the active one by
    default."""
    return (language or get_language() or "en").split("-")[0]


#: The language of every site's and place's ``name``: a page in it shows that name, and
#: needs none of the name variants.
NAME_LANGUAGE = "en"


def shows_variants(language=None):
    """Whether a page in ``language`` (the active one by default) names sites and places by
    their name variants in that language rather than by their ``name``."""
    return base_language(language) != NAME_LANGUAGE


def preferred_name(variants, language):
    """The name among ``variants`` (name variants of one site or place) that stands for it in
    ``language``, by the order of ``DISPLAY_NAME_KINDS``; None if none does."""
    matches = [
        variant
        for variant in variants
        if base_language(variant.language) == language and variant.kind in DISPLAY_NAME_KINDS
    ]
    if not matches:
        return None
    return min(matches, key=lambda variant: DISPLAY_NAME_KINDS.index(variant.kind)).name


#: The kinds of name variant that may stand for a site or place in a language, best first. Used by
#: ``Site.display_name`` for pages and by ``SiteQuerySet.with_localized_name`` for exports.
DISPLAY_NAME_KINDS = (NameKind.OFFICIAL, NameKind.ALTERNATIVE, NameKind.TRANSLATION)


class NameVariant(NaturalKeyModel):
    """A name in one language and script; subclasses say what it names."""

    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=12,
        validators=[language_validator],
        help_text=_("Language code, e.g. az, en, ar, ru, hy."),
    )
    script = models.CharField(
        _("script"),
        max_length=4,
        blank=True,
        validators=[script_validator],
        help_text=_("ISO 15924 script code, e.g. Latn, Cyrl, Arab, Armn."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=NameKind.choices, default=NameKind.OFFICIAL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    folded = models.CharField(
        _("search form"),
        max_length=200,
        editable=False,
        default="",
        help_text=_("The name folded for search; kept up to date on every save."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name} ({self.language})"


def name_constraints(named):
    """A name variant's checks: each name once per language of the ``named`` record, a kind
    from :class:`NameKind`, and no empty name."""
    return [
        models.UniqueConstraint(
            fields=[named, "language", "name"], name="%(app_label)s_%(class)s_unique"
        ),
        choices_constraint("kind", NameKind, "%(app_label)s_%(class)s_kind_valid"),
        not_blank("name", "%(app_label)s_%(class)s_not_blank"),
    ]


class SearchWord(models.Model):
    """A word of a site's or place's name in its search form (see ``heritage.text.fold``).

    The close-match search compares what a visitor types with these words rather than with
    every name: there are far fewer distinct words than names. A word is added whenever a
    name is saved (``heritage.signals``) and is never removed: a word no name uses any more
    only makes a close match that finds no site.
    """

    word = models.CharField(_("word"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
