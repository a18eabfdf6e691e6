"""What individual sources say about a site: claims kept side by side, and citations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    Publishable,
    choices_constraint,
    not_blank,
    ordered_error,
    publication_constraint,
    range_constraint,
)
from heritage.models.sites import Site
from heritage.models.sources import Citation, Source, citation_constraints, unpublished_source_error
from heritage.models.translations import localized_text, text_language_field


class ClaimKind(models.TextChoices):
    DATING = "dating", _("Dating")
    IDENTITY = "identity", _("Identity")
    DESCRIPTION = "description", _("Description")
    USE = "use", _("Use")
    OTHER = "other", _("Other")


class SiteFact(models.TextChoices):
    """The factual fields of a site that a public page shows in the register's voice; a
    claim that supports one is shown as its source (see the dossier)."""

    REGISTRY = "registry", _("Registry number and importance")
    DATING = "dating", _("Dating summary")
    DESCRIPTION = "description", _("Description")


class SiteClaim(Publishable):
    """What one source says about a site, kept beside what other sources say.

    Two datings of the same building are two claims; an identification that the register
    itself infers (no source states it) is marked ``is_inference`` and cites the source
    whose wording it interprets.
    """

    Kind = ClaimKind

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    statement = models.TextField(_("statement"))
    text_language = text_language_field(_("language of the statement"))
    year_from = models.SmallIntegerField(_("from (year)"), null=True, blank=True)
    year_to = models.SmallIntegerField(_("to (year)"), null=True, blank=True)
    dating_label = models.CharField(_("dating as written"), max_length=100, blank=True)
    is_inference = models.BooleanField(
        _("register's inference"),
        default=False,
        help_text=_("Tick when no source states this and the register infers it."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="site_claims"
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True)
    supports = models.CharField(
        _("source of the site's field"),
        max_length=20,
        choices=SiteFact.choices,
        blank=True,
        help_text=_(
            "The field of the site this claim is the source of, shown beside it on the "
            "site's page. Datings support the dating summary without it."
        ),
    )

    class Meta:
        ordering = ["site", "kind", "year_from", "id"]
        verbose_name = _("claim about a site")
        verbose_name_plural = _("claims about sites")
        permissions = [("review_siteclaim", "Can publish or reject claims about sites")]
        constraints = [
            choices_constraint("kind", ClaimKind, "heritage_siteclaim_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(supports="") | models.Q(supports__in=SiteFact.values),
                name="heritage_siteclaim_supports_valid",
            ),
            publication_constraint("heritage_siteclaim_status_valid"),
            range_constraint("year_from", "year_to", "heritage_siteclaim_years_ordered"),
            not_blank("statement", "heritage_siteclaim_statement_not_blank"),
        ]

    def __str__(self):
        return f"{self.site}: {self.get_kind_display()} ({self.source})"

    def validation_errors(self):
        return ordered_error(
            self, "year_from", "year_to", _("The end of the dating is before its start.")
        )

    def publication_errors(self):
        return unpublished_source_error(self, _("A published claim needs a published source."))

    def localized_statement(self):
        """The statement in the visitor's language when translated, else as written, with
        its language (see ``heritage.models.translations``)."""
        return localized_text(self, "statement")


class SiteCitation(Citation):
    NATURAL_KEY = ("site__slug", "source__slug")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="citations"
    )

    class Meta:
        ordering = ["site", "source", "id"]
        verbose_name = _("site citation")
        verbose_name_plural = _("site citations")
        constraints = citation_constraints("site")
