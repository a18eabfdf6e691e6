"""``/figures/`` and ``/sources/<id>/``: reported figures, and what each source supports.

Both pages show published records only: figures whose source is published, and a
source's page lists only what is published and concerns a published site.
"""

from django.views.generic import DetailView, ListView

from heritage import selectors
from heritage.models import Source
from heritage.views.dossier import language_label, precise_date, year_range
from inspections.evidence.gallery import attach_public_evidence


class FigureListView(ListView):
    """``/figures/``: published reported figures with their sources, grouped by set.

    Not paginated: figures come in a few sets of a few rows, and a page break inside a set
    would split figures reported together.
    """

    template_name = "heritage/reportedfigure_list.html"
    context_object_name = "figures"

    def get_queryset(self):
        return selectors.public_figures()


class SourceDetailView(DetailView):
    """``/sources/<id>/``: a published source and the published records it supports."""

    template_name = "heritage/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        support = selectors.source_support(source)
        for claim in support["site_claims"]:
            claim.years = year_range(claim.year_from, claim.year_to)
        for citation in support["assessment_citations"]:
            assessment = citation.assessment
            assessment.date_html = precise_date(assessment.assessed_on, assessment.date_precision)
        for citation in support["visit_citations"]:
            visit = citation.visit
            visit.date_html = precise_date(visit.start_date, visit.date_precision)
        for claim in support["responsibility_claims"]:
            assessment = claim.disturbance.assessment
            assessment.date_html = precise_date(assessment.assessed_on, assessment.date_precision)
        context.update(support)
        context["published_html"] = precise_date(source.published_on, source.published_precision)
        context["language_label"] = language_label(source.language) if source.language else ""
        context["supports_anything"] = any(support.values())
        attach_public_evidence([source])
        return context
