from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Visits and assessments")

    def ready(self):
        from inspections import project_sites, status  # noqa: F401  (connects the receivers)
