"""Admin search by site and place names in any spelling, script or near-miss."""

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from heritage.models import PlaceName, Site, SiteSearch
from heritage.models.site_search import word_condition
from heritage.text import search_words


class FoldedSearchMixin:
    """Admin search that also matches site and place names case- and accent-insensitively.

    Each word of the search must match one of ``search_fields`` or, folded as the public
    search folds it, a name of the site at ``folded_site_path`` ("" for the site itself) or
    of its place and the places above it (the public search's rules, see
    ``heritage.models.site_search``), or a name of the place at ``folded_place_path``. A word
    that matches nothing at all stands for the names closest to it, as in the public search.
    The folded forms are stored beside each name.
    """

    folded_site_path = None
    folded_place_path = None

    def folded_condition(self, word):
        condition = Q()
        if self.folded_site_path is not None:
            close = SiteSearch.parse(word).close.get(word, [])
            stand_ins = [text for text, _score in close]
            site_condition = Q()
            for text in stand_ins or [word]:
                site_condition |= word_condition(text)[0]
            sites = Site.objects.filter(site_condition).values("pk")
            path = f"{self.folded_site_path}__in" if self.folded_site_path else "pk__in"
            condition |= Q(**{path: sites})
        if self.folded_place_path is not None:
            places = PlaceName.objects.filter(folded__contains=word).values("place_id")
            path = f"{self.folded_place_path}__in" if self.folded_place_path else "pk__in"
            condition |= Q(**{path: places})
        return condition

    def get_search_results(self, request, queryset, search_term):
        words = []
        for bit in smart_split(search_term or ""):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if bit.strip():
                words.append(bit)
        if not words:
            return super().get_search_results(request, queryset, search_term)
        condition = Q()
        may_have_duplicates = False
        for word in words:
            plain, duplicates = super().get_search_results(request, queryset, f'"{word}"')
            may_have_duplicates |= duplicates
            for folded in search_words(word) or [word]:
                condition &= Q(pk__in=plain.values("pk")) | self.folded_condition(folded)
        return queryset.filter(condition), may_have_duplicates
