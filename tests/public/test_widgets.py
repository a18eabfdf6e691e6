"""The select of long option lists renders as Django's own, from options read lazily and
cached."""

import pytest
from django import forms
from django.test.html import parse_html

from public.widgets import LazyOptions, LongSelect
from tests.public.pages import assert_shows

CHOICES = [("", "Any place"), ("fuzuli", "Fuzuli"), ("q", "Qarğabazar <village> & “quotes”")]


@pytest.mark.parametrize("value", [None, "", "fuzuli", "q", "unknown"])
def test_long_select_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_area", "aria-describedby": "id_area_helptext"}
    ours = LongSelect(choices=CHOICES).render("area", value, attrs)
    django = forms.Select(choices=CHOICES).render("area", value, attrs)
    assert parse_html(ours) == parse_html(django)


def test_long_select_escapes_labels_and_values():
    html = LongSelect(choices=[('"><script>', "<b>bold</b>")]).render("area", None)
    assert_shows(
        html,
        shown=["&lt;b&gt;bold&lt;/b&gt;"],
        hidden=["<script>", "<b>"],
    )


def lazy(cache_name):
    return LazyOptions("Any place", lambda: CHOICES[1:], cache_name=cache_name)


@pytest.mark.parametrize("value", [None, "", "fuzuli", "q", "unknown"])
@pytest.mark.parametrize("cache_name", [None, "places"])
def test_long_select_of_lazy_options_renders_what_djangos_select_renders(value, cache_name):
    attrs = {"id": "id_area"}
    for _ in range(2):  # the second time from the cache, when it has a name
        ours = LongSelect(choices=lazy(cache_name)).render("area", value, attrs)
        django = forms.Select(choices=CHOICES).render("area", value, attrs)
        assert parse_html(ours) == parse_html(django)


def test_cached_options_mark_only_the_chosen_option():
    LongSelect(choices=lazy("places")).render("area", "q")
    html = LongSelect(choices=lazy("places")).render("area", "fuzuli")
    assert html.count(" selected") == 1
    assert '<option value="fuzuli" selected>' in html


def test_lazy_options_are_not_read_until_rendered():
    def unread():
        raise AssertionError("read too early")

    widget = LongSelect(choices=LazyOptions("Any place", unread, cache_name="places"))
    # Django looks at the first option only, the blank one.
    assert widget.use_required_attribute(None)
