"""Organisations and people: who reports, assesses, visits and takes part."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    NaturalKeyModel,
    VersionedModel,
    choices_constraint,
    not_blank,
    optional_foreign_key,
)
from heritage.models.slugs import KeepsOldSlugs
from heritage.reversing import slug_url


class OrganisationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    GOVERNMENT = "government", _("Government body")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMIC = "academic", _("Academic or research body")
    MEDIA = "media", _("News media")
    STATE_MEDIA = "state_media", _("State-owned media")
    INDEPENDENT_MEDIA = "independent_media", _("Independent media")
    OTHER = "other", _("Other")


class Organisation(KeepsOldSlugs, VersionedModel, NaturalKeyModel):
    """A body that visits, assesses, reports or publishes: ICESCO, a ministry, an NGO."""

    Kind = OrganisationKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, if any.")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            choices_constraint("kind", OrganisationKind, "heritage_organisation_kind_valid"),
            not_blank("name", "heritage_organisation_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return slug_url("organisation-detail", self.slug)

    @property
    def short_name(self):
        return self.acronym or self.name


class Person(VersionedModel, NaturalKeyModel):
    """A named person who took part in a visit, as named by a source."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(
        _("position"), max_length=300, blank=True, help_text=_("e.g. Director-General of ICESCO.")
    )
    organisation = optional_foreign_key(Organisation, _("organisation"), related_name="people")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [not_blank("name", "heritage_person_name_not_blank")]

    def __str__(self):
        return self.name
