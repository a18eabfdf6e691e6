from django.views.generic import DetailView, ListView

from heritage.models import ReportedFigure, Source


class FigureListView(ListView):
    """``/figures/``: published reported figures."""

    queryset = ReportedFigure.objects.public().select_related("source")


class SourceDetailView(DetailView):
    """``/sources/<id>/``: what a published source supports."""

    queryset = Source.objects.public()
