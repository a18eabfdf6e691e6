"""Controlled vocabularies of EAMENA (Endangered Archaeology in the Middle East and North Africa).

Each list is its own table so that the database guarantees, for example, that an
assessment's overall condition is an overall-condition term. The terms published by
EAMENA are loaded by a data migration from ``inspections/data/eamena.json``; editors may
add terms of their own (``from_eamena`` is then false). ``position`` keeps ordinal lists
in scale order (Good … Destroyed).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.base import NaturalKeyModel, not_blank
from heritage.models import base_language


class VocabularyTerm(NaturalKeyModel):
    NATURAL_KEY = ("label",)
    #: Key of the list in ``eamena.json``.
    EAMENA_LIST = None

    label = models.CharField(_("label (English)"), max_length=200, unique=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200, blank=True)
    label_az = models.CharField(
        _("label (Azerbaijani)"),
        max_length=200,
        blank=True,
        help_text=_(
            "EAMENA publishes English and Arabic labels only: the Azerbaijani labels of its "
            "terms are the register's own translation (inspections/data/eamena_az.json)."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the list; ordinal scales run low to high.")
    )
    from_eamena = models.BooleanField(_("EAMENA term"), default=False, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "label"]
        constraints = [not_blank("label", "%(app_label)s_%(class)s_label_not_blank")]

    def __str__(self):
        return self.localized_label()

    def localized_label(self, language=None):
        """The label in the active language, falling back to English."""
        language = base_language(language)
        return getattr(self, f"label_{language}", "") or self.label


class OverallCondition(VocabularyTerm):
    EAMENA_LIST = "overall_condition"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("overall condition")
        verbose_name_plural = _("overall conditions")


class DamageExtent(VocabularyTerm):
    EAMENA_LIST = "damage_extent"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("damage extent")
        verbose_name_plural = _("damage extents")


class Certainty(VocabularyTerm):
    EAMENA_LIST = "certainty"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("certainty")
        verbose_name_plural = _("certainties")


class DamageTrend(VocabularyTerm):
    EAMENA_LIST = "damage_trend"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("damage trend")
        verbose_name_plural = _("damage trends")


class Priority(VocabularyTerm):
    EAMENA_LIST = "priority"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")


class AssessmentType(VocabularyTerm):
    EAMENA_LIST = "assessment_type"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("assessment type")
        verbose_name_plural = _("assessment types")


class CauseCategory(VocabularyTerm):
    """A disturbance cause category, with the cause types that make sense for it.

    ``cause_types`` is the register's own mapping, not EAMENA's (EAMENA publishes the two
    lists without linking them). It is loaded from ``inspections/data/cause_types.json`` and
    editors may change it; a category without cause types allows any type.
    """

    EAMENA_LIST = "disturbance_cause_category"

    cause_types = models.ManyToManyField(
        "CauseType",
        verbose_name=_("cause types"),
        blank=True,
        related_name="categories",
        help_text=_(
            "The cause types a disturbance of this category may have (the register's own "
            "mapping). Leave empty to allow any type."
        ),
    )

    _history_m2m_fields = ["cause_types"]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("disturbance cause category")
        verbose_name_plural = _("disturbance cause categories")


class CauseType(VocabularyTerm):
    EAMENA_LIST = "disturbance_cause_type"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("disturbance cause type")
        verbose_name_plural = _("disturbance cause types")


class EffectType(VocabularyTerm):
    EAMENA_LIST = "effect_type"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("effect type")
        verbose_name_plural = _("effect types")


VOCABULARIES = [
    OverallCondition,
    DamageExtent,
    Certainty,
    DamageTrend,
    Priority,
    AssessmentType,
    CauseCategory,
    CauseType,
    EffectType,
]
