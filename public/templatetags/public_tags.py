"""The template library of the public pages: ``{% load public_tags %}``.

Dates shown as precisely as they are known, year ranges, language and script names, who an
assessment is attributed to, places in the visitor's language, the map legend's terms,
table heads and the gallery of photos and documents.
"""

import functools

from django import template
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from heritage.base import DatePrecision
from heritage.cache import TIMEOUT
from heritage.models import base_language
from heritage.reversing import slug_url
from inspections.evidence.gallery import gallery
from inspections.models import ConditionStatus
from public import selectors

register = template.Library()

#: ISO 15924 codes of the scripts the register's names are written in.
SCRIPTS = {
    "Arab": _("Arabic"),
    "Armn": _("Armenian"),
    "Cyrl": _("Cyrillic"),
    "Geor": _("Georgian"),
    "Grek": _("Greek"),
    "Hebr": _("Hebrew"),
    "Latn": _("Latin"),
    "Syrc": _("Syriac"),
}


def machine_date(value, precision=DatePrecision.DAY):
    """The ``datetime`` attribute of a ``<time>`` element: no more precise than the date."""
    if precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE):
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def date_text(value, precision=DatePrecision.DAY):
    """A date in the active language, as precisely as it is known: “12 January 2021”,
    “February 2021”, “2021” or “about 2021”."""
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.APPROXIMATE:
        return gettext("about %(year)s") % {"year": date_format(value, "Y")}
    return date_format(value, "DATE_FORMAT")


@register.filter
def precise_date(value, precision=DatePrecision.DAY):
    """``{{ visit.start_date|precise_date:visit.date_precision }}``: a ``<time>`` element
    that says, in its text and in its ``datetime`` attribute, no more than is known."""
    if not value:
        return ""
    return time_element(value, precision, get_language())


@functools.lru_cache(maxsize=16384)
def time_element(value, precision, language):
    """``precise_date``'s element, kept per date, precision and language: formatting a date
    in the active language took 29 µs (2.5 kept), and a list of 25 commitments shows about
    150 dates. The formats and translations do not change while the server runs. The latest
    assessments of 500,000 sites fall on 11,000 dates: with 8,192 kept, a quarter of a
    listing page's rows missed once the process was warm (40 µs each), and most before;
    16,384 (5.4 MB) hold them in one language."""
    return format_html(
        '<time datetime="{}">{}</time>',
        machine_date(value, precision),
        date_text(value, precision),
    )


@register.filter
def years(record):
    """``{{ claim|years }}``: the record's ``year_from``–``year_to`` as text ("1683–1684"),
    one year when both ends are the same, "by …" or "from …" when one end is open."""
    year_from, year_to = record.year_from, record.year_to
    if year_from is None and year_to is None:
        return ""
    if year_from is None:
        return gettext("by %(year)s") % {"year": year_to}
    if year_to is None:
        return gettext("from %(year)s") % {"year": year_from}
    if year_from == year_to:
        return str(year_from)
    return pgettext("range of years", "%(start)s–%(end)s") % {"start": year_from, "end": year_to}


@register.filter
def language_name(code):
    """The name of a language code (``az``, ``ru-Latn``) in the visitor's language, or the
    code itself when Django does not know the language."""
    if not code:
        return ""
    for candidate in (code, base_language(code)):
        try:
            return get_language_info(candidate)["name_translated"]
        except KeyError:
            continue
    return code


@register.filter
def script_name(code):
    """The name of an ISO 15924 script code, or the code itself."""
    return SCRIPTS.get(code, code)


@register.filter
def reported_by(assessment):
    """Who a published assessment is attributed to: its assessor, else the publishers (or
    authors) of the published sources it cites (``public_citations``, as prefetched)."""
    if assessment.assessed_by is not None:
        return assessment.assessed_by.acronym or assessment.assessed_by.name
    names = []
    for citation in assessment.public_citations:
        name = citation.source.publisher or citation.source.author
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


@register.filter
def place_name(place, names):
    """A place's name in the visitor's language: ``{{ place|place_name:place_names }}``, with
    ``place_names`` from the ``public.context_processors.register`` context processor."""
    if place is None:
        return ""
    return (names or {}).get(place.pk) or place.name


@register.filter
def area_link(place, names):
    """``{{ site.place|area_link:place_names }}``: the place's name in the visitor's
    language, isolated, as a link to its area page."""
    if place is None:
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        slug_url("area-detail", place.slug),
        isolate(place_name(place, names)),
    )


