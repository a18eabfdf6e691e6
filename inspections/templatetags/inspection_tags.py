"""Template helpers for visits and the map: dates shown as precisely as they are known, and
the overall-condition terms of the map legend."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext

from heritage import selectors
from heritage.base import DatePrecision

register = template.Library()


@register.filter
def precise_date(value, precision=DatePrecision.DAY):
    """A date as precisely as it is known: “12 January 2021”, “February 2021”, “2021”."""
    if not value:
        return ""
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.APPROXIMATE:
        return gettext("about %(year)s") % {"year": date_format(value, "Y")}
    return date_format(value, "DATE_FORMAT")


@register.filter
def machine_date(value, precision=DatePrecision.DAY):
    """The ``datetime`` attribute of a ``<time>`` element, as precise as the date is known."""
    if not value:
        return ""
    if precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE):
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@register.simple_tag
def overall_condition_terms():
    """EAMENA's overall-condition terms in scale order, from the register's cache (see
    :func:`heritage.selectors.overall_condition_terms`)."""
    return selectors.overall_condition_terms()
