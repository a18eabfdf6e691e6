"""Template tags of the record's trust: ``{% load trust_tags %}``.

Who an assessment is attributed to (``public.attribution``), one label for a missing
condition (``inspections.models.ConditionStatus``) and the flag of an inference.
"""

from django import template

from inspections.crosswalk import CHW_CATEGORIES, UNOSAT_CLASSES, crosswalk
from inspections.models import ConditionStatus
from public.attribution import assessment_attribution
from public.templatetags.public_tags import term_label

register = template.Library()


@register.simple_tag
def attribution_of(assessment):
    """``{% attribution_of assessment as who %}``: see ``public.attribution``."""
    return assessment_attribution(assessment)


@register.filter
def joined(values, separator=", "):
    return separator.join(str(value) for value in values)


@register.simple_tag
def site_condition_status(site):
    """``{% site_condition_status site as status %}``: the ``ConditionStatus`` of a site
    annotated by ``SiteQuerySet.with_latest_condition``."""
    return ConditionStatus.of(site.latest_condition_id, site.latest_assessed_on)


@register.filter
def no_condition_label(assessed):
    """The label of a missing condition: "Condition not stated" for an assessment that
    states none (``assessed`` true), "Not assessed" for no published assessment."""
    status = ConditionStatus.NOT_STATED if assessed else ConditionStatus.NOT_ASSESSED
    return status.label


@register.filter
def condition_text(assessment):
    """``{{ assessment|condition_text }}``: the overall condition the assessment states, or
    "Condition not stated"."""
    if assessment.overall_condition_id is None:
        return ConditionStatus.NOT_STATED.label
    return term_label(assessment.overall_condition)


@register.simple_tag
def crosswalk_of(assessment):
    """``{% crosswalk_of assessment as classes %}``: {"unosat": label, "chw": label} of the
    assessment's overall condition by the register's crosswalk, or None."""
    condition = assessment.overall_condition
    unosat, chw = crosswalk(condition.label if condition is not None else None)
    if unosat is None:
        return None
    return {"unosat": UNOSAT_CLASSES[unosat], "chw": CHW_CATEGORIES[chw]}
