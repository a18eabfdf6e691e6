"""Atom feeds: ``/feeds/assessments.atom`` (newly published condition assessments, filtered
by any parameters of ``/sites/``), ``/feeds/visits.atom`` (new and updated visits) and
``/feeds/sources.atom`` (new sources).

Only published records of the public pages appear, newest first, at most
:data:`FEED_LENGTH` of them, each read in a fixed number of queries however many entries
there are. Each entry links to the record's page, its id is the record's permanent address
(``public.views.permalinks``), and it carries the record's verification level both in its
summary and as an Atom ``category``: an assessment its own level, a visit the levels of its
published findings, a source (the ground of verification, with no level of its own) its
kind. An invalid filter parameter is a plain-text 400 naming it, as for the exports.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import connection, transaction
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heritage.models import Site, Source
from heritage.models.names import shows_variants
from heritage.models.site_search import AmongIntegers
from heritage.query_budget import OverBudget, within
from inspections.models import Assessment, Verification, Visit
from public.filters import SiteFilter
from public.filters.sites import READ_FROM_SITES
from public.views.listing import by_ids, describe_error
from public.views.permalinks import permalink
from public.views.sites import search_budget

#: Entries in a feed.
FEED_LENGTH = 50
#: A filtered feed of assessments matching at most this many sites reads their assessments
#: through the assessments' index of sites; one matching more walks the newest assessments
#: (see ``AssessmentFeed.walked``).
FEW_SITES = 1000


class InvalidFeedParameters(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.text = "\n".join(describe_error(*error) for error in errors) + "\n"


class RegisterAtomFeed(Atom1Feed):
    """Atom, with each entry's categories given a human-readable ``label`` (and a
    ``scheme`` when there is one) besides the ``term`` that Django's generator writes."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for category in item["labelled_categories"]:
            handler.addQuickElement("category", "", category)


@dataclass
class FeedRequest:
    """What a feed is asked for: the request and, for the assessments, the filter."""

    request: object
    filterset: object = None


