"""Benchmark an import: a sites CSV of N rows previewed and confirmed through the import
job's own steps (the code a worker runs), on SQLite and PostgreSQL.

    python bench/import_bench.py --rows 1000,100000 --databases sqlite,postgresql

Each size and database runs in a process of its own against a new, empty database (an
SQLite file in a temporary folder, or ``heritage_import_bench`` on the PostgreSQL server at
``BENCH_POSTGRES_URL``, dropped and created again), so that the peak memory of each run
(the process's maximum resident set, which includes Django itself) is its own. Both the
elapsed and the processor time of each step are given: on a machine shared with other work
the first grows with the load, the second hardly. Where the rest of the elapsed time went is
given too: the time the process was ready to run but waited for a processor (the kernel's
run-queue delay, ``/proc/self/schedstat``; the load of other work), and the time spent
waiting on the database's answers, with the number of queries (``connection.execute_wrapper``).
On SQLite the database runs in the process, so its time is part of the processor time; so is
its page cache (``SQLITE_CACHE_MB``, 64 MB by default) part of the process's memory. The file
adds every site anew on its first import; the preview and the confirmation each read all
of it. It is written to the job a chunk at a time, as an upload is, so the benchmark never
holds it whole. Besides the peak of the whole run, each step gives the resident memory
before it and its own peak (``VmHWM`` after a reset, ``/proc/self/clear_refs``). Prints one
table row per run.
"""

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_DATABASE = "heritage_import_bench"
PLACES = 50


def sites_csv(rows, lines_a_chunk=1000):
    """A sites file of ``rows`` new sites in PLACES places, with two name variants each, as
    chunks of bytes (as an upload's ``chunks()``): the benchmark never holds the whole file,
    so that the memory it measures is the import's."""
    lines = ["slug,name,category,place,latitude,longitude,year_from,year_to,description,names"]
    for number in range(rows):
        lines.append(
            f"bench-site-{number},Bench site {number},mosque,bench-place-{number % PLACES},"
            f"39.{number % 9000:04d},46.{number % 7000:04d},{1700 + number % 200},1950,"
            f"A site of the benchmark; number {number}.,"
            f"az:Məscid {number}|ru/Cyrl:Мечеть {number}"
        )
        if len(lines) == lines_a_chunk:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


def resident_mb(field):
    """``VmRSS`` (resident now) or ``VmHWM`` (the peak since the last :func:`reset_peak`) of
    this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak():
    """Start measuring this process's peak resident memory afresh (Linux 4.0 and later)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Stopwatch:
    """Elapsed, processor, run-queue and database time (seconds) and queries of one step."""

    def __init__(self):
        self.queries = 0
        self.database = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.database += time.perf_counter() - started
            self.queries += 1

    @staticmethod
    def run_queue_wait():
        try:
            return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return float("nan")

    def measure(self, step):
        from django.db import connection

        waited = self.run_queue_wait()
        resident = resident_mb("VmRSS")
        reset_peak()
        started, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(self):
            step()
        return {
            "elapsed": time.perf_counter() - started,
            "cpu": time.process_time() - cpu,
            "waiting": self.run_queue_wait() - waited,
            "database": self.database,
            "queries": self.queries,
            "before": resident,
            "peak": resident_mb("VmHWM"),
        }


def figures(step):
    return (
        " ".join(f"{step[name]:.1f}" for name in ("elapsed", "cpu", "waiting", "database"))
        + f" {step['queries']} {step['before']:.0f} {step['peak']:.0f}"
    )


def run_one(rows):
    """In this process (DATABASE_URL set, migrated): preview and confirm ``rows`` rows."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from heritage.imports.jobs import confirm_import, preview_import, start_confirm
    from heritage.models import ImportJob, ImportStatus, Place, Site

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    Place.objects.bulk_create(
        Place(slug=f"bench-place-{n}", name=f"Bench place {n}", kind="district")
        for n in range(PLACES)
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            model="heritage.site", user=user, file_name="bench.csv", file_format=0
        )
        job.store_file(sites_csv(rows))
    preview = Stopwatch().measure(lambda: preview_import.call(job.pk))
    job.refresh_from_db()
    assert job.status == ImportStatus.READY, job.outcome.get("problems", [])[:3]
    start_confirm(job)
    confirm = Stopwatch().measure(lambda: confirm_import.call(job.pk))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.outcome.get("problems", [])[:3])
    assert Site.objects.count() == rows
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {rows} {figures(preview)} {figures(confirm)} {peak:.0f}")


def fresh_database(vendor, folder, name=BENCH_DATABASE):
    if vendor == "sqlite":
        path = Path(folder) / "import-bench.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = f"{POSTGRES.rstrip('/')}/{name}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "create_database.py"), url, "--recreate"],
        check=True,
    )
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-database",
        default=BENCH_DATABASE,
        help="the PostgreSQL database to drop and create for each run (default: %(default)s)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        return run_one(options.one)
    step = (
        "{0} (s) | {0} CPU (s) | {0} CPU wait (s) | {0} database (s) | {0} queries "
        "| before {0} (MB) | {0} peak (MB)"
    )
    print(
        f"| database | rows | {step.format('preview')} | {step.format('confirm')} "
        "| peak memory (MB) | load average |"
    )
    print("|---|---:" + "|---:" * 15 + "|---|")
    with tempfile.TemporaryDirectory() as folder:
        for vendor in options.databases.split(","):
            for rows in (int(n) for n in options.rows.split(",")):
                url = fresh_database(vendor, folder, options.postgres_database)
                env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "bench"}
                env.pop("REDIS_URL", None)
                subprocess.run(
                    [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
                    env=env,
                    check=True,
                )
                output = subprocess.run(
                    [sys.executable, __file__, "--one", str(rows)],
                    env=env,
                    check=True,
                    text=True,
                    capture_output=True,
                ).stdout
                result = [line for line in output.splitlines() if line.startswith("RESULT")]
                _word, *values = result[-1].split()
                load = " ".join(f"{value:.1f}" for value in os.getloadavg())
                print(f"| {vendor} | {' | '.join(values)} | {load} |", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
