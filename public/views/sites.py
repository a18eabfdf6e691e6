"""``/sites/``: the filtered listing of published sites (parameters: :class:`SiteFilter`)."""

from functools import partial

from django.db.models import Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from heritage.cache import cached
from heritage.models import Site
from heritage.models.names import shows_variants
from heritage.models.site_search import BROAD_COUNT_LIMIT, SHORT_WORD_SECONDS, has_short_word
from heritage.query_budget import OverBudget, within
from inspections.models import AssessedYearCount, SiteCount
from public.filters import SiteFilter
from public.filters.sites import ASSESSMENT_FILTERS, Sort, whole_year
from public.views.listing import FilteredListView, Paginator, by_ids, query_digest


class CachedCountPaginator(Paginator):
    """Counts the matching sites once per set of filters until the register changes.

    Counting half a million sites takes tens of milliseconds on every page of every
    visitor; the count is cached under the query's SQL and the register version (see
    ``heritage.cache``), so any edit makes it stale at once.

    With a ``limit``, at most that many sites are counted and listed: ``more`` tells
    whether more match (a broad search, see ``SiteSearch.broad``). With a ``counter``, the
    count is what it returns (:func:`maintained_count`) rather than a count of the sites.

    With ``ids_first``, a page deep in the listing (from ``IDS_FIRST_FROM`` sites on) is read
    in two steps: the ids of its sites, in the listing's order, then those sites with all
    they show. The database then skips the sites before the page by its index alone, not
    joining each to its latest condition and place first: at 500,000 sites, the 200th page
    took 54 ms in one step and 17 in two. Not for a search of a rare word, whose few sites
    one step reads at once; a wide search (``SiteSearch.wide``) reads every page in two
    steps (``ids_first_from=0``): its first step ranks hundreds of thousands of sites, which
    it then need not join to their latest condition and place; so does a ranked search that
    starts from a common word (``SiteSearch.starts_common``), whose thousands of sites are
    ranked for each page.

    A page in the second half of the listing, counted exactly, is read from the listing's
    other end (``QuerySet.reverse()``) and turned round: the database then skips at most
    half the sites, never all those before the last page (475,000 at 500,000 sites).

    With ``count_from``, a function giving a queryset of the same sites, they are counted
    (up to the limit) from it rather than from the listing's: the sites of a misspelt word's
    close words read as sets of ids (``SiteFilter.every_site``), not tested site by site.
    Counting up to the limit stops once it has found that many, but where few sites match it
    tests most of the register: at 500,000 sites, "Banow", whose close words ("bano",
    "banoa"…) are in 1,548 names, took 1.3-2.2 s to count on PostgreSQL and SQLite.
    (A word in most names is counted site by site: it finds the limit's sites at once.)

    With ``rows_from``, the second step reads the page's sites by their ids from that
    queryset (the published sites) rather than through the listing's filters again: the
    filters of the assessments hold the ids of up to thousands of sites, which PostgreSQL
    tested again for the 25 of the page (5 ms for the 1,304 sites assessed in ten days at
    500,000 sites).

    ``rows`` gives the page's sites what the page shows of them (their latest condition, their
    place, their names): the listing's queryset is left without, so that the step that reads
    ids, from an index alone, is not joined to the tables of what they show.
    """

    #: Sites before a page from which ``ids_first`` reads it in two steps.
    IDS_FIRST_FROM = 250

    def __init__(
        self,
        *args,
        limit=None,
        counter=None,
        ids_first=False,
        ids_first_from=None,
        page_ids=None,
        rows=None,
        rows_from=None,
        count_from=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rows_from = rows_from
        self.count_from = count_from
        self.limit = limit
        self.counter = counter
        self.ids_first = ids_first
        self.ids_first_from = self.IDS_FIRST_FROM if ids_first_from is None else ids_first_from
        self.page_ids = page_ids
        self.rows = rows or (lambda queryset: queryset)

    def page(self, number):
        page = super().page(number)
        # The bounds of the page's slice, as Django's paginator takes it.
        low, high = page.object_list.query.low_mark, page.object_list.query.high_mark
        if self.page_ids is not None:
            ids = self.page_ids(self.object_list, low, high)
        elif not self.ids_first:
            page.object_list = self.rows(self.object_list)[low:high]
            return page
        elif low > self.count // 2 and not self.more:
            total = self.count
            ids = list(
                self.object_list.reverse()[total - high : total - low].values_list("pk", flat=True)
            )[::-1]
        elif low >= self.ids_first_from:
            ids = list(page.object_list.values_list("pk", flat=True))
        else:
            page.object_list = self.rows(self.object_list)[low:high]
            return page
        records = self.object_list if self.rows_from is None else self.rows_from
        page.object_list = by_ids(self.rows(records), ids)
        return page

    @cached_property
    def counted(self):
        key = "site-count:" + query_digest(self.object_list, self.limit)
        if self.limit is None or self.counter is not None:
            return cached(key, self.counter or self.object_list.count)

        # One site more than the limit tells that there are more; no order is needed to
        # count them, and the database stops reading once it has found that many.
        def count():
            sites = self.object_list if self.count_from is None else self.count_from()
            return sites.order_by().values("pk")[: self.limit + 1].count()

        return cached(key, count)

    @property
    def count(self):
        return self.counted if self.limit is None else min(self.counted, self.limit)

    @property
    def more(self):
        return self.limit is not None and self.counted > self.limit


#: The filters whose sites the maintained counts of sites can count: their keys.
COUNTED_FILTERS = {"category", "condition", "area", "area_name"}


def maintained_count(data):
    """A function giving the number of public sites that match ``data`` (the cleaned data of
    a :class:`SiteFilter`) from the maintained counts (``inspections.models.SiteCount``, or
    ``AssessedYearCount`` for the sites assessed in one whole year: a few rows of the area,
    or of the places at the top), or None when a filter in use is not among their keys.
    After an edit the first visitor then waits for those rows, not for a count of every
    matching site."""
    used = {name for name, value in data.items() if value not in (None, "")} - {"sort"}
    year = whole_year(data)
    if year is not None:
        used -= {"assessed_from", "assessed_to"}
    if used - COUNTED_FILTERS or {"area", "area_name"} <= used:
        return None

    def count():
        rows = SiteCount.objects.all() if year is None else AssessedYearCount.objects.all()
        if year is not None:
            rows = rows.filter(year=year)
        place = data.get("area") or data.get("area_name")
        # An area's rows count its own sites and those of the places below it.
        rows = rows.filter(place=place) if place else rows.filter(place__parent__isnull=True)
        if data.get("category"):
            rows = rows.filter(category=data["category"])
        if data.get("condition"):
            rows = rows.filter(condition=data["condition"])
        return rows.aggregate(total=Sum("sites"))["total"] or 0

    return count


def short_words_too_slow():
    """The message of a search with a word of one or two letters that took longer than
    ``SHORT_WORD_SECONDS``: (parameter, label, message)."""
    return (
        "q",
        _("Name"),
        _(
            "A word of one or two letters is looked for in every name of the register, and "
            "this search took too long that way. Add a word of three letters or more, or "
            "narrow the search with the other filters."
        ),
    )


#: Seconds of database time for a listing searched by words of three letters or more
#: (``q``); past them, a 400 that says so. A common word with filters that few of its sites
#: meet is tested site after site, in the listing's order: at 500,000 sites, "mosque" (in
#: 41,777 names) with an organisation's verified assessments since 2000 took 1.3-2.6 s on
#: PostgreSQL and 1.7 s on SQLite (15.6 s with the file out of the system's cache), its last
#: page 1.7-1.8 s and 1.8-5.1 s; the benchmark's searches take a twentieth of this at most
#: with the cache emptied.
SEARCH_SECONDS = 2.0


def search_too_slow():
    """The message of a search that took longer than ``SEARCH_SECONDS``: (parameter, label,
    message)."""
    return (
        "q",
        _("Name"),
        _(
            "Finding the sites with these words and these filters took too long. Type more "
            "letters, or narrow the search by area, category or condition."
        ),
    )


def search_budget(text):
    """(seconds of database time, the problem reported past them) for a search of ``text``
    (``q``): ``SHORT_WORD_SECONDS`` with a word of one or two letters, ``SEARCH_SECONDS``
    otherwise; None for no search (empty or blanks), which has no such limit. The listing and
    the assessments' feed answer a search alike."""
    if not text or not text.strip():
        return None
    if has_short_word(text):
        return SHORT_WORD_SECONDS, short_words_too_slow()
    return SEARCH_SECONDS, search_too_slow()


class SiteListView(FilteredListView):
    """``/sites/``: published sites, filtered, sorted and paginated.

    A search is answered within ``SHORT_WORD_SECONDS`` of database time when it has a word of
    one or two letters, ``SEARCH_SECONDS`` otherwise, or else with a 400 that says so
    (``heritage.query_budget``)."""

    def get(self, request, *args, **kwargs):
        budget = search_budget(request.GET.get("q"))
        if budget is None:
            return super().get(request, *args, **kwargs)
        seconds, problem = budget
        try:
            with within(seconds):
                response = super().get(request, *args, **kwargs)
                # The page's queries run as it is rendered.
                response.render()
        except OverBudget:
            return self.error_response([problem])
        return response

    template_name = "public/site_list.html"
    context_object_name = "sites"
    filterset_class = SiteFilter
    paginator_class = CachedCountPaginator
    #: ``every_site_found``'s queryset, once made.
    _every_site_found = None

    def get_queryset(self):
        # What each listed site shows is read for the page's sites only (``page_rows``).
        return Site.objects.public().order_by("name", "id")

    @staticmethod
    def page_rows(queryset):
        """The page's sites with their latest condition and place, and their name variants
        on a page whose language shows them (``Site.display_name``): an English page names
        each site by its ``name``, and reading the variants of its 25 sites cost it a query
        and a tenth to three tenths of its time at 500,000 sites."""
        rows = queryset.with_latest_condition().select_related("place")
        return rows.prefetch_related("names") if shows_variants() else rows

    def get_paginator(self, *args, **kwargs):
        kwargs["rows"] = self.page_rows
        search = self.filterset.search
        if search is not None and search.broad:
            kwargs["limit"] = BROAD_COUNT_LIMIT
            if search.sparse_close:
                # Close words in a thousand names or more, yet few sites: tested one by one,
                # most of the register was read to count them, and for the last pages. At
                # 500,000 sites "Banow" (1,548 names) took 1.3-2.2 s of database time, its
                # last page 3.9-5.0 s; from the sets of their sites, 46-120 and 27-69 ms.
                kwargs.update(count_from=self.every_site_found, page_ids=self.found_page_ids)
        elif search is not None and search.wide:
            kwargs.update(limit=BROAD_COUNT_LIMIT, ids_first=True, ids_first_from=0)
            if self.filterset.ranked:
                kwargs["page_ids"] = partial(search.page_ids, order=Sort.orderings[Sort.NAME])
        elif search is not None and search.starts_common:
            # Its thousands of sites are ranked and sorted for each page: the page's ids
            # first, from the sites alone, then those sites by their ids from the published
            # ones. Ranked joined to their latest condition and place, the 10,565 sites of
            # "Keğa" at 500,000 sites on PostgreSQL took 291 ms; their page's ids take 159.
            kwargs.update(ids_first=True, ids_first_from=0, rows_from=Site.objects.public())
        elif search is None:
            data = self.filterset.form.cleaned_data
            counter = maintained_count(data)
            assessed = any(data.get(name) for name in ASSESSMENT_FILTERS)
            if counter is None or assessed:
                # Filters on the assessments (verification, organisation, dates) are counted
                # from the sites, which meant testing every site of the register: 0.4-0.55 s
                # at 500,000 sites on PostgreSQL. They are counted up to the limit, as a
                # broad search is; the exports hold every matching site. A whole year's
                # sites are counted exactly by the maintained counts (``counter``), and
                # listed up to the limit too: a page deep among them tests site after site
                # for an assessment of the year (the 1,000th of 2021's pages took 0.2 s).
                kwargs["limit"] = BROAD_COUNT_LIMIT
            kwargs.update(counter=counter, ids_first=True, rows_from=Site.objects.public())
            if data.get("area") or data.get("area_name") or assessed:
                # An area's page, from the first, reads its ids first, from the index of the
                # sites by place (by category too): in one step PostgreSQL walked every
                # published site by name, from the table, until it had found the page's in
                # the area (7,200 sites for the third page of a district at 500,000 sites,
                # 12.5 ms; its ids alone 1.4-2.2), and SQLite sorted the area's whole rows
                # (7-11 ms; its ids alone 0.5-1). So does a page of sites assessed by whom,
                # when or how: PostgreSQL joined the 1,304 sites assessed in ten days to
                # their latest condition and place before sorting them (10 ms; their ids
                # alone, walked in the index by name, 1).
                kwargs["ids_first_from"] = 0
        return super().get_paginator(*args, **kwargs)

    def every_site_found(self):
        """The sites the filters find, the search (parsed already) read as sets of ids
        (``SiteFilter.every_site``), as a map reads them; filtered once a request (the
        assessment filters read their sites' ids as they filter)."""
        if self._every_site_found is None:
            found = self.filterset_class(
                self.request.GET, queryset=Site.objects.public(), request=self.request
            )
            found.every_site = True
            found.search = self.filterset.search
            self._every_site_found = found.qs
        return self._every_site_found

    def found_page_ids(self, queryset, start, stop):
        """The ids of the sites ``start`` to ``stop`` of ``queryset`` (the listing, in its
        order), read from :meth:`every_site_found` in the same order."""
        ordered = self.every_site_found().order_by(*queryset.query.order_by)
        return list(ordered.values_list("pk", flat=True)[start:stop])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context["paginator"]
        context["more_results"] = paginator.more
        # How many match, when more than are listed and the maintained counts know.
        context["all_results"] = paginator.counted if paginator.more and paginator.counter else None
        return context
