from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.views.generic import TemplateView

from public import selectors


class HomeView(TemplateView):
    """What the register holds at a glance: only published records are counted or listed."""

    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.register_overview())
        return context


def favicon(request):
    """``/favicon.ico``: browsers ask for it whatever a page links to; this redirects to the
    icon among the static files (its name carries a hash of its content in production)."""
    return HttpResponseRedirect(static("icons/favicon.ico"))
