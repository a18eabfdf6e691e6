"""The text search over sites, shared by the public listing, its exports, the admin and the API.

What a visitor types is folded (``heritage.text.fold``) and split into words. Every word must
match (in any order) one of:

- a name of the site: its ``name`` or any name variant, as a substring of the search form;
- a name of the site's place or of a place above it (every variant: "Fuzuli", "Физули",
  "Varanda" find the sites of Fuzuli city);
- when the word matches no name at all, the names holding the words closest to it by trigram
  similarity (``close_words``): "Gargabazari" finds Gargabazar.

Sites are ranked (``RANKS``): the whole text equal to a name, then a name starting with
it, then the other name matches, then the sites found through their places, then the close
matches by closeness. A text of one or two letters is not ranked (``SiteSearch.ranked``).

On SQLite the substrings are found through the FTS5 trigram tables that mirror the search
forms (migration 0005 and the search-words one); on PostgreSQL through trigram GIN indexes.
"""

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex

from heritage.cache import cached_places, cached_under, versions_of
from heritage.models.names import NameKind
from heritage.text import fold, letter_count, search_words, similarity

#: FTS5's trigram index finds substrings of at least this many characters.
TRIGRAM = 3
#: Words of a search taken into account; the rest are ignored.
MAX_WORDS = 8
#: How similar a word must be to a name's word to count as a close match (0 to 1).
CLOSE_THRESHOLD = 0.4
#: Close words kept for each word that matches no name, closest first.
CLOSE_WORDS = 5
#: Words SQLite reads from its trigram table before ranking them by similarity.
CLOSE_CANDIDATES = 200
#: Names counted at most when telling how common a word is (``name_count``): a word in
#: more names than this is common, and a search does not start from it when it has another.
COMMON = 1000
#: The most sites a broad search counts (see ``SiteSearch.broad``): the listing says "more
#: than" this number rather than counting every site holding two common letters.
BROAD_COUNT_LIMIT = 1000
#: Seconds the database may take for a page of a search with a word of one or two letters
#: (see :func:`has_short_word` and ``heritage.query_budget``): such a word is read in every
#: name of the register, and a search of several that rarely meet tests site after site.
SHORT_WORD_SECONDS = 0.25
#: A word whose places hold more sites than this is a wide word (see ``SiteSearch.wide``):
#: read tier by tier, its page costs about the same whatever the number of sites; ranked in
#: one query, the 10,000 sites of a country took 0.12-0.15 s on PostgreSQL.
WIDE_PLACES = 5000
#: A word of a one-word search in at least this many names is counted on up to here: a word
#: in that many names is in most sites, and its search is broad (see ``SiteSearch.sweeping``).
EVERYWHERE = 20000
#: Close words in fewer names than this, though in ``COMMON`` or more, find few sites: a
#: listing reads them as sets of ids (``sparse_close``). At 500,000 sites the close words of
#: "Gataw" are in 8,200 names, its first page read so in 82-148 ms of database time rather
#: than 0.5-0.8 s; those of "Keğaw" in 19,953, whose sites one by one fill a page sooner
#: (0.23-0.61 s; as sets 0.59-0.71 s on PostgreSQL).
SPARSE_CLOSE = 10000

EXACT, PREFIX, NAME, PLACE, CLOSE = range(5)
#: The order of the results of a search, best first.
RANKS = {
    EXACT: "the whole text is a name of the site",
    PREFIX: "a name of the site starts with the text",
    NAME: "every word is in a name of the site",
    PLACE: "some word is only in a name of the site's place or a place above it (the "
    "nearer the place, the better)",
    CLOSE: "some word is only close to a name (ordered by closeness)",
}


def has_short_word(text):
    """Whether the search for ``text`` has a word of one or two letters (among the words it
    takes into account), which no index finds: its pages are read within
    ``SHORT_WORD_SECONDS``."""
    return any(len(word) < TRIGRAM for word in search_words(text or "", MAX_WORDS))


def fts_phrase(text):
    """``text`` as one FTS5 phrase: matched as a substring, whatever characters it holds."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text):
    """``%text%`` for ``LIKE ... ESCAPE '\\'``, with the text's own wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def uses_fts(word):
    return connection.vendor == "sqlite" and len(word) >= TRIGRAM


