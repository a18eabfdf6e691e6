from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public website: pages, exports and files that anyone may read.

    It holds no models: it reads the register (``heritage``) and the inspections
    (``inspections``) through their ``public()`` querysets, and nothing below it imports it.
    """

    name = "public"
    verbose_name = _("Public website")

    def ready(self):
        from public.api import conditional

        conditional.connect()
