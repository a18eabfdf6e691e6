"""``{% load language_tags %}``: the page the visitor is on, in each language.

Public pages have one address per language (``config.urls``); :func:`page_languages` gives
the same page (same path parameters and query string) in every language, for the language
switcher's links and the ``hreflang`` alternates. A page that has no address per language
(the API's docs, an unknown address) gets an empty list, so neither is shown there.
"""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """[{code, name, bidi, url, absolute_url, current}] for each language of the site, the
    current one marked; empty when the page has no address per language."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    error = "exception" in context
    # The head's alternates and the switcher both ask: the list is made once a page.
    made = request.__dict__.setdefault("_page_languages", {})
    if (current, error) not in made:
        made[current, error] = languages_of(request, current, error)
    return made[current, error]


def languages_of(request, current, error):
    """What :func:`page_languages` gives for ``request`` in the language ``current``; each
    language's home on an error page (``error``)."""
    full_path = request.get_full_path()
    if error:
        # An error page (not found, forbidden) has no page to offer in another language,
        # and echoing the address asked for would only repeat it: each language's home.
        full_path = reverse("home")
    urls = {code: translate_url(full_path, code) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):
        return []
    languages = []
    for code, url in urls.items():
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"],
                # Django's own table marks Azerbaijani right to left (its Arabic script);
                # the register writes it in Latin script, as LANGUAGES_BIDI says.
                "bidi": code in settings.LANGUAGES_BIDI,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return languages


@register.simple_tag(takes_context=True)
def default_language_url(context, languages):
    """The absolute address of the page in the site's default language (``x-default``)."""
    for language in languages:
        if language["code"] == settings.LANGUAGE_CODE:
            return language["absolute_url"]
    return ""
