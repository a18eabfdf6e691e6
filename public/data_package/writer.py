"""Writing the data package: every table as CSV, the sites as GeoJSON and the register as
Linked Art JSON-LD, described by ``datapackage.json``, zipped into one file beside a small
manifest (its date, size and SHA-256) that ``/data/`` reads.

Every file is streamed to disk from querysets read in chunks, and the zip is written from
those files, so memory stays flat however large the register.
"""

import csv
import datetime
import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from heritage.cache import bump_version
from heritage.models import Site
from public import selectors
from public.data_package.tables import public_site_tables, stream
from public.licence import DATA_LICENCE
from public.linked_data.linked_art import site_document
from public.linked_data.queries import linked_data_sites
from public.views.exports import ExportLabels, geojson_lines, spreadsheet_safe

PACKAGE_NAME = "heritage-damage-register"
#: The packages' file names: the time they were written, in UTC.
FILE_PATTERN = re.compile(r"^heritage-register-\d{8}-\d{6}\.zip$")
MANIFEST_SUFFIX = ".json"
#: Sites read at a time for the JSON-LD: each comes with its names, assessments and their
#: citations, so fewer than the tables' rows keep the memory of a chunk small.
LINKED_DATA_CHUNK_SIZE = 500


@dataclass
class Written:
    path: Path
    size: int
    sha256: str
    created: datetime.datetime
    rows: dict


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return spreadsheet_safe(value)


def write_table(table, path):
    rows = table.rows()
    if isinstance(rows, QuerySet):
        rows = stream(rows)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow([column.name for column in table.columns])
        for row in rows:
            writer.writerow([cell(column.value(row)) for column in table.columns])
            count += 1
    return count


def write_geojson(path, origin):
    sites = Site.objects.public().for_listing().with_localized_name("en")
    with path.open("w", encoding="utf-8") as output:
        for part in geojson_lines(stream(sites), ExportLabels(), origin):
            output.write(part)


def write_linked_data(path, origin):
    context_url = origin + reverse("linked-data-context")
    with path.open("w", encoding="utf-8") as output:
        output.write(json.dumps({"@context": context_url})[:-1] + ', "@graph": [\n')
        separator = ""
        for site in linked_data_sites().iterator(chunk_size=LINKED_DATA_CHUNK_SIZE):
            document = site_document(site, site.public_assessments, origin, context_url)
            del document["@context"]
            output.write(separator + json.dumps(document, ensure_ascii=False))
            separator = ",\n"
        output.write("\n]}\n")


def descriptor(tables, created):
    return {
        "name": PACKAGE_NAME,
        "title": "Heritage damage register",
        "description": (
            "The published records of the register: sites, their names, places, "
            "organisations, sources, claims, visits, condition assessments, citations and "
            "reported figures, with the sites as GeoJSON and the register as Linked Art "
            "(CIDOC-CRM) JSON-LD. Only published records; a site whose location is withheld "
            "is given at its place's coordinates."
        ),
        "created": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [DATA_LICENCE],
        "resources": [
            *(
                {
                    "name": table.name,
                    "title": table.title,
                    "path": f"{table.name}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": table.schema(),
                }
                for table in tables
            ),
            {
                "name": "sites-geojson",
                "title": "Sites as GeoJSON (RFC 7946)",
                "path": "sites.geojson",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
            },
            {
                "name": "register-jsonld",
                "title": "Sites and condition assessments as Linked Art / CIDOC-CRM JSON-LD",
                "path": "register.jsonld",
                "format": "jsonld",
                "mediatype": "application/ld+json",
                "encoding": "utf-8",
            },
        ],
    }


def sha256_of(path):
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_package(directory, origin, now=None):
    """Write a package of the published register into ``directory``; its links start with
    ``origin`` (``https://register.example.org``). Returns what was written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    name = f"heritage-register-{created:%Y%m%d-%H%M%S}.zip"
    origin = origin.rstrip("/")
    with translation.override("en"), tempfile.TemporaryDirectory(dir=directory) as work:
        work = Path(work)
        conditions = {term.pk: term.label for term in selectors.overall_condition_terms()}
        tables = public_site_tables(origin, conditions)
        rows = {table.name: write_table(table, work / f"{table.name}.csv") for table in tables}
        write_geojson(work / "sites.geojson", origin)
        write_linked_data(work / "register.jsonld", origin)
        (work / "datapackage.json").write_text(
            json.dumps(descriptor(tables, created), indent=2, ensure_ascii=False), "utf-8"
        )
        partial = work / name
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in ["datapackage.json", *(f"{t.name}.csv" for t in tables)]:
                archive.write(work / member, member)
            archive.write(work / "sites.geojson", "sites.geojson")
            archive.write(work / "register.jsonld", "register.jsonld")
        target = directory / name
        os.replace(partial, target)
    written = Written(target, target.stat().st_size, sha256_of(target), created, rows)
    manifest = {
        "file": name,
        "created": written.created.isoformat(),
        "size": written.size,
        "sha256": written.sha256,
        "rows": rows,
    }
    manifest_path = directory / f"{name}{MANIFEST_SUFFIX}"
    manifest_path.write_text(json.dumps(manifest, indent=2), "utf-8")
    # The /data/ page shows the newest package: its ETag and kept copy follow the register's
    # version, which a new package raises.
    bump_version()
    return written


def latest_package(directory):
    """The manifest of the newest complete package in ``directory``, or None."""
    directory = Path(directory)
    if not directory.is_dir():
        return None
    names = sorted(
        path.name
        for path in directory.iterdir()
        if FILE_PATTERN.match(path.name) and path.with_name(path.name + MANIFEST_SUFFIX).exists()
    )
    if not names:
        return None
    manifest = json.loads((directory / f"{names[-1]}{MANIFEST_SUFFIX}").read_text("utf-8"))
    manifest["created"] = datetime.datetime.fromisoformat(manifest["created"])
    return manifest


def remove_unused(directory, keep):
    """Delete all but the ``keep`` newest packages (and their manifests)."""
    directory = Path(directory)
    names = sorted(path.name for path in directory.iterdir() if FILE_PATTERN.match(path.name))
    for name in names[: max(len(names) - keep, 0)]:
        (directory / name).unlink(missing_ok=True)
        (directory / f"{name}{MANIFEST_SUFFIX}").unlink(missing_ok=True)
