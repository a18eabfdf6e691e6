from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations.demo import DEMO_FIXTURES
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
        call_command("loaddata", *[str(path) for path in DEMO_FIXTURES], verbosity=0)
        self.stdout.write(f"Loaded the demo data ({len(DEMO_FIXTURES)} fixture files).")
