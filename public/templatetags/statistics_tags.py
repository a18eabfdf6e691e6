"""The tables and charts of the statistics and area pages: ``{% load statistics_tags %}``.

A district's table holds a thousand numbers, each with its link: built here as one string
rather than through a template's loops, which cost a hundred times more per cell. The markup
is that of ``templates/includes/condition_table.html`` and ``bar_chart.html``, which call
these tags.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from public.charts import BAR_HEIGHT, TEXT_Y
from public.templatetags.public_tags import isolate, term_label

register = template.Library()


class Numbers:
    """Numbers as the page shows them (grouped in the visitor's locale, as ``intcomma``
    does), each formatted once: a table repeats the same small numbers many times. Whole
    numbers grouped by thousands, as every language of the register groups them, are
    written by Python's own grouping with the locale's separator; anything else goes
    through ``intcomma``."""

    def __init__(self):
        self.shown = {}
        self.separator = None
        if get_format("NUMBER_GROUPING") == 3:
            self.separator = conditional_escape(get_format("THOUSAND_SEPARATOR"))

    def __call__(self, value):
        shown = self.shown.get(value)
        if shown is None:
            if self.separator is not None and type(value) is int:
                shown = f"{value:,}".replace(",", self.separator)
            else:
                shown = conditional_escape(intcomma(value))
            self.shown[value] = shown
        return shown


def number_cell(count, url, numbers):
    if url and count:
        return f'<td class="number"><a href="{escape(url)}">{numbers(count)}</a></td>'
    return f'<td class="number">{numbers(count)}</td>'


def condition_table_head(table, heading_id, first):
    """The table's start and its row of headings."""
    parts = [
        f'<div class="table-region" role="group" aria-labelledby="{escape(heading_id)}" '
        'tabindex="0">\n<table class="statistics-table">\n  <thead>\n    <tr>\n'
        f'      <th scope="col">{conditional_escape(first)}</th>\n      '
    ]
    parts += [
        '<th scope="col" class="number">'
        f"{conditional_escape(term_label(term)) if term else escape(_('Not assessed'))}</th>"
        for _pk, _label, term in table["columns"]
    ]
    parts.append(f'\n      <th scope="col" class="number">{escape(_("Total"))}</th>\n      ')
    parts += [
        f'<th scope="col" class="number">{conditional_escape(label)}</th>'
        for _value, label in table["verification_levels"]
    ]
    parts.append("\n    </tr>\n  </thead>\n  <tbody>\n")
    return "".join(parts)


def condition_table_row(row, kind, numbers):
    """One row of the table: a district (``kind`` "district") or a category, its counts by
    condition, its total and its counts by verification level."""
    if kind == "district":
        if row["district"]:
            url = reverse("area-detail", args=[row["slug"]])
            heading = f'<a href="{escape(url)}">{isolate(row["name"])}</a>'
        else:
            heading = escape(_("No district"))
    else:
        heading = conditional_escape(row["label"])
    parts = [f'    <tr>\n      <th scope="row">{heading}</th>\n      ']
    parts += [number_cell(cell["count"], cell["url"], numbers) for cell in row["cells"]]
    parts.append("\n      ")
    if row["url"]:
        parts.append(
            f'<td class="number"><a href="{escape(row["url"])}">{numbers(row["total"])}</a></td>'
        )
    else:
        parts.append(f'<td class="number">{numbers(row["total"])}</td>')
    parts.append("\n      ")
    parts += [f'<td class="number">{numbers(count)}</td>' for count in row["verification"]]
    parts.append("\n    </tr>\n")
    return "".join(parts)


