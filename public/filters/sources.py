"""Filters of the register of sources (``/sources/``).

``q`` searches titles, authors and publishers; ``kind`` is the kind of document; ``publisher``
an organisation's slug; ``publisher_kind`` the kind of organisation that publishes it (so a
reader can list, say, every state-owned outlet); ``language``, ``year`` and ``cited``
(``yes``: something public cites it; ``no``: nothing does). A value that is not one of
these is refused with a 400 naming the parameter, as on the other listings.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heritage.models import Organisation, OrganisationKind, Source, SourceKind
from public.filters.base import ParameterFilterSet, SlugChoiceFilter, YearFilter
from public.source_selectors import cited_condition
from public.widgets import LongSelect

#: The longest search text accepted.
MAX_QUERY_LENGTH = 200


class SourceFilter(ParameterFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Words in the title, the author or the publisher."),
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of source"),
        choices=SourceKind.choices,
        empty_label=_("Any kind"),
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of source.")},
    )
    publisher = SlugChoiceFilter(
        label=_("Publisher"),
        field_name="publisher_organisation",
        queryset=Organisation.objects.order_by("name", "id"),
        to_field_name="slug",
        empty_label=_("Any publisher"),
        widget=LongSelect,
        error_messages={"invalid_choice": _("There is no organisation “%(value)s”.")},
    )
    publisher_kind = django_filters.ChoiceFilter(
        label=_("Kind of publisher"),
        field_name="publisher_organisation__kind",
        choices=OrganisationKind.choices,
        empty_label=_("Any kind of publisher"),
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of organisation.")},
    )
    language = django_filters.CharFilter(
        label=_("Language"),
        max_length=12,
        help_text=_("A language code, such as en, az or ar."),
        method="filter_language",
        error_messages={"max_length": _("A language code has at most %(limit_value)d characters.")},
    )
    year = YearFilter(
        label=_("Year of publication"),
        field_name="published_on",
    )
    cited = django_filters.ChoiceFilter(
        label=_("Cited"),
        choices=[("yes", _("Cited by a published record")), ("no", _("Cited by nothing"))],
        empty_label=_("Cited or not"),
        method="filter_cited",
        error_messages={"invalid_choice": _("“%(value)s” is not “yes” or “no”.")},
    )

    class Meta:
        model = Source
        fields = ["q", "kind", "publisher", "publisher_kind", "language", "year", "cited"]

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(author__icontains=word)
                | Q(publisher__icontains=word)
                | Q(publisher_organisation__name__icontains=word)
            )
        return queryset

    def filter_language(self, queryset, name, value):
        value = value.strip().lower()
        return queryset.filter(Q(language=value) | Q(language__startswith=f"{value}-"))

    def filter_cited(self, queryset, name, value):
        cited = cited_condition()
        return queryset.filter(cited if value == "yes" else ~cited)
