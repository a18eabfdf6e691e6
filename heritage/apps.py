from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Heritage register")

    def ready(self):
        from heritage import cache, signals  # noqa: F401  (signals connects its receivers)

        cache.connect()
        # Once a ``migrate``, not once an app.
        post_migrate.connect(cache.raise_after_migrate, sender=self, dispatch_uid="versions")
