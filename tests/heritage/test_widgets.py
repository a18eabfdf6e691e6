import pytest
from django import forms
from django.test.html import parse_html

from heritage.widgets import LongSelect

CHOICES = [("", "Any place"), ("fuzuli", "Fuzuli"), ("q", "Qarğabazar <village> & “quotes”")]


@pytest.mark.parametrize("value", [None, "", "fuzuli", "q", "unknown"])
def test_long_select_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_area", "aria-describedby": "id_area_helptext"}
    ours = LongSelect(choices=CHOICES).render("area", value, attrs)
    django = forms.Select(choices=CHOICES).render("area", value, attrs)
    assert parse_html(ours) == parse_html(django)


def test_long_select_escapes_labels_and_values():
    html = LongSelect(choices=[('"><script>', "<b>bold</b>")]).render("area", None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