#: Name variants the public may see: a name as a source reports it only with a published
#: source, so that the search does not reveal what an unpublished source says.
PUBLIC_VARIANT = (
    "(kind <> 'as_reported' OR source_id IN "
    "(SELECT id FROM heritage_source WHERE publication_status = 'published'))"
)


def name_ids_sql(word, public=True):
    """(SQL, params) for the ids of sites whose name or a public name variant contains
    ``word`` (folded); with ``public`` false, any name variant (the admin's search, for
    staff, who may read every source)."""
    variants = f"AND {PUBLIC_VARIANT}" if public else ""
    if uses_fts(word):
        phrase = fts_phrase(word)
        return (
            "SELECT rowid FROM heritage_site_fts WHERE heritage_site_fts MATCH %s "
            "UNION SELECT site_id FROM heritage_sitename WHERE id IN "
            "(SELECT rowid FROM heritage_sitename_fts WHERE heritage_sitename_fts MATCH %s) "
            f"{variants}",
            (phrase, phrase),
        )
    if connection.vendor == "postgresql" and len(word) < TRIGRAM:
        # As in ``short_word_sites``: through the trigram index, which for one or two
        # letters holds every name, the sites of "w" took 0.73 s at 500,000 sites.
        return (
            "SELECT id FROM heritage_site WHERE STRPOS(folded_name, %s) > 0 "
            f"UNION SELECT site_id FROM heritage_sitename WHERE STRPOS(folded, %s) > 0 {variants}",
            (word, word),
        )
    pattern = like_pattern(word)
    return (
        "SELECT id FROM heritage_site WHERE folded_name LIKE %s ESCAPE '\\' "
        "UNION SELECT site_id FROM heritage_sitename WHERE folded LIKE %s ESCAPE '\\' "
        f"{variants}",
        (pattern, pattern),
    )


def name_ids(word):
    """SQL for the ids of sites whose name or a public name variant contains ``word``
    (folded)."""
    return RawSQL(*name_ids_sql(word))


def word_ids(*matches, public=True):
    """SQL for the ids of the sites found by any of ``matches``, each a pair (word, place
    ids): a name of the site (a public one, unless ``public`` is false: ``name_ids_sql``)
    contains the word, or the site is in one of the places.

    One set of ids, read through the name indexes and the sites' place index, rather than
    conditions joined by OR: a database can only read an OR of a subquery and a column
    by testing every site."""
    parts, params = [], []
    for word, places in matches:
        sql, word_params = name_ids_sql(word, public)
        parts.append(sql)
        params.extend(word_params)
        if places:
            ids = ", ".join(str(int(place)) for place in sorted(places))
            parts.append(f"SELECT id FROM heritage_site WHERE place_id IN ({ids})")
    return RawSQL(" UNION ".join(parts), params)


def listed_ids(ids, limit):
    """The ids that ``ids`` (a ``RawSQL`` of ``word_ids``) selects, read once, or None when
    there are more than ``limit``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({ids.sql}) AS found LIMIT %s", [*ids.params, limit + 1])
        rows = [row[0] for row in cursor.fetchall()]
    return rows if len(rows) <= limit else None


class AmongIds(Func):
    """Whether the site's id is among those ``ids`` (a ``RawSQL`` of ``word_ids``) selects.

    PostgreSQL is told to read the ids once and then each site by its key (``= ANY(ARRAY(
    ...))``). Given ``IN (...)``, it plans from its guess of how many ids there are, and its
    guess for a word of four letters held by a few thousand names can be ten times too
    many: it then read all 500,000 sites to join them to the ids, 0.2 s rather than 0.01 s.
    SQLite reads an ``IN`` subquery first already."""

    output_field = BooleanField()

    def __init__(self, ids):
        super().__init__(F("pk"), ids)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="%(expressions)s", arg_joiner=" IN ", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="%(expressions)s))",
            arg_joiner=" = ANY(ARRAY(",
            **extra_context,
        )


class AmongIntegers(Func):
    """Whether ``field`` is among the whole numbers ``values`` (ids read from the register),
    written into the SQL as numbers: ``place_id IN (3, 17, …)``.

    A word naming a country names every place below it: given as ``place_id__in``, the ids
    of 1,681 places were each passed through Django's lookup and the driver's parameters,
    several times a search (0.13 s of Python for one count). As numbers they cost a join."""

    output_field = BooleanField()

    def __init__(self, field, values):
        super().__init__(F(field))
        self.values = sorted({int(value) for value in values})

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.values:
            return "1 = 0", []
        return f"{sql} IN ({', '.join(map(str, self.values))})", params


def in_places(places):
    """Whether the site's place is one of ``places`` (ids)."""
    return Q(AmongIntegers("place_id", places))