def at_midnight(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


def verification_category(request, level):
    """An Atom category for a verification level; its scheme is the listing of sites at that
    level (append the term)."""
    return {
        "term": level,
        "label": str(Verification(level).label),
        "scheme": request.build_absolute_uri(reverse("site-list")) + "?verification=",
    }


class RegisterFeed(Feed):
    """What the register's feeds share: Atom, the register as author, the 400 answer."""

    feed_type = RegisterAtomFeed
    author_name = gettext_lazy("Heritage damage register")

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFeedParameters as invalid:
            return HttpResponse(invalid.text, status=400, content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        return FeedRequest(request)

    def items(self, obj):
        items = self.newest(obj)
        for item in items:
            # The same record has the same id in every language's feed: its unprefixed
            # permanent address.
            with translation.override(settings.LANGUAGE_CODE):
                item.feed_guid = obj.request.build_absolute_uri(permalink(item))
            item.feed_categories = self.categories_of(obj.request, item)
        return items

    def newest(self, obj):
        return list(self.records(obj)[:FEED_LENGTH])

    def item_guid(self, item):
        return item.feed_guid

    def item_guid_is_permalink(self, item):
        return True

    def item_extra_kwargs(self, item):
        return {"labelled_categories": item.feed_categories}

    def item_pubdate(self, item):
        return item.reviewed_at or at_midnight(self.record_date(item))

    def item_updateddate(self, item):
        return self.item_pubdate(item)


class AssessmentFeed(RegisterFeed):
    """Newly published condition assessments of the sites ``/sites/`` lists with the same
    parameters (``area``, ``category``, ``condition``… see :class:`SiteFilter`). A search
    is answered within the listing's time (``public.views.sites.search_budget``), or else
    with a 400 that says so, as the listing's is. At 500,000 sites, the feed of
    "synthetic-district-1" (close words in most names) walked the assessments for 4 s on
    PostgreSQL."""

    def __call__(self, request, *args, **kwargs):
        budget = search_budget(request.GET.get("q"))
        if budget is None:
            return super().__call__(request, *args, **kwargs)
        seconds, problem = budget
        try:
            with within(seconds):
                return super().__call__(request, *args, **kwargs)
        except OverBudget:
            return HttpResponse(
                describe_error(*problem) + "\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )

    def get_object(self, request, *args, **kwargs):
        query = request.GET.copy()
        query.pop("page", None)
        filterset = SiteFilter(
            query, queryset=Site.objects.public().with_latest_condition(), request=request
        )
        if not filterset.is_valid():
            raise InvalidFeedParameters(filterset.error_list())
        return FeedRequest(request, filterset)

    def title(self, obj):
        area = obj.filterset.form.cleaned_data.get("area")
        if area is not None:
            return _("Condition assessments in %(area)s – Heritage damage register") % {
                "area": area.name
            }
        if obj.filterset.form.has_changed():
            return _("Condition assessments of selected sites – Heritage damage register")
        return _("Condition assessments – Heritage damage register")

    def subtitle(self, obj):
        return _("Newly published condition assessments, with their verification level.")

    def link(self, obj):
        query = QueryDict(mutable=True)
        query.update(obj.filterset.data)
        return reverse("site-list") + (f"?{query.urlencode()}" if query else "")

    def records(self, obj):
        return Assessment.objects.public().select_related(
            "site", "overall_condition", "assessed_by"
        )

    def walked(self, obj):
        """The public assessments of the matching sites, newest first.

        When few sites match (a village's: ``FEW_SITES`` at most), their assessments are
        read through the assessments' index of sites, and the newest kept. Otherwise only
        the assessments' ids are read, newest first, so that the walk reads the feed's
        indexes alone (they end with the site and the visit) and checks each entry's site
        (a semi-join on the matching sites) as it goes, stopping after the feed's entries.
        The walk costs the more entries the rarer the matching sites' assessments are: for
        a village of 278 sites at 500,000 sites it read about 80,000 of them (292 ms on
        PostgreSQL), where the village's own 741 took 2.5 ms."""
        assessments = Assessment.objects.public()
        if not any(obj.filterset.form.cleaned_data.get(name) for name in obj.filterset.filters):
            return assessments
        sites = obj.filterset.qs.order_by().values("pk")
        few = list(sites.values_list("pk", flat=True)[: FEW_SITES + 1])
        if len(few) <= FEW_SITES:
            return assessments.filter(AmongIntegers("site_id", few))
        data = obj.filterset.form.cleaned_data
        if connection.vendor == "sqlite" and any(data.get(name) for name in READ_FROM_SITES):
            # Each entry's site is tested as the walk passes it: SQLite would first list
            # every matching site, testing every public site against these filters (an
            # organisation's feed: 1.4 s at 500,000 sites). The sites of an area, a category
            # or a condition are listed through indexes, and faster than tested one by one
            # (a district's feed: 59 ms listed, 91 tested).
            return assessments.filter(Exists(sites.filter(pk=OuterRef("site_id"))))
        # ``+ 0``: the matching sites are a list checked on the walk, not a way in through
        # the assessments' index of sites (which would sort all of a district's).
        return assessments.alias(walked_site=F("site_id") + 0).filter(walked_site__in=sites)

    def newest(self, obj):
        """The most recently published first; then, if the feed is not full, those whose
        publication time is not recorded (loaded from fixtures or imports), by date. Two
        walks rather than one ``NULLS LAST`` ordering, so that each can follow an index
        (``inspections_assess_feed2_idx``, ``inspections_assess_undated_idx``) on SQLite and
        PostgreSQL alike; then the records themselves, by id."""
        walked = self.walked(obj)
        with one_process_a_walk():
            found = list(
                walked.filter(reviewed_at__isnull=False)
                .order_by("-reviewed_at", "-assessed_on", "-id")
                .values_list("pk", flat=True)[:FEED_LENGTH]
            )
            if len(found) < FEED_LENGTH:
                found += (
                    walked.filter(reviewed_at__isnull=True)
                    .order_by("-assessed_on", "-id")
                    .values_list("pk", flat=True)[: FEED_LENGTH - len(found)]
                )
        if not found:
            return []
        items = by_ids(self.records(obj), found)
        if shows_variants():
            # The items' titles name their sites in the feed's language (English needs none).
            prefetch_related_objects(items, "site__names")
        return items

    def record_date(self, item):
        return item.assessed_on

    def categories_of(self, request, item):
        return [verification_category(request, item.verification)]

    def item_title(self, item):
        condition = (
            item.overall_condition.localized_label()
            if item.overall_condition
            else _("condition not recorded")
        )
        return f"{item.site.display_name()}: {condition}"

    def item_link(self, item):
        return f"{item.site.get_absolute_url()}#assessment-{item.pk}"

    def item_description(self, item):
        date = date_format(item.assessed_on)
        if item.assessed_by:
            assessed = _("Assessed on %(date)s by %(body)s.") % {
                "date": date,
                "body": item.assessed_by.name,
            }
        else:
            assessed = _("Assessed on %(date)s.") % {"date": date}
        level = _("Verification level: %(level)s.") % {"level": item.get_verification_display()}
        return format_html("<p>{}</p><p>{}</p>", assessed, level)


@contextmanager
def one_process_a_walk():
    """Queries that walk an index and stop after a feed's entries, each made by one process:
    PostgreSQL otherwise starts parallel workers that each walk part of the index, which for
    a district's feed at 500,000 sites took 23-28 ms (105 ms for the first in a new
    connection) against 8-19 alone. A transaction of its own holds the setting
    (``SET LOCAL``); other databases have no parallel workers."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def last_saved(model):
    """When each record was last saved, from its edit history (None for a record loaded
    from a fixture and never saved since)."""
    history = model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return Subquery(history.values("history_date")[:1])


class VisitFeed(RegisterFeed):
    """Published visits, the most recently published or changed first."""

    def title(self, obj):
        return _("Visits – Heritage damage register")

    def subtitle(self, obj):
        return _("New and updated visits, with the verification levels of their findings.")

    def link(self, obj):
        return reverse("visit-list")

    def records(self, obj):
        findings = Assessment.objects.public().only("id", "visit_id", "verification")
        return (
            Visit.objects.public()
            .annotate(last_saved=last_saved(Visit))
            .prefetch_related(
                "organisations",
                Prefetch("assessments", queryset=findings, to_attr="public_findings"),
            )
            .order_by(
                Coalesce("last_saved", "reviewed_at").desc(nulls_last=True),
                "-start_date",
                "-id",
            )
        )

    def record_date(self, item):
        return item.start_date

    def item_updateddate(self, item):
        return max(
            (date for date in (item.last_saved, self.item_pubdate(item)) if date),
            default=timezone.now(),
        )

    def levels(self, item):
        return sorted({finding.verification for finding in item.public_findings})

    def categories_of(self, request, item):
        return [verification_category(request, level) for level in self.levels(item)]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_description(self, item):
        levels = self.levels(item)
        organisations = ", ".join(organisation.name for organisation in item.organisations.all())
        sentences = [
            _("Started on %(date)s (%(kind)s, %(status)s).")
            % {
                "date": date_format(item.start_date),
                "kind": item.get_kind_display(),
                "status": item.get_status_display(),
            }
        ]
        if organisations:
            sentences.append(_("Organisations: %(names)s.") % {"names": organisations})
        if levels:
            labels = ", ".join(str(Verification(level).label) for level in levels)
            sentences.append(
                _("Verification levels of its findings: %(levels)s.") % {"levels": labels}
            )
        else:
            sentences.append(_("No published findings yet."))
        return format_html_join("", "<p>{}</p>", ((sentence,) for sentence in sentences))


class SourceFeed(RegisterFeed):
    """Newly published sources."""

    def title(self, obj):
        return _("Sources – Heritage damage register")

    def subtitle(self, obj):
        return _("Newly published sources: what the register's claims rest on.")

    def link(self, obj):
        return reverse("home")

    def records(self, obj):
        return Source.objects.public().order_by(
            F("reviewed_at").desc(nulls_last=True), F("published_on").desc(nulls_last=True), "-id"
        )

    def record_date(self, item):
        return item.published_on or datetime.date(1970, 1, 1)

    def categories_of(self, request, item):
        return [{"term": item.kind, "label": item.get_kind_display()}]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_description(self, item):
        by = item.publisher or item.author
        kind = item.get_kind_display()
        return format_html(
            "<p>{}</p><p>{}</p>",
            f"{kind}, {by}" if by else kind,
            _("A source has no verification level of its own: the register's claims rest on it."),
        )
