"""WSGI entry point: ``heritage.wsgi:application`` for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")

application = get_wsgi_application()
