"""``/areas/<slug>/``: one place (a district, a city, a village) and what the register
documents there: its public sites counted by category and latest condition (from the
maintained counts), its map, its published visits, the figures reported for it and the
sources behind them, with links to the filtered list of sites."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from heritage.cache import cached
from heritage.models import Place
from inspections.models import Visit
from public import selectors, statistics
from public.views.listing import describe_error
from public.views.statistics import category_chart

#: The published visits shown on an area's page, newest first.
VISITS_SHOWN = 20
#: The published figures reported for an area shown on its page, by figure set.
FIGURES_SHOWN = 50


def area_detail(request, slug):
    if request.GET:
        names = ", ".join(sorted(request.GET))
        return HttpResponse(
            describe_error(names, _("Parameter"), _("This page takes no parameters.")) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    place = get_object_or_404(Place.objects.select_related("parent"), slug=slug)
    context = cached(f"area:{get_language()}:{place.pk}", lambda: area_context(place))
    return render(request, "public/area_detail.html", context)


def area_context(place):
    """Everything an area's page shows, as template context: cached until the register
    changes. Counts and sources come from the maintained counts of the place itself;
    visits, figures and sources are limited."""
    ids = selectors.descendant_place_ids(place)
    table = statistics.category_table(statistics.area_breakdown(place), area_slug=place.slug)
    visits = (
        Visit.objects.public()
        .for_listing()
        .filter(places__in=ids)
        .distinct()
        .order_by("-start_date", "-id")[:VISITS_SHOWN]
    )
    figures = statistics.figures_beside_register(
        statistics.public_figures_with_category(ids)[:FIGURES_SHOWN]
    )
    tree, names = statistics.place_tree(), selectors.localized_place_names()
    ancestors, seen = [], {place.pk}
    parent = tree[place.pk][0]
    while parent is not None and parent not in seen:
        seen.add(parent)
        ancestors.append((tree[parent][2], names.get(parent) or tree[parent][3]))
        parent = tree[parent][0]
    context = {
        "place": place,
        "ancestors": ancestors,
        "table": table,
        "chart": category_chart(table),
        "visits": list(visits),
        "figures": figures,
        "sources": list(statistics.area_sources(place, ids)),
        "listing_url": statistics.listing_url(area=place.slug),
        "geojson_url": reverse("site-export-geojson") + f"?area={place.slug}",
    }
    return context
