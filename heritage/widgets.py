"""Form widgets for the public filter forms."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A ``<select>`` rendered in Python rather than through a template per option.

    Django renders each option through the form renderer's templates, which costs about a
    tenth of a millisecond per option: a select of every place in a large register (a few
    thousand villages) took most of a page's time. This renders the same HTML (no option
    groups) with plain string joins. Every label and value is escaped.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option_value,
                    mark_safe(" selected") if str(option_value) in selected else "",
                    label,
                )
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)