class EachExists(Exists):
    """``EXISTS`` that the database tests for each row, never by reading the whole subquery
    once into a hash table. PostgreSQL hashes an ``EXISTS`` it can rewrite as ``IN``,
    which means reading every name holding a common word before the first site is listed;
    an ``OFFSET`` keeps it from rewriting it (the ``LIMIT 1`` is there already)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context
        )


def named(word):
    """Whether the site's own name or one of its public name variants contains ``word``,
    tested site by site (through the variants' index on their site): for the sites another
    condition found already, without reading every name that holds a common word."""
    SiteName = apps.get_model("heritage", "SiteName")
    variants = public_variants(SiteName.objects.filter(site=OuterRef("pk"), folded__contains=word))
    return Q(folded_name__contains=word) | Q(EachExists(variants))


def folded_starts_with(text):
    """Whether a name's search form starts with ``text``, given also as a range of the
    index on the search forms: SQLite reads ``LIKE 'text%'`` alone by testing every name,
    the range through the index."""
    return Q(folded__gte=text, folded__lt=text + "\U0010ffff", folded__startswith=text)


def among_named(word):
    """Whether the site is among those with a name or a public name variant containing
    ``word``: the database reads those sites once, through the name indexes, and then tests
    each site against that set (PostgreSQL's hashed subplan, SQLite's list), rather than
    reading each site's names as ``named`` does. For a search that tests many sites."""
    return Q(pk__in=name_ids(word))


def among_named_or_places(word, places):
    """``among_named`` or the site is in one of ``places``: sets read once, for a search
    that tests many sites."""
    condition = among_named(word)
    if places:
        condition |= in_places(places)
    return condition


def places_sites(places):
    """How many sites ``places`` hold, counted up to ``WIDE_PLACES`` + 1 through the index
    on the sites' place: one query that stops reading there."""
    Site = apps.get_model("heritage", "Site")
    rows = Site.objects.filter(in_places(places)).order_by().values("pk")
    return rows[: WIDE_PLACES + 1].count()


def in_names_or_places(word, places):
    """``named`` or the site is in one of ``places``."""
    condition = named(word)
    if places:
        condition |= in_places(places)
    return condition


def public_variants(queryset):
    """The name variants of ``queryset`` the public may see (see ``PUBLIC_VARIANT``)."""
    return queryset.exclude(
        Q(kind=NameKind.AS_REPORTED) & ~Q(source__publication_status="published")
    )


def name_count(word, limit=None):
    """How many site names and name variants contain ``word``, counted up to ``limit``
    (default ``COMMON``): one query that stops reading once it has counted that many (0: no
    name holds the word)."""
    return names_holding([word], limit)


def names_holding(words, limit=None):
    """How many site names and name variants contain each of ``words``, added up, counted
    up to ``limit`` (default ``COMMON``) in all: one query, which stops reading once it has
    counted that many in all (counted up to ``limit`` for each word and each table, five
    close words in many names read ten times that many)."""
    limit = COMMON if limit is None else limit
    parts, params = [], []
    for word in words:
        if uses_fts(word):
            found = "SELECT 1 FROM {table}_fts WHERE {table}_fts MATCH %s"
            params += [fts_phrase(word)] * 2
        else:
            found = "SELECT 1 FROM {table} WHERE {column} LIKE %s ESCAPE '\\'"
            params += [like_pattern(word)] * 2
        parts += [
            found.format(table="heritage_sitename", column="folded"),
            found.format(table="heritage_site", column="folded_name"),
        ]
    if not parts:
        return 0
    sql = f"SELECT count(*) FROM ({' UNION ALL '.join(parts)} LIMIT %s) AS found"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return min(int(cursor.fetchone()[0]), limit)


def short_word_sites(word):
    """(how many names contain ``word``, counted up to ``COMMON``; the ids of the sites
    with one of them among their public names, or None when the word is that common) for a
    word of one or two letters, which no trigram index can find: every name is read, and
    the sites of a rare word are kept from that one reading rather than read again by
    ``word_ids`` (at 500,000 sites, 0.35 s for "zq" when its names were read three times)."""
    # STRPOS/INSTR rather than LIKE: PostgreSQL would read ``LIKE '%ab%'`` through the
    # trigram index, which for two letters holds every name (0.23 s rather than 0.03).
    position = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
    sql = (
        "SELECT site_id, public FROM (SELECT id AS site_id, 1 AS public FROM heritage_site "
        f"WHERE {position}(folded_name, %s) > 0 LIMIT %s) AS own UNION ALL "
        "SELECT site_id, public FROM (SELECT site_id, CASE WHEN "
        f"{PUBLIC_VARIANT} THEN 1 ELSE 0 END AS public FROM heritage_sitename "
        f"WHERE {position}(folded, %s) > 0 LIMIT %s) AS variants"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [word, COMMON, word, COMMON])
        rows = cursor.fetchall()
    if len(rows) >= COMMON:
        return COMMON, None
    return len(rows), {site_id for site_id, public in rows if public}


def any_name_contains(word):
    """Whether any site name or name variant contains ``word``."""
    return name_count(word) > 0


def place_index():
    """({place id: parent id}, [(search form of a name, place id)]) for every place and each
    of its names, read in two queries and cached until a place or a place's name changes
    (the places version)."""
    return cached_places("search-places", compute_place_index)


def compute_place_index():
    Place = apps.get_model("heritage", "Place")
    PlaceName = apps.get_model("heritage", "PlaceName")
    parents, names = {}, []
    for pk, parent_id, name in Place.objects.values_list("pk", "parent_id", "name"):
        parents[pk] = parent_id
        names.append((fold(name), pk))
    names.extend(PlaceName.objects.values_list("folded", "place_id"))
    return parents, names


def places_matching(word):
    """{place id: levels up to the matching place} for the places with a name containing
    ``word`` (0) and every place below them (1, 2, … levels below the nearest one). Words
    shorter than ``TRIGRAM`` match no place: one or two letters are in most place names."""
    if len(word) < TRIGRAM:
        return {}
    parents, names = place_index()
    found = {pk for folded, pk in names if word in folded}
    if not found:
        return {}
    distances = {}
    for pk in parents:
        node, seen, distance = pk, set(), 0
        while node is not None and node not in seen:
            if node in found:
                distances[pk] = distance
                break
            seen.add(node)
            node = parents.get(node)
            distance += 1
    return distances


def place_closeness(distances):
    """An expression that is 1 for a site whose own place matched, 1/2 one level up, and so
    on; 0 for the others: the nearer the place, the better the match."""
    levels = {}
    for pk, distance in distances.items():
        levels.setdefault(distance, []).append(pk)
    whens = [
        When(in_places(ids), then=Value(1 / (1 + distance)))
        for distance, ids in sorted(levels.items())
    ]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


def close_words(word):
    """[(word, similarity)] of the search words closest to ``word``, closest first, each at
    least ``CLOSE_THRESHOLD`` similar; at most ``CLOSE_WORDS`` of them.

    PostgreSQL picks the candidates with ``pg_trgm``'s ``%`` operator (its GIN index), SQLite
    with its trigram table; both then measure them the same way (``heritage.text.similarity``,
    which counts as ``pg_trgm`` does), so the two agree whenever SQLite's candidates include
    the closest words, as they do on registers of a few thousand words.

    Cached until a search word is added (the ``search-words`` group's version): reading the
    candidates takes tens of milliseconds among the 300,000 words of a register of 500,000
    sites, and an edit that adds no word changes none of them.
    """
    if letter_count(word) < TRIGRAM:
        # Too short to be misspelt: "-1" would have "1" for its close word, held by
        # hundreds of thousands of names (their sites read in 0.2-0.7 s at 500,000 sites).
        return []
    digest = hashlib.sha256(word.encode()).hexdigest()
    return cached_under(
        f"close-words:{versions_of('search-words')}:{digest}", lambda: read_close_words(word)
    )


def read_close_words(word):
    if connection.vendor == "postgresql":
        sql = (
            "SELECT word FROM heritage_searchword WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT %s"
        )
        params = [word, word, CLOSE_CANDIDATES]
    else:
        parts = {word[i : i + 3] for i in range(len(word) - 2)}
        parts = sorted(part for part in parts if part.strip())
        if not parts:
            return []
        # The words sharing most of the word's trigrams for their length (a Jaccard index
        # of the trigrams inside the words, as ``similarity`` measures with the edges
        # too): each trigram's words are listed from the index and counted, rather than
        # ranked by FTS5's ``bm25`` over all of them, which took 24-41 ms for the 19,601
        # words sharing a trigram with "malataw" at 500,000 sites (now about 16).
        each = " UNION ALL ".join(
            "SELECT rowid AS id FROM heritage_searchword_fts WHERE heritage_searchword_fts MATCH %s"
            for _part in parts
        )
        sql = (
            "SELECT candidate.word FROM (SELECT id, count(*) AS shared FROM "
            f"({each}) AS matched GROUP BY id) AS counted "
            "JOIN heritage_searchword AS candidate ON candidate.id = counted.id "
            "ORDER BY counted.shared * 1.0 / (%s + length(candidate.word) - 2 - counted.shared) "
            "DESC, candidate.word LIMIT %s"
        )
        params = [*(fts_phrase(part) for part in parts), len(parts), CLOSE_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        candidates = [row[0] for row in cursor.fetchall()]
    scored = [(candidate, similarity(word, candidate)) for candidate in candidates]
    scored = [
        pair
        for pair in scored
        if pair[1] >= CLOSE_THRESHOLD and pair[0] != word and letter_count(pair[0]) >= TRIGRAM
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:CLOSE_WORDS]


@dataclass
class SiteSearch:
    """One search: the folded words, and for each word that matched no name the close words
    put in its place. ``apply`` filters and ranks a queryset of sites."""

    text: str
    words: list = field(default_factory=list)
    #: {word as folded: [(close word, similarity)]}, for the words that matched no name.
    close: dict = field(default_factory=dict)
    #: {word as folded: the word as typed}.
    typed: dict = field(default_factory=dict)
    #: {word as folded: how many names hold it, up to ``COMMON``; ``COMMON`` for a word that
    #: matches a place}.
    counts: dict = field(default_factory=dict)
    #: {word as folded: ``places_matching`` of it}.
    places: dict = field(default_factory=dict)
    #: The word the search starts from, when its places hold more than ``WIDE_PLACES`` sites.
    wide_words: set = field(default_factory=set)
    #: {word of one or two letters in fewer than ``COMMON`` names: the ids of its sites}.
    short_ids: dict = field(default_factory=dict)
    #: How many names hold the close words, counted up to ``SPARSE_CLOSE`` (see
    #: ``common_close`` and ``sparse_close``).
    close_names: int = 0
    #: {word that matched no name: the ids of its close words' sites}, read once when they
    #: are few.
    close_ids: dict = field(default_factory=dict)

    @classmethod
    def parse(cls, text):
        """The search for ``text``: reads how common each word is, and the close words of
        those that match no name (one query per word, two per word that matches nothing)."""
        search = cls(text=text, words=search_words(text, MAX_WORDS))
        for piece in text.split():
            for word in fold(piece).split():
                search.typed.setdefault(word, piece)
        for word in search.words:
            search.places[word] = places_matching(word)
            if search.places[word]:
                # A place may hold thousands of sites: as common as a word can be.
                search.counts[word] = COMMON
                continue
            if len(word) < TRIGRAM:
                search.counts[word], ids = short_word_sites(word)
                if ids is not None:
                    search.short_ids[word] = ids
            else:
                search.counts[word] = name_count(word)
            if not search.counts[word]:
                search.close[word] = close_words(word)
        if search.close:
            every_close = [close for pairs in search.close.values() for close, _score in pairs]
            search.close_names = names_holding(every_close, SPARSE_CLOSE)
        if search.words and not search.close:
            # Only the word the search starts from decides whether it is wide: its places'
            # sites are counted, not those of every word naming a place.
            first = search.first_word()
            if search.places[first] and places_sites(search.places[first]) > WIDE_PLACES:
                search.wide_words.add(first)
        if len(search.words) == 1 and search.counts.get(search.words[0]) == COMMON:
            word = search.words[0]
            # One or two letters are broad already; a wide word is read as sets.
            if len(word) >= TRIGRAM and word not in search.wide_words:
                search.counts[word] = max(name_count(word, EVERYWHERE), COMMON)
        return search

    @property
    def typed_close(self):
        """The words, as typed, that matched no name and were replaced by close matches."""
        return [self.typed.get(word, word) for word in self.close]

    @property
    def empty(self):
        return not self.words

    @property
    def ranked(self):
        """Whether the results are worth ranking. A text of one or two letters matches most
        sites of a large register; ranking them all would mean sorting them all, so they
        keep the listing's order instead; so do the other ``sweeping`` searches."""
        if self.close:
            return not self.common_close
        return len(" ".join(self.words)) >= TRIGRAM and not self.sweeping

    @property
    def common_close(self):
        """Whether the words put in place of a misspelt one are in ``COMMON`` names or
        more, as a misspelt common word's are: the search is then ``broad``, its sites
        listed in the listing's order rather than ranked by closeness. Ranked, each of them
        was tested and sorted: at 500,000 sites, "mosquéz" (whose close words "mosque",
        "mosques"… are in tens of thousands of names) took 0.14 s on SQLite and 0.45 s on
        PostgreSQL."""
        return self.close_names >= COMMON and all(self.close.values())

    @property
    def sparse_close(self):
        """Whether the search is ``common_close`` but its close words are in fewer than
        ``SPARSE_CLOSE`` names: few of the register's sites match, and testing its sites one
        by one in the listing's order reads most of the register before it has a thousand of
        them, or the last pages'. Their sites are better read as sets of ids."""
        return self.common_close and self.close_names < SPARSE_CLOSE

    @property
    def sweeping(self):
        """Whether the text, though of three letters or more, is in most names: every word
        has one or two letters and one is common ("a b"), or it is one word in at least
        ``EVERYWHERE`` names ("evi", "house"). Listing the ids of the sites it finds meant
        reading most of the register: at 500,000 sites, 3.4 s for "a b", 0.5 s for "evi"."""
        if not any(self.counts.get(word, 0) >= COMMON for word in self.words):
            return False
        if all(len(word) < TRIGRAM for word in self.words):
            return True
        return len(self.words) == 1 and self.counts.get(self.words[0], 0) >= EVERYWHERE

    @property
    def broad(self):
        """A text held by many names, of one or two letters or ``sweeping``: its sites are
        found one by one in the listing's order until a page is full, and counted only up
        to ``BROAD_COUNT_LIMIT``."""
        if self.common_close:
            return True
        return not self.ranked and any(self.counts.get(word, 0) >= COMMON for word in self.words)

    @property
    def wide(self):
        """A search whose first word names a place holding more than ``WIDE_PLACES`` sites
        (a country, a region, a word in every district's name): a large share of the
        register. Its sites are found by testing each site against the word's places and
        the set of sites with the word in a name, rather than by listing their ids first,
        and it is counted only up to ``BROAD_COUNT_LIMIT``. At 500,000 sites, a word naming
        the country took 3.3 s to list the ids of all the sites and join each to its
        latest condition and place; tested site by site, the page's ids take 0.2 s."""
        if self.empty:  # a text with no word to search by ("\ud7fc" folds to nothing)
            return False
        return not self.broad and not self.close and self.first_word() in self.wide_words

    @property
    def starts_common(self):
        """Whether the search, neither broad nor wide, starts from a word in ``COMMON`` names
        or more (``first_word``): it finds thousands of sites, each ranked to list a page."""
        if self.empty or self.broad or self.wide or self.close:
            return False
        return self.counts.get(self.first_word(), 0) >= COMMON

    def page_ids(self, queryset, start, stop, order):
        """The ids of the results ``start`` to ``stop`` of ``queryset`` (this search applied,
        in its ranked order, then ``order``), for a ``wide`` search, read tier by tier.

        Ranked in one query, every site the word's places hold was ranked and sorted to find
        the first 25: at 500,000 sites, 0.2-0.3 s for a word naming the country. Yet the
        ranks fall in tiers. The sites ranked above ``PLACE`` all have the first word in a
        name of their own, and they are few: they are read first, in the ranked order. Every
        other site ranks ``PLACE``, and its closeness depends on its place alone
        (``closeness_levels``): those sites are read level by level, the closest first, each
        level in ``order``, as the listing of an area is read, through the index of that
        order, stopping at the end of the page."""
        wanted = stop - start
        above = queryset.filter(among_named(self.first_word()), search_rank__lt=PLACE)
        ids = list(above.values_list("pk", flat=True)[start:stop])
        if len(ids) == wanted:
            return ids
        # The page reaches past those sites: there are fewer than ``stop``, all read, to be
        # left out of the levels. (Given as ``search_rank = PLACE`` instead, PostgreSQL
        # guessed a few hundred sites where there were 475,000, and sorted them all for the
        # 40th page: 0.2 s.)
        ranked_above = list(above.order_by().values_list("pk", flat=True)[:stop])
        offset = max(0, start - len(ranked_above))
        placed = queryset.exclude(AmongIntegers("pk", ranked_above)).order_by(*order)
        for places in self.closeness_levels():
            level = placed.filter(in_places(places))
            found = list(level.values_list("pk", flat=True)[offset : offset + wanted - len(ids)])
            ids += found
            if len(ids) == wanted:
                break
            # The level held fewer sites than the page asked for; if it held none of them,
            # it held at most ``offset``.
            offset = 0 if found else offset - level.order_by().values("pk")[:offset].count()
        return ids

    def closeness_levels(self):
        """[ids of places], grouped by the closeness of a site in them as ``apply`` ranks it
        (``search_closeness``), the closest first: the sum, over the words naming places in
        the order of the words, of 1 / (1 + levels up to the nearest place the word names),
        added in the same order as the database adds them."""
        totals = {}
        for word in self.words:
            for place, distance in self.places.get(word, {}).items():
                totals[place] = totals.get(place, 0.0) + 1 / (1 + distance)
        levels = {}
        for place, closeness in totals.items():
            levels.setdefault(closeness, []).append(place)
        return [levels[closeness] for closeness in sorted(levels, reverse=True)]

    def first_word(self):
        """The word the search starts from: the one in fewest names (a word that matches a
        place counts as common), the longer first."""
        plain = [word for word in self.words if word not in self.close]
        return min(plain, key=lambda word: (self.counts[word], -len(word)))

    def apply(self, queryset, every_site=False):
        """``queryset`` filtered by every word and annotated ``search_rank`` (see
        ``RANKS``) and ``search_closeness`` (0 unless a word was a close match).

        The sites are read from one set of ids, those of the close words (read once into a
        list, ``close_ids``: they are in fewer than ``COMMON`` names, see
        ``common_close``) or else of the least common word; every other word is then
        tested site by site on those sites only. A broad search tests every word site by
        site, so that the database walks the listing's order and stops at the end of the
        page. A wide search (``wide``) tests every site against each word's sets, read
        once.

        ``every_site`` says that every site found will be read (the map's counts and
        extent), not a page: a broad search then also tests each site against sets read
        once, which is quicker over all the sites than reading each site's names (at
        500,000 sites, the extent of "evi": 4.0 s site by site)."""
        if self.empty:
            return nothing(queryset)
        if self.broad:
            for word in self.words:
                places = self.places.get(word)
                if word in self.close:
                    # Any of its close words: tested site by site as the search's own words
                    # are, or for every site against the set of their sites, read once.
                    matches = [(close, places_matching(close)) for close, _ in self.close[word]]
                    if every_site:
                        queryset = queryset.filter(AmongIds(word_ids(*matches)))
                    else:
                        condition = Q()
                        for match in matches:
                            condition |= in_names_or_places(*match)
                        queryset = queryset.filter(condition)
                elif word in self.short_ids:  # a rare word among common ones: its few sites
                    queryset = queryset.filter(pk__in=sorted(self.short_ids[word]))
                elif every_site:
                    queryset = queryset.filter(among_named_or_places(word, places))
                else:
                    queryset = queryset.filter(in_names_or_places(word, places))
            if every_site:
                return queryset.annotate(search_rank=Value(NAME), search_closeness=Value(0.0))
            if self.close:
                return queryset.annotate(search_rank=Value(CLOSE), search_closeness=Value(0.0))
            return queryset.annotate(
                search_rank=self.rank(None, site_by_site=True), search_closeness=Value(0.0)
            )
        closeness = []
        for word in self.close:
            pairs = self.close[word]
            if not pairs:
                return nothing(queryset)
            matches = [(close, places_matching(close)) for close, _score in pairs]
            ids = word_ids(*matches)
            if word not in self.close_ids:
                # Their sites are few (see ``common_close``): read once, then given to the
                # count and the page as numbers. Each read them again through the names'
                # indexes, at 500,000 sites 8-9 ms a query on SQLite for five close words.
                self.close_ids[word] = listed_ids(ids, COMMON)
            listed = self.close_ids[word]
            queryset = queryset.filter(
                AmongIds(ids) if listed is None else AmongIntegers("pk", listed)
            )
            whens = [
                When(in_names_or_places(*match), then=Value(score))
                for match, (_close, score) in zip(matches, pairs, strict=True)
            ]
            closeness.append(Case(*whens, default=Value(0.0), output_field=FloatField()))
        first = None if self.close else self.first_word()
        # SQLite counts a wide search's sites for the map faster from one list of ids (1.2 s
        # at 500,000 sites rather than 2.6 s); PostgreSQL from the sets (1.2 s, not 2.1 s).
        wide = self.wide and not (every_site and connection.vendor == "sqlite")
        own_names, places = Q(), []
        for word in self.words:
            if word in self.close:
                continue
            matched = self.places[word]
            if wide:
                # Every site is tested against sets read once: one site in many matches.
                queryset = queryset.filter(among_named_or_places(word, matched))
            elif word in self.short_ids:
                queryset = queryset.filter(pk__in=sorted(self.short_ids[word]))
            elif word == first:
                queryset = queryset.filter(AmongIds(word_ids((word, matched))))
            else:
                queryset = queryset.filter(in_names_or_places(word, matched))
            own_names &= among_named(word) if wide else named(word)
            if matched:
                places.append(matched)
        if closeness:
            return queryset.annotate(search_rank=Value(CLOSE), search_closeness=total(closeness))
        return queryset.annotate(
            search_rank=self.rank(
                own_names if places else None,
                guard=among_named(first) if wide else None,
            ),
            search_closeness=total([place_closeness(matched) for matched in places]),
        )

    def rank(self, own_names, site_by_site=False, guard=None):
        """The rank of each site found without close matches; ``own_names`` is the condition
        "every word in the site's own names", or None when no place name matched.

        Whether a name of the site equals the text, or starts with it, is read as two sets
        of sites, each found through an index of the names once per search: a word held by
        tens of thousands of names (a common syllable) is then ranked without testing the
        names of each of its sites. A broad search, which stops at the end of its page
        (``site_by_site``), tests the few sites it lists one by one instead.

        ``guard`` is a condition that every site ranked above the default meets, tested
        first. A wide search ranks hundreds of thousands of sites found by their place:
        SQLite then tests one set for most of them rather than every condition (at 500,000
        sites, 0.2 s rather than 1.6 s for the page's ids)."""
        SiteName = apps.get_model("heritage", "SiteName")
        whole = " ".join(self.words)
        if site_by_site:
            names = public_variants(SiteName.objects.filter(site=OuterRef("pk")))
            exact = Q(EachExists(names.filter(folded=whole)))
            # Not ``folded__startswith``: PostgreSQL would read it through the index of the
            # names' beginnings, every name starting with the text for each site, rather
            # than the site's own few names.
            prefix = Q(EachExists(names.annotate(at=StrIndex("folded", Value(whole))).filter(at=1)))
        else:
            names = public_variants(SiteName.objects.all())
            exact = Q(pk__in=names.filter(folded=whole).values("site_id"))
            starting = names.filter(folded_starts_with(whole))
            prefix = Q(pk__in=starting.values("site_id"))
        default = PLACE if own_names is not None else NAME
        whens = [] if guard is None else [When(~guard, then=Value(default))]
        whens += [
            When(Q(folded_name=whole) | exact, then=Value(EXACT)),
            When(Q(folded_name__startswith=whole) | prefix, then=Value(PREFIX)),
        ]
        if own_names is not None:
            whens.append(When(own_names, then=Value(NAME)))
        return Case(*whens, default=Value(default), output_field=IntegerField())


def nothing(queryset):
    """No site, with the annotations a search orders by. A condition that is never true
    rather than ``none()``, so that the query still has SQL (the listing caches its count
    under it)."""
    return queryset.filter(Value(False, output_field=BooleanField())).annotate(
        search_rank=Value(CLOSE), search_closeness=Value(0.0)
    )


def total(terms):
    """The sum of the expressions ``terms``; 0 for none."""
    if not terms:
        return Value(0.0)
    result = terms[0]
    for term in terms[1:]:
        result = result + term
    return result


#: The fields a search orders by, before the listing's own order.
SEARCH_ORDERING = ("search_rank", "-search_closeness")
