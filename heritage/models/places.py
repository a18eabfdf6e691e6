"""Places in an administrative hierarchy (country, district, city, village)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from heritage.base import (
    NaturalKeyModel,
    VersionedModel,
    choices_constraint,
    coordinate_constraints,
    coordinate_errors,
    coordinate_field,
    not_blank,
    optional_foreign_key,
)
from heritage.models.names import NameVariant, name_constraints, wikidata_validator
from heritage.models.slugs import KeepsOldSlugs


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    CITY = "city", _("City")
    VILLAGE = "village", _("Village")
    OTHER = "other", _("Other")


class Place(KeepsOldSlugs, VersionedModel, NaturalKeyModel):
    """A unit of the administrative hierarchy: country, district, city or village."""

    Kind = PlaceKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Name in English."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = optional_foreign_key("self", _("part of"), related_name="children")
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=10, blank=True, help_text=_("e.g. AZ or AZ-FUZ.")
    )
    latitude = coordinate_field(_("latitude"))
    longitude = coordinate_field(_("longitude"))
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_validator]
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            choices_constraint("kind", PlaceKind, "heritage_place_kind_valid"),
            *coordinate_constraints("heritage_place"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="heritage_place_not_own_parent",
            ),
            not_blank("name", "heritage_place_name_not_blank"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = coordinate_errors(self)
        if errors:
            raise ValidationError(errors)

    def ancestors(self):
        """This place's parents, nearest first (one query per level; hierarchies are shallow)."""
        chain = []
        node = self.parent
        while node is not None and node.pk != self.pk and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class PlaceName(NameVariant):
    NATURAL_KEY = ("place__slug", "language", "name")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names"
    )

    class Meta:
        ordering = ["place", "language", "name"]
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = name_constraints("place")
