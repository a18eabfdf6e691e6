"""Admin search by site and place names in any spelling, script or near-miss."""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.text import smart_split, unescape_string_literal

from heritage.models import PlaceName, SiteSearch
from heritage.models.site_search import AmongIntegers, places_matching, word_ids
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
    sql, params = ids_sql(identifiers)
    return RawSQL(f"{found.sql} UNION {sql}", (*found.params, *params))


def ids_sql(queryset):
    """(SQL, params) selecting the ids of ``queryset``'s rows, unordered."""
    return queryset.order_by().values("pk").query.sql_with_params()


class FoldedSearchMixin:
    """Admin search that also matches site and place names case- and accent-insensitively.

    Each word of the search must match one of ``search_fields`` or, folded as the public
    search folds it, a name of the site at ``folded_site_path`` ("" for the site itself) or
    of its place and the places above it (the public search's rules, see
    ``heritage.models.site_search``, over every name variant: staff read every source), or a
    name of the place at ``folded_place_path``. A word
    that matches nothing at all stands for the names closest to it, as in the public search.
    The folded forms are stored beside each name. The site's name and its name variants
    among ``search_fields`` (``folded_fields``) are searched folded only: the word folded as
    they are, their folded forms find what their text does, whatever the case and accents.
    """

    folded_site_path = None
    folded_place_path = None
    #: Of the admin of sites: a function of a word typed to the condition of the sites it
    #: identifies whole (through indexes), tested in the same set of ids as their names
    #: (``site_ids``) rather than as ``search_fields``, whose condition joined to the names'
    #: by OR would be tested site by site.
    site_identifiers = None

    def folded_fields(self):
        """The ``search_fields`` the folded names stand for: the name of the site at
        ``folded_site_path`` and of its name variants, whose folded forms contain what their
        text does (case and accents aside), and more."""
        if self.folded_site_path is None:
            return frozenset()
        prefix = f"{self.folded_site_path}__" if self.folded_site_path else ""
        return frozenset({f"{prefix}name", f"{prefix}names__name"})

    def word_parts(self, request, model, word, folded_words):
        """The parts of the ``model`` rows that ``word`` finds, each a queryset: as typed, by
        one of the other ``search_fields``; folded (``folded_words``, the words it folds to,
        each of which must be found), by a name of their site or place (``site_ids``). Each
        part is read on its own table (through its indexes where it has them) and the parts
        make one set of ids: an OR of them over the joins, with the site's names joined for
        their variants, read each row of every joined table, 22-27 s for an assessment's word
        at 500,000 sites. (Every folded word found, or the word as typed: the other fields
        are read once however many words the word folds to.)"""
        manager = model._default_manager
        own, related = [], {}
        for field in self.get_search_fields(request):
            if field in self.folded_fields():
                continue
            # A field of a record this one points to is searched on that record's table,
            # and the rows pointing to what it finds read through their key's index.
            name, lookup = field_lookup(field)
            first, _, rest = name.partition("__")
            relation = model._meta.get_field(first) if rest else None
            if relation is not None and relation.many_to_one:
                related.setdefault(relation, []).append(Q(**{f"{rest}__{lookup}": word}))
            else:
                own.append(Q(**{f"{name}__{lookup}": word}))
        parts = []
        if own:
            parts.append(manager.filter(Q.create(own, connector=Q.OR)))
        for relation, conditions in related.items():
            found = relation.related_model._default_manager.filter(
                Q.create(conditions, connector=Q.OR)
            )
            target = found.values(relation.target_field.name)
            parts.append(manager.filter(**{f"{relation.name}__in": target}))
        if self.folded_site_path is None and self.folded_place_path is None:
            return parts
        named = manager.all()
        for folded in folded_words:
            named = named.filter(self.folded_condition(folded))
        return [*parts, named]

    def folded_condition(self, folded):
        """Rows whose site (``folded_site_path``) or place (``folded_place_path``) has a name
        holding the folded word ``folded``."""
        condition = Q()
        if self.folded_site_path is not None:
            path = f"{self.folded_site_path}__in" if self.folded_site_path else "pk__in"
            condition |= Q(**{path: site_ids(folded)})
        if self.folded_place_path is not None:
            places = PlaceName.objects.filter(folded__contains=folded).values("place_id")
            path = f"{self.folded_place_path}__in" if self.folded_place_path else "pk__in"
            condition |= Q(**{path: places})
        return condition

    def get_search_results(self, request, queryset, search_term):
        """Rows that every word of ``search_term`` finds, each word a set of ids: the rows
        found are never repeated (no ``DISTINCT`` over every column, which at 500,000 sites
        sorted a million assessments). A word that finds at most ``READ_ONCE`` rows is read
        once, and its ids written into the list's queries (the count, the page, the date
        hierarchy's), which would each search again."""
        words = []
        for bit in smart_split(search_term or ""):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if bit.strip():
                words.append(bit)
        if not words:
            # Only empty quotes: nothing to look for (Django would look for "" in every
            # field, joined to every name variant, and remove the repeated rows).
            return queryset, False
        model = queryset.model
        if self.site_identifiers:
            # The admin of sites: each word's sites are read through indexes (reading them
            # once first would cost a word in a fifth of the names 0.1 s more).
            condition = Q()
            for word in words:
                identified = model.objects.filter(self.site_identifiers(word))
                for folded in search_words(word) or [word]:
                    condition &= Q(pk__in=site_ids(folded, identified))
            return queryset.filter(condition), False
        many = []
        listed = None
        for word in words:
            parts = self.word_parts(request, model, word, search_words(word) or [word])
            if not parts:
                continue  # no field to search, as in Django's admin: the word restricts nothing
            ids = read_once(parts, READ_ONCE)
            if ids is None:
                many.append(parts)
            else:
                listed = ids if listed is None else listed & ids
        if listed is None:
            condition = Q()
            for parts in many:
                sql, params = union(parts)
                condition &= Q(pk__in=RawSQL(sql, params))
            return queryset.filter(condition), False
        # Words that find many rows are read among the few that the others found.
        for parts in many:
            among = Q(AmongIntegers("pk", listed))
            listed &= read_once([part.filter(among) for part in parts], limit=None)
        return queryset.filter(AmongIntegers("pk", listed)), False


