"""``/sites/suggest``: names of published sites for the search box's suggestions.

``?q=text`` answers ``{"query": text, "suggestions": [name, …]}`` with at most
``MAX_SUGGESTIONS`` names that contain the text in any spelling (see
``SiteQuerySet.suggestions``), those starting with it first. A text of fewer than
``MIN_LENGTH`` characters gets no suggestions; a text longer than the listing accepts, or
holding a NUL character, is answered 400 with a message. Answers are cached until the
register changes.
"""

import hashlib

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from heritage.cache import cached
from heritage.models import Site
from heritage.text import fold
from public.filters.sites import MAX_QUERY_LENGTH

MAX_SUGGESTIONS = 10
MIN_LENGTH = 2


@require_GET
def suggest(request):
    text = request.GET.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        message = _("Parameter “q”: at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
        return JsonResponse({"error": message}, status=400)
    if "\x00" in text:
        message = _("Parameter “q”: null characters are not allowed.")
        return JsonResponse({"error": message}, status=400)
    folded = fold(text)
    suggestions = []
    if len(folded) >= MIN_LENGTH:
        key = "site-suggestions:" + hashlib.sha256(folded.encode()).hexdigest()
        suggestions = cached(
            key, lambda: Site.objects.public().suggestions(text, limit=MAX_SUGGESTIONS)
        )
    return JsonResponse({"query": text, "suggestions": suggestions})
