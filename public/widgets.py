"""Form widgets for the public filter forms."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from heritage.cache import cached, cached_under


def _escape(value):
    """What ``django.utils.html.conditional_escape`` returns, as plain text and faster."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class LazyOptions(BaseChoiceIterator):
    """Options of a select after a blank one, read when the form is rendered (so an export,
    which never renders the form, does not pay for them) and only once per form.

    ``options`` returns [(value, label)]; the selectors behind the long lists cache theirs
    until the register changes (``heritage.cache``). As a choice iterator it is left as it
    is by Django's normalizing of choices, which would otherwise read it at once and walk
    every option again. With ``cache_name``, a :class:`LongSelect` also caches the options'
    HTML under that name, and under ``options.version()`` when the options have one (see
    ``public.selectors.options``), or else until the register changes.
    """

    def __init__(self, blank_label, options, cache_name=None):
        self.blank_label = blank_label
        self.options = options
        self.cache_name = cache_name
        self.cache = None

    def items(self):
        """The options after the blank one."""
        if self.cache is None:
            self.cache = list(self.options())
        return self.cache

    def __iter__(self):
        yield ("", self.blank_label)
        yield from self.items()


def option_html(value, label, selected):
    marker = " selected" if selected else ""
    return f'<option value="{_escape(value)}"{marker}>{_escape(label)}</option>'


class LongSelect(forms.Select):
    """A ``<select>`` rendered in Python rather than through a template per option.

    Django renders each option through the form renderer's templates, which costs about a
    tenth of a millisecond per option: a select of every place in a large register (a few
    thousand places) took most of a page's time. This renders the same HTML (no option
    groups) with plain string joins; every label and value is escaped. The options of
    :class:`LazyOptions` with a cache name are escaped and joined once until the register
    changes, and only the chosen option is marked on each request.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        choices = self.choices
        if isinstance(choices, LazyOptions) and choices.cache_name:
            lines = [option_html("", choices.blank_label, "" in selected)]
            cached_lines = self.cached_options(choices, selected - {""})
            options = "\n".join([*lines, cached_lines] if cached_lines else lines)
        else:
            options = "\n".join(
                option_html(str(option_value), label, str(option_value) in selected)
                for option_value, label in choices
            )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), mark_safe(options))

    @staticmethod
    def cached_options(choices, selected):
        """The options after the blank one, from the cache, with ``selected`` marked."""

        def compute():
            return "\n".join(
                option_html(str(option_value), label, False)
                for option_value, label in choices.items()
            )

        key = f"options-html:{choices.cache_name}:{get_language()}"
        version = getattr(choices.options, "version", None)
        if version is None:
            options = cached(key, compute)
        else:
            options = cached_under(f"{key}:{version()}", compute)
        for chosen in selected:
            plain = f'<option value="{_escape(chosen)}">'
            options = options.replace(plain, f"{plain[:-1]} selected>", 1)
        return options
