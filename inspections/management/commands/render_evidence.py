from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from heritage.progress import ProgressBar
from inspections.evidence.storage import evidence_render
from inspections.models import Evidence, EvidenceKind
from inspections.tasks import render_photos


class Command(BaseCommand):
    help = (
        "Make the thumbnail and web-size renditions of evidence photos again from their "
        "original files (after a change of rendition sizes, or to repair missing files). "
        "Originals are only read, never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids",
            nargs="*",
            type=int,
            metavar="ID",
            help="Only these evidence items (default: every photo).",
        )
        parser.add_argument(
            "--missing", action="store_true", help="Only photos that lack a rendition."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the photos for a worker (manage.py db_worker) instead of rendering here.",
        )

    def handle(self, *args, ids, missing, quiet, background, **options):
        photos = Evidence.objects.filter(kind=EvidenceKind.PHOTO).order_by("pk")
        if ids:
            unknown = sorted(set(ids) - set(photos.filter(pk__in=ids).values_list("pk", flat=True)))
            if unknown:
                raise CommandError(
                    "No evidence photo with the id "
                    + ", ".join(str(pk) for pk in unknown)
                    + " (documents have no renditions)."
                )
            photos = photos.filter(pk__in=ids)
        if missing:
            photos = photos.filter(thumbnail="") | photos.filter(web="")
        total = photos.count()
        if background:
            result = render_photos.enqueue(list(photos.values_list("pk", flat=True)))
            self.stdout.write(f"Queued {total} photo{'s' if total != 1 else ''} (job {result.id}).")
            return
        progress = None
        if total and not quiet:
            self.stderr.ending = ""  # the bar is redrawn in place
            progress = ProgressBar(self.stderr, "photos")
        failures = []
        for done, item in enumerate(photos.iterator(chunk_size=200), start=1):
            try:
                evidence_render(evidence=item)
            except ValidationError as error:
                failures.append(f"{item.pk}: {' '.join(error.messages)}")
            except OSError as error:
                failures.append(f"{item.pk}: {error}")
            if progress:
                progress(done, total)
        if failures:
            raise CommandError(
                f"{len(failures)} of {total} photos could not be rendered:\n" + "\n".join(failures)
            )
        self.stdout.write(f"Rendered {total} photo{'s' if total != 1 else ''}.")
