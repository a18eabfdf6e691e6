"""``/statistics/``: the public sites by district, category, condition and verification
level; the sites assessed over time; the reported figures beside what the register
documents. Each table also as a chart and as CSV (``/statistics/<table>.csv``).

The breakdowns read the maintained counts (see ``public.statistics``), so the page costs
the same with a cold cache as with a warm one. The only parameter, ``category``, narrows
the table by district to one category; an unknown value is a 400 naming it.
"""

import csv
import io
from functools import cached_property

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from heritage.cache import (
    TIMEOUT,
    cached_by_place,
    cached_under,
    counts_version,
    places_version,
    versions_of,
)
from heritage.models import SiteCategory
from inspections.models import AssessmentMonthCount, DamageYearCount, SiteCount
from public import selectors, statistics
from public.charts import LABEL_X, Bar, Segment, bar_chart, lay_out_bar
from public.templatetags.statistics_tags import (
    Numbers,
    chart_bar,
    chart_foot,
    chart_head,
    chart_row,
    condition_table_foot,
    condition_table_head,
    condition_table_row,
)
from public.views.exports import spreadsheet_safe
from public.views.listing import describe_error


class StatisticsForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("Every category")), *SiteCategory.choices],
        required=False,
    )


def parameter_errors(form):
    return [
        (name, form.fields[name].label, message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def condition_segments(cells, legend):
    """A bar's segments: each cell's count with its column's class and label, ``legend``
    being ``condition_legend(columns)`` (each label translated once a chart)."""
    return [
        Segment(cell["count"], css_class, label)
        for cell, (css_class, label) in zip(cells, legend, strict=True)
    ]


def term_text(term):
    return term.localized_label() if term is not None else _("Not assessed")


def condition_legend(columns):
    """[(class, label)] of each column's segments, escaped once for every bar drawing them."""
    return [
        (
            conditional_escape(
                f"chart-condition-{label.lower().replace(' ', '-') if label else 'none'}"
            ),
            conditional_escape(term_text(term)),
        )
        for _pk, label, term in columns
    ]


def district_chart_frame(bars, legend, longest):
    """The chart by district around ``bars`` (laid out already, scaled to ``longest``)."""
    return bar_chart(
        "chart-districts",
        _("Sites by district and latest condition"),
        _(
            "A bar a district, its length the number of published sites, divided by the "
            "overall condition in each site's latest published assessment. The same numbers "
            "are in the table."
        ),
        bars,
        legend,
        longest=longest,
    )


def district_section(category):
    """The chart and the table of the sites by district, as HTML: {"chart": …, "table": …}.

    Each district's bar and row are kept rendered under the version of that district's own
    counts (``heritage.cache.cached_by_place``), the places version (names, addresses and
    condition labels), the language, the category and the chart's scale: after an edit
    only the districts whose counts it moved are drawn again. The row of the sites beyond
    every district and the totals, which any edit may move, are drawn each time."""
    breakdown = statistics.district_breakdown(category)
    table = statistics.district_table(category, breakdown)
    columns, districts = table["columns"], table["districts"]
    legend = condition_legend(columns)
    tree, names = statistics.place_tree(), selectors.localized_place_names()
    longest = max((breakdown.total(area=district) for district in districts), default=0) or 1
    numbers = Numbers()

    def draw(ids):
        drawn = {}
        for district in ids:
            row = statistics.district_row(district, breakdown, category, columns, tree, names)
            label = row["name"] or _("No district")
            segments = condition_segments(row["cells"], legend)
            bar = lay_out_bar(Bar(label, row["url"], segments), longest)
            drawn[district] = (
                condition_table_row(row, "district", numbers),
                chart_bar(bar, LABEL_X),
            )
        return drawn

    named = [district for district in districts if district is not None]
    key = f"district-markup:{category}:{get_language()}:{places_version()}:{longest}"
    drawn = cached_by_place(key, SiteCount, named, draw)
    if None in districts:
        drawn.update(draw([None]))
    chart = district_chart_frame([Bar("", None, []) for _ in districts], legend, longest)
    rows = [drawn[district] for district in districts]
    heading = _("District")
    return {
        # Every part is escaped where it is made (public.templatetags.statistics_tags).
        "chart": mark_safe(
            chart_head(chart)
            + "".join(
                chart_row(bar, placed.y)
                for (_row, bar), placed in zip(rows, chart.bars, strict=True)
            )
            + chart_foot(chart)
        ),
        "table": mark_safe(
            condition_table_head(table, "by-district", heading)
            + "".join(row for row, _bar in rows)
            + condition_table_foot(table, numbers)
        ),
    }


def year_chart(years):
    bars = [
        Bar(
            str(year),
            statistics.listing_url(assessed_from=f"{year}-01-01", assessed_to=f"{year}-12-31"),
            [Segment(count, "chart-bar", str(year))],
        )
        for year, count in sorted(years.items())
    ]
    return bar_chart(
        "chart-years",
        _("Sites assessed, by year of the assessment"),
        _(
            "A bar a year, its length the number of sites with a published assessment made "
            "in that year (a site assessed twice in a year counts once). The same numbers are "
            "in the table's last column."
        ),
        bars,
    )


def damage_chart(damage):
    bars = [
        Bar(
            str(year),
            None,
            [
                Segment(dated, "chart-bar", _("Began")),
                Segment(before, "chart-bar-before", _("Happened before")),
            ],
        )
        for year, dated, before in damage["years"]
    ]
    return bar_chart(
        "chart-damage",
        _("Sites by the year of the damage"),
        _(
            "A bar a year, its length the number of sites whose published assessments date "
            "a disturbance to that year: when it began, or the date before which it "
            "happened. The same numbers are in the table."
        ),
        bars,
        [("chart-bar", _("Began")), ("chart-bar-before", _("Happened before"))],
    )


def figures_chart(figures):
    bars = []
    for row in figures:
        if row["documented"] is None:
            continue
        figure = row["figure"]
        label = f"{figure.subject}: {figure.metric}"
        bars.append(
            Bar(label, None, [Segment(int(figure.value), "chart-bar-reported", _("Reported"))])
        )
        bars.append(
            Bar(
                _("In the register"),
                row["url"],
                [Segment(row["documented"], "chart-bar", _("In the register"))],
            )
        )
    return bar_chart(
        "chart-figures",
        _("Reported figures and what the register documents"),
        _(
            "For each reported figure of a category of site, a bar for the figure and one "
            "for the published sites of that category and area in the register. The same "
            "numbers are in the table."
        ),
        bars,
        [("chart-bar-reported", _("Reported")), ("chart-bar", _("In the register"))],
    )


def statistics_page(request):
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "public/statistics.html",
            {"errors": parameter_errors(form), "form": form},
            status=400,
        )
    category = form.cleaned_data["category"] or None
    figures_version = f"{versions_of('figures')}:{counts_version(SiteCount)}"
    figures = cached_under(
        f"statistics-figures:{get_language()}:{figures_version}", figures_context
    )
    context = {
        "form": form,
        "category": category,
        "category_label": dict(SiteCategory.choices).get(category),
        # The tables and charts of counts are kept rendered in the cache under the versions
        # of the counts they show, which edits that move no number leave as they are (and
        # an edit of a site's category leaves those over time): computed only when the
        # template has no fragment for them (see templates/public/statistics.html).
        "counted": CountedStatistics(category),
        "site_counts_version": counts_version(SiteCount),
        # The sites of each year (``AssessedYearCount``, summed over categories and
        # conditions) change only with the sites of a month of it: an edit of a site's
        # category moves the counts by year, not their sums.
        "time_counts_version": counts_version(AssessmentMonthCount, DamageYearCount),
        "cache_seconds": TIMEOUT,
        "month_names": [str(MONTHS_3[month]) for month in range(1, 13)],
        **figures,
    }
    return render(request, "public/statistics.html", context)


def figures_context():
    """The reported figures beside the register: cached until a figure, a source or an
    organisation changes, or the counts of sites or the places do (a figure or its source
    may change without any count moving, and a count without any figure)."""
    figures = statistics.figures_beside_register(statistics.public_figures_with_category())
    return {"figures": figures, "figures_chart": figures_chart(figures)}


class CountedStatistics:
    """The page's tables and charts of the maintained counts, each computed when the page's
    template first asks for it, which it does only when it has not kept them rendered."""

    def __init__(self, category):
        self.category = category

    @cached_property
    def districts(self):
        return district_section(self.category)

    @cached_property
    def categories(self):
        return statistics.category_table(statistics.register_breakdown())

    @cached_property
    def category_chart(self):
        return category_chart(self.categories)

    @cached_property
    def months(self):
        return statistics.assessment_months()

    @cached_property
    def years(self):
        return statistics.assessment_years()

    @cached_property
    def month_rows(self):
        return statistics.month_table(self.months, self.years)

    @cached_property
    def year_chart(self):
        return year_chart(self.years)

    @cached_property
    def damage(self):
        return statistics.damage_years()

    @cached_property
    def damage_chart(self):
        return damage_chart(self.damage)


def category_chart(table):
    legend = condition_legend(table["columns"])
    bars = [
        Bar(str(row["label"]), row["url"], condition_segments(row["cells"], legend))
        for row in table["rows"]
    ]
    return bar_chart(
        "chart-categories",
        _("Sites by category and latest condition"),
        _(
            "A bar a category, its length the number of published sites, divided by the "
            "overall condition in each site's latest published assessment. The same numbers "
            "are in the table."
        ),
        bars,
        legend,
    )


# --- CSV -------------------------------------------------------------------------------


def csv_response(name, header, rows):
    # Written to a string and given to the response once: a write to the response per row
    # (24,000 rows for the sites by district at 500,000 sites) took 0.18 s.
    # The same few names recur on every row: each is made safe once.
    safe = {}

    def cell(value):
        key = (type(value), value)  # 1 and True are one key otherwise
        if key not in safe:
            safe[key] = spreadsheet_safe(value)
        return safe[key]

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def sites_csv(request):
    """Every combination of district, category, latest condition and verification level,
    with its number of public sites."""
    tree = statistics.place_tree()
    terms = {pk: label for pk, label, _term in statistics.condition_columns()}
    breakdown = statistics.Breakdown(
        statistics.district_count_rows(by_category=True), lambda place_id: place_id
    )
    rows = sorted(
        (
            tree[district][2] if district is not None else "",
            category,
            terms.get(condition, ""),
            verification,
            count,
        )
        for (district, category, condition, verification), count in breakdown.counts.items()
    )
    return ["district", "category", "latest_condition", "verification", "sites"], rows


def assessments_csv(request):
    months = statistics.assessment_months()
    rows = [(year, month, count) for (year, month), count in sorted(months.items())]
    return ["year", "month", "sites_assessed"], rows


def damage_csv(request):
    damage = statistics.damage_years()
    rows = [(year, dated, before) for year, dated, before in damage["years"]]
    rows.append(("", damage["undated"], ""))
    return ["year", "sites_damage_began", "sites_damaged_before"], rows


def figures_csv(request):
    rows = []
    for row in statistics.figures_beside_register(statistics.public_figures_with_category()):
        figure = row["figure"]
        rows.append(
            (
                figure.slug,
                figure.subject,
                figure.metric,
                figure.category,
                figure.area.slug if figure.area else "",
                figure.area_label,
                f"{figure.value.normalize():f}",
                figure.unit,
                str(figure.reported_by or ""),
                figure.source.title,
                request.build_absolute_uri(figure.source.get_absolute_url()),
                "" if row["documented"] is None else row["documented"],
            )
        )
    header = [
        "figure",
        "subject",
        "metric",
        "category",
        "area",
        "area_as_reported",
        "value",
        "unit",
        "reported_by",
        "source",
        "source_page",
        "sites_in_register",
    ]
    return header, rows


TABLES = {
    "sites": sites_csv,
    "assessments": assessments_csv,
    "damage": damage_csv,
    "figures": figures_csv,
}


def statistics_csv(request, table):
    if table not in TABLES:
        raise Http404(_("No such table."))
    if request.GET:
        names = ", ".join(sorted(request.GET))
        return HttpResponse(
            describe_error(names, _("Parameter"), _("This table takes no parameters.")) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    header, rows = TABLES[table](request)
    return csv_response(f"statistics-{table}", header, rows)