@register.filter
def latest_condition(site, terms):
    """``{{ site|latest_condition:terms }}``: the overall-condition term of the site's latest
    published assessment (``latest_condition_id``, see ``SiteQuerySet.with_latest_condition``)
    among ``terms`` (read once per page with ``{% overall_condition_terms as terms %}``: the
    terms come from the cache, which a listing should not ask once a row), or None."""
    condition_id = site.latest_condition_id
    if condition_id is None:
        return None
    return next((term for term in terms if term.pk == condition_id), None)


@register.simple_tag
def map_data_url(geojson_url):
    """The map data address (``/sites/map.json``) with the filters of ``geojson_url``, when it
    is the sites export of several sites; empty otherwise (the map then draws the GeoJSON)."""
    path, _separator, query = str(geojson_url).partition("?")
    if path != reverse("site-export-geojson") or "site" in QueryDict(query):
        return ""
    return reverse("site-map-data") + (f"?{query}" if query else "")


@register.simple_tag
def filter_fields(filterset):
    """``{% filter_fields filter %}``: the fields of a filter form with their labels, help
    and errors. Where the filter set keeps them (``ParameterFilterSet.field_keys``), each
    visible field is read from the cache, all in one read, and those missing are rendered
    and kept in one write: a listing asked for with a set of values never asked for before
    renders only the fields whose values are new."""
    form = filterset.form
    keys = filterset.field_keys() if hasattr(filterset, "field_keys") else None
    stored = cache.get_many(list(keys.values())) if keys else {}
    fresh, groups = {}, []
    for field in form.visible_fields():
        key = keys[field.name] if keys else None
        group = stored.get(key) if key else None
        if group is None:
            # Rendered through the form's templates, which escape what they must.
            group = str(field.as_field_group())
            if key:
                fresh[key] = group
        groups.append(f'<div class="field">{group}</div>')
    if fresh:
        cache.set_many(fresh, timeout=TIMEOUT)
    hidden = "".join(str(field) for field in form.hidden_fields())
    return mark_safe(hidden + "\n".join(groups))


@register.simple_tag
def overall_condition_terms():
    """EAMENA's overall-condition terms in scale order, from the register's cache (see
    :func:`public.selectors.overall_condition_terms`)."""
    return selectors.overall_condition_terms()


@register.inclusion_tag("includes/table_head.html")
def table_head(*labels, numeric=None):
    """``{% table_head _("Name") _("Language") %}``: a table's head row, a column a label;
    ``numeric=2`` marks the second column as one of numbers."""
    return {"columns": [(label, number == numeric) for number, label in enumerate(labels, 1)]}


@register.inclusion_tag("includes/evidence_gallery.html")
def evidence_gallery(items, heading_id, heading_level=2):
    """``{% evidence_gallery site.public_evidence "site-evidence" %}``: photos with captions,
    credits and licences, then documents with their hashes.

    ``items`` are public evidence items (see
    :func:`inspections.evidence.gallery.attach_public_evidence`); ``heading_id`` makes the
    section's heading unique on the page.
    """
    return {
        "gallery": gallery(items),
        "heading_id": heading_id,
        "heading_tag": f"h{heading_level}",
    }


@register.filter
def isolate(value, language=""):
    """``{{ source.title|isolate:source.language }}``: stored text in ``<bdi>``, so that its
    direction (an English title on an Arabic page, a right-to-left name in an English
    sentence, a stray direction mark) cannot reorder the page's own text around it; with
    its language when it is known. Nothing when the value is empty."""
    if value in (None, ""):
        return ""
    if language:
        return format_html('<bdi lang="{}">{}</bdi>', language, value)
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def term_label(term):
    """``{{ assessment.overall_condition|term_label }}``: a vocabulary term's label in the
    visitor's language; where the language has no label of its own the English one is shown,
    marked as English and isolated."""
    if term is None:
        return ""
    if isinstance(term, ConditionStatus):
        return term.label
    language = base_language()
    own = getattr(term, f"label_{language}", "") if language != "en" else term.label
    if own:
        return own
    return isolate(term.label, "en")


@register.filter
def cited_title(title):
    """A source's title as a citation shows it, followed by the citation's own punctuation:
    without its final full stop ("Partnership prospects." gives "Partnership prospects"),
    so that no ".," or ".." follows it. An ellipsis and other marks are kept."""
    if title.endswith(".") and not title.endswith(".."):
        return title[:-1]
    return title
