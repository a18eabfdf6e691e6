"""The pages' FilterSets, as the API's lists use them, and the check that a request names
only parameters its resource accepts.

The lists of sites and visits take exactly the parameters of ``/sites/`` and ``/visits/``,
validated by the same FilterSets, except the sites' ``sort`` (every list of the API runs in
the order of its cursor, see ``public.api.pagination``) and the text fields of the pages'
area pickers (``area_name``, ``place_name``), which name a place as the slugs of ``area``
and ``place`` already do.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.negotiation import DefaultContentNegotiation

from public.api.errors import InvalidParameters
from public.filters import SiteFilter, VisitFilter


class ApiSiteFilter(SiteFilter):
    """``/sites/``'s filters without ``sort`` and without ``area_name`` (a convenience of the
    listing's form: API clients give ``area``, a slug)."""

    sort = None
    area_name = None


class ApiVisitFilter(VisitFilter):
    """``/visits/``'s filters without ``place_name`` (a convenience of the listing's form:
    API clients give ``place``, a slug)."""

    place_name = None


def described_as_text(filterset, names):
    """Say in the schema that these filters, which choose a row by slug or label, take text
    (drf-spectacular cannot tell from a filter that has a method of its own)."""
    for name in names:
        extend_schema_field({"type": "string"})(filterset.base_filters[name])


described_as_text(ApiSiteFilter, ["site", "condition", "area", "organisation"])
described_as_text(ApiVisitFilter, ["place"])


def check_parameters(request, allowed):
    """Refuse a parameter the resource does not take, rather than silently ignore it."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        message = _("This resource takes no such parameter. It takes: %(allowed)s.") % {
            "allowed": ", ".join(sorted(allowed)) or _("none")
        }
        raise InvalidParameters({name: [message] for name in unknown})


class FormatNegotiation(DefaultContentNegotiation):
    """Content negotiation where an unknown ``format`` is a 400 naming the parameter (REST
    framework's own answer is a 404)."""

    def filter_renderers(self, renderers, format):
        kept = [renderer for renderer in renderers if renderer.format == format]
        if not kept:
            raise InvalidParameters.one(
                "format",
                _("Choose one of: %(formats)s.")
                % {"formats": ", ".join(renderer.format for renderer in renderers)},
            )
        return kept
