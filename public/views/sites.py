"""``/sites/``: the filtered listing of published sites (parameters: :class:`SiteFilter`)."""

import hashlib

from django.utils.functional import cached_property

from heritage.cache import cached
from heritage.models import Site
from heritage.models.site_search import BROAD_COUNT_LIMIT
from public.filters import SiteFilter
from public.views.listing import FilteredListView, Paginator


class CachedCountPaginator(Paginator):
    """Counts the matching sites once per set of filters until the register changes.

    Counting half a million sites takes tens of milliseconds on every page of every
    visitor; the count is cached under the query's SQL and the register version (see
    ``heritage.cache``), so any edit makes it stale at once.

    With a ``limit``, at most that many sites are counted and listed: ``more`` tells
    whether more match (a broad search, see ``SiteSearch.broad``).
    """

    def __init__(self, *args, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit

    @cached_property
    def counted(self):
        sql, params = self.object_list.query.sql_with_params()
        key = "site-count:" + hashlib.sha256(repr((sql, params, self.limit)).encode()).hexdigest()
        if self.limit is None:
            return cached(key, self.object_list.count)
        # One site more than the limit tells that there are more; no order is needed to
        # count them, and the database stops reading once it has found that many.
        return cached(key, self.object_list.order_by().values("pk")[: self.limit + 1].count)

    @property
    def count(self):
        return self.counted if self.limit is None else min(self.counted, self.limit)

    @property
    def more(self):
        return self.limit is not None and self.counted > self.limit


class SiteListView(FilteredListView):
    """``/sites/``: published sites, filtered, sorted and paginated."""

    template_name = "public/site_list.html"
    context_object_name = "sites"
    filterset_class = SiteFilter
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        return Site.objects.public().for_listing().prefetch_related("names")

    def get_paginator(self, *args, **kwargs):
        search = self.filterset.search
        if search is not None and search.broad:
            kwargs["limit"] = BROAD_COUNT_LIMIT
        return super().get_paginator(*args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["more_results"] = context["paginator"].more
        return context
