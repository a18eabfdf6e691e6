from django.views.generic import ListView

from heritage.models import Site


class SiteListView(ListView):
    """``/sites/``: published sites."""

    queryset = Site.objects.public().select_related("place")
    paginate_by = 25


def export_csv(request):
    raise NotImplementedError


def export_geojson(request):
    raise NotImplementedError
