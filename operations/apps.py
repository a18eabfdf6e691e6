from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the register: demo data, the local administrator, backups and restores, and
    the synthetic register of the benchmarks. No models of its own."""

    name = "operations"
    label = "operations"
    verbose_name = _("Operations")