def condition_table_foot(table, numbers):
    """The row of totals and the table's end."""
    parts = [
        f'  </tbody>\n  <tfoot>\n    <tr>\n      <th scope="row">{escape(_("Total"))}</th>\n      '
    ]
    parts += [number_cell(cell["count"], cell["url"], numbers) for cell in table["totals"]]
    parts.append("\n      ")
    if table["total"]:
        parts.append(
            f'<td class="number"><a href="{escape(table["total_url"])}">'
            f"{numbers(table['total'])}</a></td>"
        )
    else:
        parts.append('<td class="number">0</td>')
    parts.append("\n      ")
    parts += [f'<td class="number">{numbers(count)}</td>' for count in table["verification_totals"]]
    parts.append("\n    </tr>\n  </tfoot>\n</table>\n</div>\n")
    return "".join(parts)


@register.simple_tag
def condition_table(table, heading_id, first, kind):
    """Counts of public sites by a first column (a district or a category) and by latest
    condition, then by verification level; every number links to the listing it counts.
    ``table`` is ``public.statistics.category_table``, or a table of the same form whose
    ``rows`` are ``district_row``s (the statistics page joins the pieces below itself)."""
    numbers = Numbers()
    parts = [condition_table_head(table, heading_id, first)]
    parts += [condition_table_row(row, kind, numbers) for row in table["rows"]]
    parts.append(condition_table_foot(table, numbers))
    # Every value above is escaped.
    return mark_safe("".join(parts))


def chart_head(chart):
    """The chart's start: the SVG element, its title and its description."""
    chart_id = escape(chart.chart_id)
    return (
        '<figure class="chart">\n<svg class="chart-svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {chart.width} {chart.height}" xmlns="http://www.w3.org/2000/svg">\n'
        f'  <title id="{chart_id}-title">{conditional_escape(chart.title)}</title>\n'
        f'  <desc id="{chart_id}-desc">{conditional_escape(chart.description)}</desc>\n  '
    )


def chart_bar(bar, label_x):
    """One bar's label, segments and total, drawn from the top of its own row: the same
    markup wherever the bar stands (``chart_row`` places it). Segments that many bars share
    may carry their class and label escaped once (safe strings pass as they are)."""
    label = conditional_escape(Truncator(bar.label).chars(32))
    parts = [
        f'\n    <text x="{label_x}" y="{TEXT_Y}" text-anchor="end" '
        f'class="chart-label">{label}</text>\n    '
    ]
    parts += [
        f'<rect x="{segment.x}" y="0" width="{segment.width}" height="{BAR_HEIGHT}" '
        f'class="{conditional_escape(segment.css_class)}"><title>'
        f"{conditional_escape(segment.label)}: {segment.value}</title></rect>"
        for segment in bar.segments
        if segment.width
    ]
    parts.append(
        f'\n    <text x="{bar.value_x}" y="{TEXT_Y}" class="chart-value">{bar.total}</text>\n  '
    )
    return "".join(parts)


def chart_row(bar_markup, y):
    """A bar's markup (``chart_bar``) at the height ``y`` of the chart."""
    return f'<g class="chart-row" transform="translate(0 {y})">{bar_markup}</g>\n  '


def chart_foot(chart):
    """The legend, when the bars have more than one kind of segment, and the chart's end."""
    parts = []
    for item in chart.legend_items:
        parts.append(
            '<g class="chart-legend">\n'
            f'    <rect x="{item["x"]}" y="{item["y"]}" width="14" height="14" '
            f'class="{escape(item["css_class"])}"/>\n'
            f'    <text x="{item["x"] + 20}" y="{item["y"] + 12}" class="chart-label">'
            f"{conditional_escape(item['label'])}</text>\n  </g>"
        )
    parts.append("\n</svg>\n</figure>\n")
    return "".join(parts)


@register.simple_tag
def bar_chart(chart):
    """A horizontal bar chart as SVG (``public.charts.Chart``): an image to the assistive
    technologies, with its title and description; the page shows the same numbers in a
    table beside it."""
    parts = [chart_head(chart)]
    parts += [chart_row(chart_bar(bar, chart.label_x), bar.y) for bar in chart.bars]
    parts.append(chart_foot(chart))
    # Every value above is escaped.
    return mark_safe("".join(parts))
