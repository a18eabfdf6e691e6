"""``/sites/<slug>.jsonld``: a published site and its published assessments as Linked Art /
CIDOC-CRM JSON-LD; ``/ns/register.jsonld``: the JSON-LD context that defines its terms."""

import json

from django.http import Http404, HttpResponse
from django.urls import reverse

from public.linked_data.context import CONTEXT
from public.linked_data.linked_art import site_document
from public.linked_data.queries import linked_data_sites
from public.views.exports import request_origin

JSON_LD = "application/ld+json"


def json_ld_response(data):
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type=f"{JSON_LD}; charset=utf-8"
    )


def context_url(origin):
    return origin + reverse("linked-data-context")


def site_linked_art(request, slug):
    """A published site (404 for any other) with its published assessments."""
    site = linked_data_sites().filter(slug=slug).first()
    if site is None:
        raise Http404("No published site has this address.")
    origin = request_origin(request)
    return json_ld_response(
        site_document(site, site.public_assessments, origin, context_url(origin))
    )


def context(request):
    """The register's JSON-LD context (see ``public.linked_data.context``)."""
    response = json_ld_response(CONTEXT)
    # Other sites' JSON-LD processors fetch the context from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response
