"""Reads of sites, chainable from ``Site.objects``: the listing, names in the visitor's
language, name search and the register's part of a dossier.

The related models are looked up through the app registry, as this module is imported by
the one that defines ``Site``. The text search is in ``heritage.models.site_search``."""

from django.apps import apps
from django.db import models
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from heritage.base import (
    PublishableQuerySet,
)
from heritage.models.names import DISPLAY_NAME_KINDS, base_language, shows_variants
from heritage.models.site_search import (
    SEARCH_ORDERING,
    TRIGRAM,
    EachExists,
    SiteSearch,
    folded_starts_with,
    fts_phrase,
    like_pattern,
    public_variants,
    uses_fts,
)
from heritage.models.sources import with_public_source
from heritage.text import fold

#: Names read at most for each part of the suggestions, among which the shortest are
#: suggested (see ``SiteQuerySet.suggestions``).
SUGGESTION_CANDIDATES = 300

#: Enough ``parent`` levels for the deepest hierarchy (village, district, region, country), so
#: that ``Place.ancestors()`` reads the chain from the one query that loads the site.
PLACE_WITH_ANCESTORS = "place__parent__parent__parent__parent"


class SiteQuerySet(PublishableQuerySet):
    """Reads of sites, chainable: ``Site.objects.public().for_listing().with_localized_name()``."""

    def with_latest_condition(self):
        """Annotate ``latest_condition_id``, ``latest_assessed_on``,
        ``latest_assessed_precision`` and ``latest_inferred`` (the assessment rests on the
        register's own identification of the site) from the site's latest published
        assessment, as the inspections app records it in ``SiteStatus`` (the reverse
        one-to-one ``status``); None when the site has no published assessment."""
        return self.annotate(
            latest_condition_id=F("status__condition_id"),
            latest_assessed_on=F("status__assessed_on"),
            latest_assessed_precision=F("status__date_precision"),
            latest_inferred=F("status__inferred"),
        )

    def for_listing(self):
        """What the listing and the exports show of each site: its place and latest
        condition, ordered by name."""
        return self.with_latest_condition().select_related("place").order_by("name", "id")

    def with_localized_name(self, language=None):
        """Annotate ``localized_name``: what ``Site.display_name`` returns, computed in the
        database so that a streamed export needs no prefetch per chunk of rows."""
        if not shows_variants(language):
            return self.annotate(localized_name=F("name"))
        language = base_language(language)
        rank = Case(
            *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(DISPLAY_NAME_KINDS)),
            output_field=models.IntegerField(),
        )
        variant = (
            apps.get_model("heritage", "SiteName")
            .objects.filter(site=OuterRef("pk"), kind__in=DISPLAY_NAME_KINDS)
            .filter(Q(language=language) | Q(language__startswith=f"{language}-"))
            .order_by(rank, "language", "name")
            .values("name")[:1]
        )
        return self.annotate(localized_name=Coalesce(Subquery(variant), F("name")))

    def search(self, text):
        """Sites matching the search ``text`` (see ``heritage.models.site_search``), best
        match first, then in the queryset's order. The listing's filter keeps the parsed
        search itself, for the words it replaced with close matches."""
        search = SiteSearch.parse(text)
        queryset = search.apply(self)
        if not search.ranked:
            return queryset
        return queryset.order_by(*SEARCH_ORDERING, *queryset.query.order_by)

    def suggestions(self, text, limit=10):
        """Up to ``limit`` names of sites of this queryset that contain the search form of
        ``text``, those starting with it first, then the shorter: for suggestions as a
        visitor types. For one or two letters, only names starting with them.

        The names starting with the text are read first, through the index of the search
        forms; only when they are fewer than ``limit`` are the names containing it read
        (two queries then). Each reads at most ``SUGGESTION_CANDIDATES`` names, each tested
        for its site as it is read, and suggests the shortest of those: the names starting
        with the text in the order of the index, those containing it in no order. At
        500,000 sites, 898 names start with "mala" and 1,891 contain it; reading and
        sorting every name that contained "evi" (the folded "évi", "house") took 250-320 ms
        on PostgreSQL, and every name starting with "ba" 72."""
        folded = fold(text)
        if not folded:
            return []
        # Each name read is tested for its site, rather than the sites of this queryset
        # (nearly all of a large register) read first.
        of_sites = EachExists(self.order_by().filter(pk=OuterRef("site_id")))
        names = public_variants(apps.get_model("heritage", "SiteName").objects.filter(of_sites))
        # The range of the index alone, and the prefix tested here: with the prefix as a
        # ``LIKE`` too, PostgreSQL took a fiftieth of the names in the range to match (27,191
        # started with "ba", it counted on 304), and read and sorted them all for the first.
        in_range = names.filter(folded__gte=folded, folded__lt=folded + "\U0010ffff")
        rows = in_range.order_by("folded").values_list("name", "folded")
        found = shortest(
            [name for name, form in rows[:SUGGESTION_CANDIDATES] if form.startswith(folded)],
            limit,
        )
        if len(found) >= limit or len(folded) < TRIGRAM:
            # One or two letters are inside most names: only the names starting with them.
            return found
        others = names.exclude(folded_starts_with(folded)).order_by()
        if uses_fts(folded):
            # Joined to the trigram index rather than ``pk__in`` its rows: SQLite reads an
            # ``IN`` subquery whole before testing the first name (at 500,000 sites, the
            # 69,000 names holding "evi": 10 ms), and a join as it goes, up to the last
            # candidate.
            others = others.extra(
                tables=["heritage_sitename_fts"],
                where=[
                    "heritage_sitename_fts.rowid = heritage_sitename.id",
                    "heritage_sitename_fts MATCH %s",
                ],
                params=[fts_phrase(folded)],
            )
        else:
            containing = RawSQL(
                "SELECT id FROM heritage_sitename WHERE folded LIKE %s ESCAPE '\\'",
                (like_pattern(folded),),
            )
            others = others.filter(pk__in=containing)
        candidates = others.values_list("name", flat=True)[:SUGGESTION_CANDIDATES]
        found += [name for name in shortest(candidates, limit) if name not in found]
        return found[:limit]

    def for_dossier(self):
        """The register's own part of a dossier, in a fixed number of queries: the place and
        the places above it, the names, published claims, the citations and the identifiers
        elsewhere, each claim and citation only with a published source. Kept under
        ``public_*`` attributes, so that a template cannot reach the unfiltered relation by
        mistake."""
        claims = with_public_source(
            apps.get_model("heritage", "SiteClaim").objects.public()
        ).order_by("kind", F("year_from").asc(nulls_last=True), "year_to", "id")
        citations = with_public_source(
            apps.get_model("heritage", "SiteCitation").objects.all()
        ).order_by(F("source__published_on").asc(nulls_last=True), "source__title", "id")
        names = public_variants(apps.get_model("heritage", "SiteName").objects.all())
        return self.select_related(PLACE_WITH_ANCESTORS).prefetch_related(
            Prefetch("names", queryset=names.select_related("source")),
            Prefetch("claims", queryset=claims, to_attr="public_claims"),
            Prefetch("citations", queryset=citations, to_attr="public_citations"),
            Prefetch(
                "identifiers",
                queryset=apps.get_model("heritage", "SiteIdentifier").objects.select_related(
                    "source"
                ),
            ),
        )


def shortest(names, limit):
    """Up to ``limit`` distinct ``names``, the shortest first, then in alphabetical order."""
    return sorted(set(names), key=lambda name: (len(name), name))[:limit]
