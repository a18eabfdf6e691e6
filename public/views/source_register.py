"""``/sources/``: the register of sources, searchable and filtered (``public.filters.sources``).

Each source is shown with its kind, its publisher and the kind of organisation that
publishes it, so a reader sees at a glance whether two sources are independent, and whether
anything in the register cites it."""

from public.filters import SourceFilter
from public.source_selectors import mark_cited, source_register
from public.views.listing import FilteredListView


class SourceListView(FilteredListView):
    template_name = "public/source_list.html"
    context_object_name = "sources"
    filterset_class = SourceFilter

    def get_queryset(self):
        return source_register()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = mark_cited(context["sources"])
        return context
