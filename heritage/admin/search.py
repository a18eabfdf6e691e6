"""Admin search by site and place names in any spelling, script or near-miss."""

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.text import smart_split, unescape_string_literal

from heritage.models import PlaceName, SiteSearch
from heritage.models.site_search import places_matching, word_ids
from heritage.text import search_words


def site_ids(word, identifiers=None):
    """SQL for the ids of the sites the folded ``word`` finds: a name of the site, any of its
    name variants (staff read every source), or a name of its place or a place above it
    contains the word, or, when no name does, one of the words closest to it; and the sites
    ``identifiers`` finds (a queryset of sites), if given. One set of ids read through the
    indexes: conditions joined by OR are tested site by site (at 500,000 sites on
    PostgreSQL, a misspelt word's five close words took 2.6 s, a rare word with the
    identifiers 1.2 s)."""
    close = SiteSearch.parse(word).close.get(word, [])
    texts = [text for text, _score in close] or [word]
    found = word_ids(*((text, places_matching(text)) for text in texts), public=False)
    if identifiers is None:
        return found
    sql, params = identifiers.order_by().values("pk").query.sql_with_params()
    return RawSQL(f"{found.sql} UNION {sql}", (*found.params, *params))


class FoldedSearchMixin:
    """Admin search that also matches site and place names case- and accent-insensitively.

    Each word of the search must match one of ``search_fields`` or, folded as the public
    search folds it, a name of the site at ``folded_site_path`` ("" for the site itself) or
    of its place and the places above it (the public search's rules, see
    ``heritage.models.site_search``, over every name variant: staff read every source), or a
    name of the place at ``folded_place_path``. A word
    that matches nothing at all stands for the names closest to it, as in the public search.
    The folded forms are stored beside each name.
    """

    folded_site_path = None
    folded_place_path = None
    #: Of the admin of sites: a function of a word typed to the condition of the sites it
    #: identifies whole (through indexes), tested in the same set of ids as their names
    #: (``site_ids``) rather than as ``search_fields``, whose condition joined to the names'
    #: by OR would be tested site by site.
    site_identifiers = None

    def folded_condition(self, word):
        condition = Q()
        if self.folded_site_path is not None:
            path = f"{self.folded_site_path}__in" if self.folded_site_path else "pk__in"
            condition |= Q(**{path: site_ids(word)})
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
            if self.site_identifiers:
                identified = queryset.model.objects.filter(self.site_identifiers(word))
                for folded in search_words(word) or [word]:
                    condition &= Q(pk__in=site_ids(folded, identified))
                continue
            plain, duplicates = super().get_search_results(request, queryset, f'"{word}"')
            may_have_duplicates |= duplicates
            for folded in search_words(word) or [word]:
                condition &= Q(pk__in=plain.values("pk")) | self.folded_condition(folded)
        return queryset.filter(condition), may_have_duplicates
