"""``/figures/`` and ``/sources/<id>/``: reported figures, and what each source supports.

Both pages show published records only: figures whose source is published, and a
source's page lists only what is published and concerns a published site.
"""

from django.views.generic import DetailView, ListView

from heritage.models import Source
from inspections.evidence.gallery import attach_public_evidence
from public import selectors
from public.selectors import first_and_count


class FigureListView(ListView):
    """``/figures/``: published reported figures with their sources, grouped by set.

    Not paginated: figures come in a few sets of a few rows, and a page break inside a set
    would split figures reported together.
    """

    template_name = "public/reportedfigure_list.html"
    context_object_name = "figures"

    def get_queryset(self):
        return selectors.public_figures()


#: Records of each kind a source's page lists: the first, with how many there are. At
#: 500,000 sites a source was cited for about 400 sites and 300 assessments, all listed.
SUPPORT_LENGTH = 100


class SourceDetailView(DetailView):
    """``/sources/<id>/``: a published source and the published records it supports, the
    first ``SUPPORT_LENGTH`` of each kind."""

    template_name = "public/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        support, counts = {}, {}
        for kind, records in selectors.source_support(self.object).items():
            support[kind], counts[kind] = first_and_count(records, SUPPORT_LENGTH)
        context.update(support)
        context["support_counts"] = counts
        context["support_length"] = SUPPORT_LENGTH
        context["count_limit"] = selectors.COUNT_LIMIT
        context["supports_anything"] = any(support.values())
        attach_public_evidence([self.object])
        return context
