from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from operations.demo import DEMO_FIXTURES
from operations.history import history_start
from operations.synthetic import synthetic_sites


class Command(BaseCommand):
    help = (
        "Load the demo data (the ICESCO findings in Fuzuli, Gargabazar and Gochahmadli). "
        "Rows are matched by natural key, so running it again changes nothing."
    )

    def handle(self, *args, **options):
        if synthetic_sites().exists():
            raise CommandError(
                "This database holds a synthetic register made for performance measurement; "
                "the demo data must not be mixed with it. Load the demo into another database."
            )
        # loaddata loads all files in one transaction: a broken file changes nothing.
        # Raw saves add no history entry, but setting many-to-many values would add one per
        # field: none while loading, and one entry per record afterwards.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", *[str(path) for path in DEMO_FIXTURES], verbosity=0)
        # The records' public history starts with their state as loaded.
        history_start(reason="Loaded from the demo data")
        self.stdout.write(f"Loaded the demo data ({len(DEMO_FIXTURES)} fixture files).")
