"""Bar charts drawn on the server as SVG: the geometry is computed here, the markup is in
``templates/includes/bar_chart.html``. Colours come from classes in the site's style sheet
(the CSP allows no inline style); each chart has a title and a description, and the page
shows the same numbers in a table beside it."""

from dataclasses import dataclass, field

#: Widths in the SVG's own units: the labels' column, the bars' and the value's.
LABEL_WIDTH = 200
BAR_WIDTH = 420
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
#: Where the labels end (they are drawn right-aligned, before the bars).
LABEL_X = LABEL_WIDTH - 8
#: The baseline of a bar's label and total, from the top of its row.
TEXT_Y = BAR_HEIGHT - 4
LEGEND_ROW = 22


@dataclass
class Segment:
    value: int
    css_class: str
    label: str
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    label: str
    url: str | None
    segments: list
    y: float = 0
    total: int = 0
    value_x: float = 0


@dataclass
class Chart:
    """A horizontal bar chart: one bar a row, stacked by segment; ``legend`` lists the
    segments' (class, label) when there is more than one kind."""

    chart_id: str
    title: str
    description: str
    bars: list
    legend: list = field(default_factory=list)
    width: int = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height: float = 0
    label_x: int = LABEL_X
    legend_items: list = field(default_factory=list)


def longest_bar(bars):
    """The total of the longest of ``bars``, which the others are scaled to (1 if none)."""
    return max((sum(s.value for s in bar.segments) for bar in bars), default=0) or 1


def lay_out_bar(bar, longest):
    """Give ``bar``'s segments their place and length across the chart, scaled to
    ``longest``; its height in the chart is set by ``bar_chart``."""
    x = LABEL_WIDTH
    for segment in bar.segments:
        segment.x = round(x, 2)
        segment.width = round(BAR_WIDTH * segment.value / longest, 2)
        x += segment.width
    bar.total = sum(s.value for s in bar.segments)
    bar.value_x = round(x + 6, 2)
    return bar


def bar_chart(chart_id, title, description, bars, legend=(), longest=None):
    """Lay out ``bars`` (each a :class:`Bar` with its segments' values) scaled to the
    longest (or to ``longest``, a total given by a caller that lays out the bars itself);
    return the :class:`Chart`."""
    if longest is None:
        longest = longest_bar(bars)
        for bar in bars:
            lay_out_bar(bar, longest)
    y = 4
    for bar in bars:
        bar.y = y
        y += ROW_HEIGHT
    chart = Chart(chart_id, title, description, bars, list(legend))
    for position, (css_class, label) in enumerate(chart.legend if len(chart.legend) > 1 else []):
        column, row = position % 3, position // 3
        chart.legend_items.append(
            {
                "css_class": css_class,
                "label": label,
                "x": 8 + column * 230,
                "y": y + 8 + row * LEGEND_ROW,
            }
        )
    rows = (len(chart.legend_items) + 2) // 3
    chart.height = y + 8 + rows * LEGEND_ROW
    return chart
