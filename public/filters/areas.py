"""The listings' area picker: a select of districts (and the places above them) and a text
field for a finer area (a city, a village), by name or slug. ``/sites/`` (``area`` and
``area_name``) and ``/visits/`` (``place`` and ``place_name``) use it.

The select lists only places at district level and above, so that the listing's HTML stays
small however many villages the register knows; finer areas are typed, with suggestions as
one types (``/sites/areas/suggest`` and static/js/suggest.js) and without JavaScript alike.
A name that matches no place, or several, makes the form invalid: the listing answers 400
and names the places to choose from. The select's parameter still takes any place's slug,
so that older addresses keep their meaning; the form then shows that place in the text
field (:class:`AreaPickerForm`), where it stays chosen when the form is sent again.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _

from heritage.models import Place, PlaceName
from heritage.text import fold
from public.selectors import AREA_SELECT_KINDS

#: The longest area name accepted, in characters.
MAX_AREA_NAME_LENGTH = 200
#: Places named in a message about an ambiguous name, at most.
MAX_NAMED = 5


def places_named(text):
    """Places whose slug is ``text``, or else whose name or a name variant is ``text`` in
    any spelling (compared folded, as the search does): one or two queries."""
    by_slug = list(Place.objects.filter(slug=text.strip()).select_related("parent")[:1])
    if by_slug:
        return by_slug
    folded = fold(text)
    if not folded:
        return []
    variants = PlaceName.objects.filter(folded=folded).values("place_id")
    return list(
        Place.objects.filter(Q(name__iexact=text.strip()) | Q(pk__in=variants))
        .select_related("parent")
        .order_by("name", "pk")[: MAX_NAMED + 1]
    )


def describe_place(place):
    if place.parent is not None:
        return _("%(name)s (%(kind)s in %(parent)s; slug %(slug)s)") % {
            "name": place.name,
            "kind": place.get_kind_display(),
            "parent": place.parent.name,
            "slug": place.slug,
        }
    return _("%(name)s (%(kind)s; slug %(slug)s)") % {
        "name": place.name,
        "kind": place.get_kind_display(),
        "slug": place.slug,
    }


class AreaNameField(forms.CharField):
    """A place by its slug or its name; the cleaned value is the ``Place`` or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_AREA_NAME_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        places = places_named(text)
        if not places:
            raise forms.ValidationError(
                _(
                    "No area is called “%(name)s”. Choose a district, or type the name "
                    "of a city or village as the suggestions give it."
                ),
                code="unknown_area",
                params={"name": text},
            )
        if len(places) > 1:
            raise forms.ValidationError(
                _(
                    "Several areas are called “%(name)s”: %(places)s. Give the slug of "
                    "the one you mean."
                ),
                code="ambiguous_area",
                params={
                    "name": text,
                    "places": "; ".join(describe_place(place) for place in places[:MAX_NAMED]),
                },
            )
        return places[0]


class AreaNameInput(forms.TextInput):
    """A text field with its own list of suggestions, filled by static/js/suggest.js."""

    LIST_ID = "area-suggestions"

    def __init__(self):
        super().__init__(
            attrs={
                "list": self.LIST_ID,
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("area-suggestions"),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return field + format_html('<datalist id="{}"></datalist>', self.LIST_ID)


class AreaNameFilter(django_filters.Filter):
    """A place by its slug or name, typed in an :class:`AreaNameInput`."""

    field_class = AreaNameField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AreaNameInput)
        super().__init__(*args, **kwargs)


class AreaPickerForm(forms.Form):
    """A filter form with an area picker: the select named ``area_select`` and the text field
    named ``area_text``.

    A place the select does not offer (a city or a village) may still be given by its slug
    in the select's parameter, as older addresses do: it filters as before, and the form
    shows it in the text field, and the select at its blank option, so that sending the
    form again keeps it rather than dropping it.
    """

    area_select = None
    area_text = None

    def clean(self):
        cleaned_data = super().clean()
        place = cleaned_data.get(self.area_select)
        if (
            place is not None
            and self.area_text in self.fields
            and place.kind not in AREA_SELECT_KINDS
            and not self.data.get(self.area_text)
        ):
            shown = self.data.copy()
            shown[self.area_select] = ""
            shown[self.area_text] = place.slug
            self.data = shown
        return cleaned_data
