from django.views.generic import DetailView

from heritage.models import Site


class SiteDetailView(DetailView):
    """``/sites/<slug>/``: a published site's dossier."""

    queryset = Site.objects.public().select_related("place")