#: The most ids of one word's rows that the admin's search reads once (``read_once``).
READ_ONCE = 5_000


def union(parts):
    """(SQL, params) of the ids that any of ``parts`` (querysets) selects."""
    sqls, params = [], []
    for part in parts:
        sql, part_params = ids_sql(part)
        sqls.append(sql)
        params.extend(part_params)
    return " UNION ".join(sqls), params


def read_once(parts, limit):
    """The set of ids that ``parts`` (querysets) select, or None when they select more than
    ``limit`` rows (None: no limit). The parts are read one after the other and stop at the
    limit (a ``UNION`` would first read them all to remove what repeats)."""
    sqls, params = [], []
    for number, part in enumerate(parts):
        sql, part_params = ids_sql(part)
        sqls.append(f"SELECT * FROM ({sql}) AS part_{number}")
        params.extend(part_params)
    sql = " UNION ALL ".join(sqls)
    if limit is not None:
        sql = f"SELECT * FROM ({sql}) AS found LIMIT %s"
        params.append(limit + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [row[0] for row in cursor.fetchall()]
    return set(rows) if limit is None or len(rows) <= limit else None


#: The lookup each prefix of a name in ``search_fields`` stands for, as in Django's admin.
PREFIX_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def field_lookup(field):
    """(field path, lookup) of one of ``search_fields`` in Django's admin search."""
    lookup = PREFIX_LOOKUPS.get(field[:1])
    return (field[1:], lookup) if lookup else (field, "icontains")
