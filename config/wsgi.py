"""WSGI entry point: ``config.wsgi:application`` for gunicorn or any WSGI server.

Each process builds Django's table of URL names for every language before its first
request: built on demand, the table of each language took the first page rendered in that
process about 0.1 s more (every page links to itself in each language), once per worker
after each restart."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def build_url_tables():
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")


build_url_tables()
