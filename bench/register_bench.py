"""Benchmark the public pages on synthetic registers of several sizes and databases.

For each database (SQLite, PostgreSQL) and each size, this builds a synthetic register in a
database of its own (``manage.py migrate`` and ``manage.py generate_register``; a register
already built at that size is reused), then runs ``bench/measure_pages.py`` against it and
prints one table, which it also writes to ``bench/results.md``; then, for each database
measured at several sizes, how each page's figures grew from the smallest size to the
largest (``growth``): the figures that grew more than ``MAX_GROWTH`` times, and the queries
that differ, against the target of at most twice the time and as many queries.

    python bench/register_bench.py --sizes 10000,500000 --databases sqlite,postgresql

PostgreSQL is reached at ``BENCH_POSTGRES_URL`` (default: the local server as user
postgres); each size gets a database named ``heritage_bench_<size>``. SQLite files go to
``bench/data/``. Both are kept so that a second run measures without rebuilding.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.md"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
#: The most a page's time may grow from the smallest register measured to the largest.
MAX_GROWTH = 2.0
#: The figures of a page compared across sizes: (key in a page's figures, heading).
TIMES = (
    ("p95_ms", "warm p95"),
    ("cold_ms", "cold"),
    ("edit_cold_ms", "after an edit"),
    ("edited_p50_ms", "after edits, p50"),
    ("counted_p50_ms", "after edits that move counts, p50"),
)
QUERIES = (
    ("queries", "warm"),
    ("cold_queries", "cold"),
    ("edit_cold_queries", "after an edit"),
)


def database_url(vendor, size):
    if vendor == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DATA / f'register-{size}.sqlite3'}"
    return f"{POSTGRES.rstrip('/')}/heritage_bench_{size}"


def manage(url, *args, capture=False):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def ensure_postgres_database(url):
    name = url.rsplit("/", 1)[1]
    import psycopg

    with psycopg.connect(f"{POSTGRES.rstrip('/')}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def site_count(url):
    result = manage(
        url,
        "shell",
        "-c",
        "from heritage.models import Site; print(Site.objects.count())",
        capture=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def build(vendor, size):
    """The database URL of a register of ``size`` sites, built if needed; and build seconds."""
    url = database_url(vendor, size)
    if vendor == "postgresql":
        ensure_postgres_database(url)
    manage(url, "migrate", "--verbosity", "0")
    existing = site_count(url)
    if existing == size:
        return url, None
    if existing:
        raise SystemExit(f"{url} holds {existing} sites, not {size}: delete it and run again.")
    started = time.perf_counter()
    manage(url, "generate_register", "--sites", str(size))
    seconds = time.perf_counter() - started
    if vendor == "postgresql":
        manage(url, "dbshell", "--", "-c", "VACUUM ANALYZE")
    return url, seconds


def measure(url, repeat):
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure_pages.py"), "--repeat", str(repeat)],
        env=env,
        check=True,
        text=True,
        capture_output=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def edited(page, kind="edited"):
    if page.get(f"{kind}_p50_ms") is None:
        return ""
    return f"{page[f'{kind}_p50_ms']:.1f} / {page[f'{kind}_max_ms']:.1f}"


def table(runs):
    lines = [
        "| database | cache | sites | page | KB | p50 ms | p95 ms | queries | time in database "
        "| cold ms (queries) | after an edit ms (queries) | after edits: p50 / max ms "
        "| after edits that move counts: p50 / max ms |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for name, page in run["pages"].items():
            lines.append(
                f"| {run['vendor']} | {run['cache']} | {run['sites']:,} | {name} | "
                f"{page['bytes'] / 1000:.1f} | {page['p50_ms']:.1f} | "
                f"{page['p95_ms']:.1f} | {page['queries']} | {page['db_share']:.0%} | "
                f"{page['cold_ms']:.1f} ({page['cold_queries']}) | "
                f"{page['edit_cold_ms']:.1f} ({page['edit_cold_queries']}) | {edited(page)} | "
                f"{edited(page, 'counted')} |"
            )
    lines += [
        "",
        "| database | sites | build s | first request of the process ms | warm-up pass ms "
        "| GeoJSON export rows | s | rows/s | peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        export = run["export"]
        build = f"{run['build_seconds']:.0f}" if run["build_seconds"] else "reused"
        lines.append(
            f"| {run['vendor']} | {run['sites']:,} | {build} | {run['first_request_ms']:.1f} | "
            f"{run['warm_up_ms']:.0f} | {export['rows']:,} | "
            f"{export['seconds']:.1f} | {export['rows_per_s']:,.0f} | {export['peak_mib']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def growth(runs):
    """The growth table of ``runs`` (``measure``'s answers): for each database measured at
    two sizes or more, each page's times at the largest size over those at the smallest,
    the ones above ``MAX_GROWTH`` listed, with the queries that differ; and how many of the
    compared figures that is. Empty when no database was measured at two sizes."""
    lines = []
    for vendor in dict.fromkeys(run["vendor"] for run in runs):
        measured = sorted(
            (run for run in runs if run["vendor"] == vendor), key=lambda r: r["sites"]
        )
        if len(measured) < 2 or measured[0]["sites"] == measured[-1]["sites"]:
            continue
        small, large = measured[0], measured[-1]
        compared, over, differ = 0, [], []
        for name, page in large["pages"].items():
            before = small["pages"].get(name)
            if before is None:
                continue
            for key, heading in TIMES:
                if before.get(key) is None or page.get(key) is None:
                    continue
                compared += 1
                if not before[key]:
                    continue
                ratio = page[key] / before[key]
                if ratio > MAX_GROWTH:
                    over.append((name, heading, before[key], page[key], ratio))
            for key, heading in QUERIES:
                if before.get(key) != page.get(key):
                    differ.append((name, heading, before.get(key), page.get(key)))
        lines += [
            "",
            f"Growth on {vendor}, {small['sites']:,} → {large['sites']:,} sites: "
            f"{len(over)} of {compared} times grew more than {MAX_GROWTH:g}×; "
            f"the queries of {len(differ)} figures differ.",
        ]
        if over:
            lines += [
                "",
                f"| page | figure | {small['sites']:,} ms | {large['sites']:,} ms | growth |",
                "|---|---|---:|---:|---:|",
            ]
            lines += [
                f"| {name} | {heading} | {low:.1f} | {high:.1f} | {ratio:.1f}× |"
                for name, heading, low, high, ratio in over
            ]
        if differ:
            lines += [
                "",
                f"| page | queries | at {small['sites']:,} | at {large['sites']:,} |",
                "|---|---|---:|---:|",
            ]
            lines += [
                f"| {name} | {heading} | {low} | {high} |" for name, heading, low, high in differ
            ]
    return "\n".join(lines) + "\n" if lines else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,500000", help="comma-separated site counts")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    vendors = [vendor.strip() for vendor in args.databases.split(",")]
    unknown = set(vendors) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database: {', '.join(sorted(unknown))}")
    runs = []
    for vendor in vendors:
        for size in sizes:
            print(f"== {vendor}, {size:,} sites", file=sys.stderr)
            url, seconds = build(vendor, size)
            run = measure(url, args.repeat)
            run["build_seconds"] = seconds
            runs.append(run)
    output = table(runs) + growth(runs)
    RESULTS.write_text(output, encoding="utf-8")
    print(output)
    print(f"Written to {RESULTS.relative_to(ROOT)}.", file=sys.stderr)


if __name__ == "__main__":
    main()
