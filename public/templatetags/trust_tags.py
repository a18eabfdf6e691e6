"""Template tags of the record's trust: ``{% load trust_tags %}``.

Who an assessment is attributed to (``public.attribution``), one label for a missing
condition (``inspections.models.ConditionStatus``) and the flag of an inference; the rows of
the site listing, which show a site's latest condition.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from inspections.crosswalk import CHW_CATEGORIES, UNOSAT_CLASSES, crosswalk
from inspections.models import ConditionStatus
from public.attribution import assessment_attribution
from public.templatetags.public_tags import (
    area_link,
    isolate,
    latest_condition,
    precise_date,
    term_label,
)

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


def latest_condition_cell(site, terms):
    """A listing row's latest condition, in the one vocabulary of every page: the condition,
    else "Condition not stated" (an assessment stating none), else "Not assessed"; flagged
    when the latest assessment rests on the register's own identification of the site.
    ``site`` is annotated by ``SiteQuerySet.with_latest_condition``; ``terms`` as for the
    ``latest_condition`` filter."""
    condition = latest_condition(site, terms)
    label = term_label(condition) if condition else no_condition_label(site.latest_assessed_on)
    if not site.latest_inferred:
        return format_html("{}", label)
    # The project's own text, shown as ``{% translate %}`` shows it: not escaped.
    return format_html(
        '{} <span class="inference">{}</span>',
        label,
        mark_safe(gettext("(by the register's inference)")),
    )


@register.simple_tag(takes_context=True)
def site_rows(context, sites, terms):
    """``{% site_rows sites terms %}``: the rows of the site listing's table, a site a row:
    its name in the visitor's language as a link to its dossier, its category, its place as
    a link to the area page, its latest condition and the date of its latest assessment.

    Written here rather than in the template: a page of 25 rows then costs a tenth of the
    template's time, which every page made after an edit pays."""
    names = context.get("place_names")
    none_published = mark_safe(gettext("None published"))
    return format_html_join(
        "\n",
        '      <tr>\n        <th scope="row"><a href="{}">{}</a></th>\n        <td>{}</td>\n'
        "        <td>{}</td>\n        <td>{}</td>\n        <td>{}</td>\n      </tr>",
        (
            (
                site.get_absolute_url(),
                isolate(site.display_name()),
                site.get_category_display(),
                area_link(site.place, names),
                latest_condition_cell(site, terms),
                precise_date(site.latest_assessed_on, site.latest_assessed_precision)
                if site.latest_assessed_on
                else none_published,
            )
            for site in sites
        ),
    )
