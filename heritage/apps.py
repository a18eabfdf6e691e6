from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Heritage register")

    def ready(self):
        from heritage import signals  # noqa: F401  (connects the receivers)
