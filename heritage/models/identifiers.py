"""A site's identifiers in other registers and studies, so that a reader can compare the
register's record with theirs.

Each scheme says what its identifiers look like and how to link to them
(:data:`SCHEMES`). The site's Wikidata item and its number in the national inventory of
monuments stay fields of the site (``Site.wikidata_id``, ``Site.registry_number``): one
value each per site, already validated, part of the API, the data package, the CSV import
and the public history, and the registry number goes with its importance and the claim that
is its source. :func:`site_identifiers` lists them together with the rows of
:class:`SiteIdentifier` for the pages.
"""

import dataclasses
import re
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import NaturalKeyModel, choices_constraint, not_blank
from heritage.models.sites import Site


class IdentifierScheme(models.TextChoices):
    CAUCASUS_HERITAGE_WATCH = "chw", _("Caucasus Heritage Watch")
    EAMENA = "eamena", _("EAMENA")


@dataclasses.dataclass(frozen=True)
class Scheme:
    """What the identifiers of a scheme look like and where they lead."""

    label: str
    pattern: str
    #: Said when a value does not match ``pattern``.
    message: str
    #: The address of an identifier's record, ``{value}`` standing for it; None when the
    #: scheme's records have no address made from the identifier.
    url_template: str | None = None
    #: Hosts a record's own address (``SiteIdentifier.url``) may be on, when the scheme has
    #: no template.
    hosts: tuple = ()

    def is_valid(self, value):
        return re.fullmatch(self.pattern, value) is not None

    def url(self, value):
        return self.url_template.format(value=quote(value, safe="")) if self.url_template else None


#: The schemes the pages know: those of :class:`SiteIdentifier`, and Wikidata (a site field).
SCHEMES = {
    IdentifierScheme.CAUCASUS_HERITAGE_WATCH: Scheme(
        label=IdentifierScheme.CAUCASUS_HERITAGE_WATCH.label,
        pattern=r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}",
        message=_(
            "A Caucasus Heritage Watch identifier is written as the study writes it: letters, "
            "digits, dots, slashes and hyphens, without spaces."
        ),
        hosts=("caucasusheritage.cornell.edu", "caucasusheritage.arts.cornell.edu"),
    ),
    IdentifierScheme.EAMENA: Scheme(
        label=IdentifierScheme.EAMENA.label,
        pattern=r"EAMENA-[0-9]{1,10}",
        message=_("An EAMENA identifier looks like EAMENA-0123456: “EAMENA-” and digits."),
        hosts=("database.eamena.org",),
    ),
    "wikidata": Scheme(
        label=_("Wikidata"),
        pattern=r"Q[1-9][0-9]*",
        message=_("A Wikidata id looks like Q12345."),
        url_template="https://www.wikidata.org/wiki/{value}",
    ),
}


@dataclasses.dataclass(frozen=True)
class ExternalIdentifier:
    """An identifier as the pages show it: its scheme, value, link (or None) and the
    published source that gives it (or None)."""

    scheme: str
    label: str
    value: str
    url: str | None
    source: object = None


class SiteIdentifier(NaturalKeyModel):
    """The identifier of a site in another register or study (Caucasus Heritage Watch,
    EAMENA), with where it was found."""

    NATURAL_KEY = ("site__slug", "scheme", "value")

    Scheme = IdentifierScheme

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=IdentifierScheme.choices)
    value = models.CharField(
        _("identifier"), max_length=64, help_text=_("As the other register writes it.")
    )
    url = models.URLField(
        _("address of the record"),
        max_length=500,
        blank=True,
        help_text=_(
            "The page of this site in the other register, when its address cannot be made "
            "from the identifier."
        ),
    )
    source = models.ForeignKey(
        "heritage.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="site_identifiers",
        null=True,
        blank=True,
        help_text=_("Where the identifier was found, if not in the other register itself."),
    )

    class Meta:
        ordering = ["site", "scheme", "value", "id"]
        verbose_name = _("identifier elsewhere")
        verbose_name_plural = _("identifiers elsewhere")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "scheme", "value"], name="heritage_siteidentifier_unique"
            ),
            choices_constraint("scheme", IdentifierScheme, "heritage_siteidentifier_scheme_valid"),
            not_blank("value", "heritage_siteidentifier_value_not_blank"),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()}: {self.value}"

    def clean(self):
        super().clean()
        errors = {}
        scheme = SCHEMES.get(self.scheme)
        if scheme is not None and self.value and not scheme.is_valid(self.value):
            errors["value"] = [scheme.message]
        if scheme is not None and self.url:
            host = (urlsplit(self.url).hostname or "").lower()
            if scheme.url_template or not any(
                host == allowed or host.endswith(f".{allowed}") for allowed in scheme.hosts
            ):
                errors["url"] = [
                    _("A record of %(scheme)s is at %(hosts)s; this address is elsewhere.")
                    % {"scheme": scheme.label, "hosts": ", ".join(scheme.hosts) or "—"}
                ]
        if errors:
            raise ValidationError(errors)

    def link(self):
        """The address of the identifier's record, or None: shown unlinked then."""
        scheme = SCHEMES.get(self.scheme)
        built = scheme.url(self.value) if scheme else None
        if built:
            return built
        # Only a web address is linked, whatever a write around the form stored.
        if urlsplit(self.url).scheme in ("http", "https"):
            return self.url
        return None


def site_identifiers(site):
    """The identifiers of ``site`` elsewhere, for a public page: its Wikidata item, then the
    rows of :class:`SiteIdentifier` by scheme, each with its published source only.

    Reads ``site.identifiers`` through the prefetch cache (``SiteQuerySet.for_dossier``).
    The registry number is shown with its importance and its own source, not here."""
    found = []
    if site.wikidata_id:
        scheme = SCHEMES["wikidata"]
        found.append(
            ExternalIdentifier(
                "wikidata", str(scheme.label), site.wikidata_id, scheme.url(site.wikidata_id)
            )
        )
    for identifier in site.identifiers.all():
        source = identifier.source if identifier.source_id and identifier.source.is_public else None
        found.append(
            ExternalIdentifier(
                identifier.scheme,
                identifier.get_scheme_display(),
                identifier.value,
                identifier.link(),
                source,
            )
        )
    return found
