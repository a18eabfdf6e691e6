from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Heritage register")

    def ready(self):
        from heritage import cache, signals  # noqa: F401  (signals connects its receivers)

        cache.connect()
