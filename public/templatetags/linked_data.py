"""JSON-LD in pages: ``{{ data|ld_json }}`` writes a ``<script type="application/ld+json">``
data block, escaped as Django's ``json_script`` escapes (``<``, ``>`` and ``&`` as JSON
escapes), so that no text in the data can end the block or start markup. A data block is not
run by the browser, so the Content-Security-Policy needs no exception for it."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from public.linked_data.schema_org import site_description
from public.views.exports import request_origin

register = template.Library()

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def escaped_json(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)


@register.filter
def ld_json(data):
    # The JSON holds no <, > or & after escaping, so it cannot leave the element.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(escaped_json(data))
    )


@register.simple_tag(takes_context=True)
def site_schema_org(context, site, title):
    """The schema.org description of ``site``'s dossier (see ``site_description``)."""
    return site_description(site, request_origin(context["request"]), title)
