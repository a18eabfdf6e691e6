"""``{% load link_tags %}``: a record's permanent address, and the feeds a page follows.

:func:`page_feeds` decides from the page's URL name which Atom feeds it advertises (the
include ``includes/feed_links.html``, in every page's head): the listing of sites its
assessments' feed with the same filters, a dossier the feed of its site's assessments, the
visits' pages the visits' feed, a source's page the sources' feed, the home page all three.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from public.views.permalinks import permalink

register = template.Library()


@register.simple_tag(takes_context=True)
def permanent_link(context, record):
    """The absolute permanent address of ``record`` (``/s/<id>``, ``/v/<id>``…)."""
    return context["request"].build_absolute_uri(permalink(record))


def assessment_feed(query=""):
    return reverse("assessment-feed") + (f"?{query}" if query else "")


def site_list_feed(request):
    query = request.GET.copy()
    query.pop("page", None)
    title = _("Condition assessments of these sites (Atom)") if query else None
    return title or _("Condition assessments (Atom)"), assessment_feed(query.urlencode())


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """[(title, url)] of the Atom feeds that follow the current page."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else None
    if name == "home":
        return [
            (_("Condition assessments (Atom)"), assessment_feed()),
            (_("Visits (Atom)"), reverse("visit-feed")),
            (_("Sources (Atom)"), reverse("source-feed")),
            (_("Restoration projects (Atom)"), reverse("restoration-feed")),
            (_("Commitments (Atom)"), reverse("commitment-feed")),
        ]
    if name == "site-list":
        return [site_list_feed(request)]
    if name == "site-detail" and "slug" in match.kwargs:
        query = urlencode({"site": match.kwargs["slug"]})
        return [(_("Condition assessments of this site (Atom)"), assessment_feed(query))]
    if name in {"visit-list", "visit-detail"}:
        return [(_("Visits (Atom)"), reverse("visit-feed"))]
    if name == "source-detail":
        return [(_("Sources (Atom)"), reverse("source-feed"))]
    if name in {"restoration-list", "restoration-detail"}:
        return [(_("Restoration projects (Atom)"), reverse("restoration-feed"))]
    if name in {"commitment-list", "commitment-detail"}:
        return [(_("Commitments (Atom)"), reverse("commitment-feed"))]
    return []
