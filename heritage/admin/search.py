"""Admin search by site and place names in any spelling."""

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from heritage.models import PlaceName, Site, SiteName
from heritage.text import fold


class FoldedSearchMixin:
    """Admin search that also matches site and place names case- and accent-insensitively.

    Each word of the search must match one of ``search_fields`` or, folded as the public
    search folds it, a name of the site at ``folded_site_path`` ("" for the site itself) or
    of the place at ``folded_place_path``. The folded forms are stored beside each name.
    """

    folded_site_path = None
    folded_place_path = None

    def folded_condition(self, word):
        condition = Q()
        if self.folded_site_path is not None:
            sites = Site.objects.filter(
                Q(folded_name__contains=word)
                | Q(pk__in=SiteName.objects.filter(folded__contains=word).values("site_id"))
            ).values("pk")
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
            condition &= Q(pk__in=plain.values("pk")) | self.folded_condition(fold(word))
        return queryset.filter(condition), may_have_duplicates
