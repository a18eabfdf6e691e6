"""Atom feeds of what happened after the damage: ``/feeds/restoration.atom`` (published
restoration projects) and ``/feeds/commitments.atom`` (published commitments), newest
published first.

They follow the register's other feeds (``public.views.feeds``): published records only, at
most ``FEED_LENGTH`` entries read in a fixed number of queries, each entry linking to the
record's page with an id that is the same in every language. A project or a commitment has
no verification level of its own (its status updates each rest on a source), so an entry's
categories are its kind and its current status, as the register's pages give it.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from inspections.models import Commitment, CommitmentStatus, ProjectStatus, RestorationProject
from public.views.feeds import FEED_LENGTH, RegisterFeed
from public.views.listing import by_ids


class RecoveryFeed(RegisterFeed):
    """A feed whose entries are identified by their page's unprefixed address."""

    def newest(self, obj):
        """The ids of the newest entries, then those records with what they show: read in
        one query, each record's current status (a subquery) was worked out for every
        public record before the newest were kept (15,000 projects at 500,000 sites:
        0.2 s on PostgreSQL)."""
        records = self.records(obj)
        return by_ids(records, list(records.values_list("pk", flat=True)[:FEED_LENGTH]))

    def items(self, obj):
        items = self.newest(obj)
        for item in items:
            with translation.override(settings.LANGUAGE_CODE):
                item.feed_guid = obj.request.build_absolute_uri(item.get_absolute_url())
            item.feed_categories = self.categories_of(obj.request, item)
        return items

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()


def status_category(status, label):
    return {"term": status, "label": str(label)}


class RestorationFeed(RecoveryFeed):
    """Newly published restoration projects."""

    def title(self, obj):
        return _("Restoration projects – Heritage damage register")

    def subtitle(self, obj):
        return _("Newly published restoration projects, with their current status.")

    def link(self, obj):
        return reverse("restoration-list")

    def records(self, obj):
        return (
            RestorationProject.objects.public()
            .with_current_status()
            .select_related("site")
            .order_by(F("reviewed_at").desc(nulls_last=True), "-id")
        )

    def record_date(self, item):
        """The date of an entry published without a review time (loaded from a fixture):
        the start of the work, or the earliest date a feed can say."""
        return item.start_date or datetime.date(1970, 1, 1)

    def categories_of(self, request, item):
        status = item.current_status
        categories = [{"term": item.kind, "label": item.get_kind_display()}]
        if status:
            categories.append(status_category(status, ProjectStatus(status).label))
        return categories

    def item_description(self, item):
        status = item.current_status
        return format_html(
            "<p>{}</p><p>{}</p>",
            _("%(kind)s of %(site)s") % {"kind": item.get_kind_display(), "site": item.site.name},
            ProjectStatus(status).label if status else _("No status reported by a source yet."),
        )


class CommitmentFeed(RecoveryFeed):
    """Newly published commitments."""

    def title(self, obj):
        return _("Commitments – Heritage damage register")

    def subtitle(self, obj):
        return _("Newly published commitments, with what their sources report of them.")

    def link(self, obj):
        return reverse("commitment-list")

    def records(self, obj):
        return (
            Commitment.objects.public()
            .with_current_status()
            .select_related("by_organisation", "by_person")
            .order_by(F("reviewed_at").desc(nulls_last=True), "-made_on", "-id")
        )

    def record_date(self, item):
        return item.made_on

    def categories_of(self, request, item):
        status = item.current_status or CommitmentStatus.UNKNOWN
        return [
            {"term": item.kind, "label": item.get_kind_display()},
            status_category(status, CommitmentStatus(status).label),
        ]

    def item_description(self, item):
        committer = item.committer()
        return format_html(
            "<p>{}</p><p>{}</p>",
            _("Committed by %(who)s") % {"who": committer} if committer else item.title,
            item.current_status_label(),
        )
