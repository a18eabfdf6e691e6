from django.views.generic import DetailView, ListView

from inspections.models import Visit


class VisitListView(ListView):
    """``/visits/``: published visits."""

    queryset = Visit.objects.public()
    paginate_by = 25


class VisitDetailView(DetailView):
    """``/visits/<slug>/``: a published visit."""

    queryset = Visit.objects.public()
