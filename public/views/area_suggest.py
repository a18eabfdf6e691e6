"""``/sites/areas/suggest``: names of areas (districts, cities, villages) for the text field
of the listings' area pickers (``area_name`` on ``/sites/``, ``place_name`` on ``/visits/``),
as one types.

``?q=text`` answers ``{"query": text, "suggestions": [name, …]}``: at most
``MAX_SUGGESTIONS`` places whose name or a name variant contains the text in any spelling,
those starting with it first, each by its name in the visitor's language. A text of fewer
than ``MIN_LENGTH`` characters gets none; a text longer than the field accepts, or holding a
NUL character, is answered 400 with a message. Answers are cached until the register
changes.
"""

import hashlib

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from heritage.cache import cached
from heritage.models import Place, PlaceName, base_language
from heritage.text import fold
from public import selectors
from public.filters.areas import MAX_AREA_NAME_LENGTH

MAX_SUGGESTIONS = 10
MIN_LENGTH = 2


def area_suggestions(text):
    folded = fold(text)
    variants = PlaceName.objects.filter(folded__contains=folded).values("place_id")
    starts = Case(
        When(name__istartswith=text.strip(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    places = (
        Place.objects.filter(Q(name__icontains=text.strip()) | Q(pk__in=variants))
        .annotate(starts=starts, length=Length("name"))
        .order_by("starts", "length", "name")
        .values_list("pk", "name")[: MAX_SUGGESTIONS * 2]
    )
    names = selectors.localized_place_names()
    found = []
    for pk, name in places:
        shown = names.get(pk, name)
        if shown not in found:
            found.append(shown)
    return found[:MAX_SUGGESTIONS]


@require_GET
def suggest_areas(request):
    text = request.GET.get("q", "")
    if len(text) > MAX_AREA_NAME_LENGTH:
        message = _("Parameter “q”: at most %(limit)d characters.") % {
            "limit": MAX_AREA_NAME_LENGTH
        }
        return JsonResponse({"error": message}, status=400)
    if "\x00" in text:
        message = _("Parameter “q”: null characters are not allowed.")
        return JsonResponse({"error": message}, status=400)
    suggestions = []
    if len(fold(text)) >= MIN_LENGTH:
        digest = hashlib.sha256(text.strip().lower().encode()).hexdigest()
        key = f"area-suggestions:{base_language()}:{digest}"
        suggestions = cached(key, lambda: area_suggestions(text))
    return JsonResponse({"query": text, "suggestions": suggestions})
