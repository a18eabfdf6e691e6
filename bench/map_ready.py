"""How long the home page's map takes to be ready in a real browser, and what its script
fetches, on an existing register (the benchmark's, say) served by the production stack.

    python bench/map_ready.py --database-url postgres://postgres@127.0.0.1:5432/heritage_bench_500000
    python bench/map_ready.py --database-url sqlite:///bench/data/register-500000.sqlite3 --runs 5
    python bench/map_ready.py --database-url … --path '/sites/?verification=verified'

It collects the static files into a temporary folder, starts gunicorn with debug mode off on
127.0.0.1 (Redis as the cache when ``BENCH_REDIS_URL``, default database 14 of the local
server, answers; that database is emptied first, so the first run meets an empty cache), then
opens ``/`` (or ``--path``: the listing with its filters, whose map shows its results) in
headless Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``) ``--runs``
times, each in a new browser profile, and for each run prints:

- the milliseconds from the start of navigation until the map has drawn its first data
  (``static/js/map.js`` sets the container's ``data-map-mode`` to ``clusters`` or ``sites``
  once it has drawn what ``/sites/map.json`` answered for the visible box);
- the requests the map's script made to ``/sites/map.json`` and the bytes they returned;
- the markers and clusters drawn.

Requests to any other host (map tiles) are aborted, so nothing leaves the machine. The
register is only read. Exit status 0 when every run got ready within ``--timeout`` seconds.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import (  # noqa: E402
    HOST,
    LoadTestError,
    free_port,
    manage,
    redis_answers,
    start_gunicorn,
    stop,
    wait_until_healthy,
)

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def environment(database_url, folder):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "map-ready-benchmark-only",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(Path(folder) / "static"),
    }
    if redis_answers(REDIS_URL):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        env.update({"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": "map-ready"})
        return env, "Redis cache, emptied before the first run"
    env.pop("REDIS_URL", None)
    return env, "no Redis (cache in each worker's memory)"


def one_run(browser, origin, path, timeout):
    """Open the page at ``path`` in a new profile; what the map did."""
    context = browser.new_context()
    page = context.new_page()
    own_host = urlsplit(origin).netloc
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == own_host else route.abort()
        ),
    )
    fetched = []

    def on_response(response):
        if "/sites/map.json" in response.url:
            fetched.append(len(response.body()))

    page.on("response", on_response)
    try:
        page.goto(origin + path, wait_until="commit")
        page.locator(".map[data-map-mode]").first.wait_for(state="attached", timeout=timeout * 1000)
        ready_ms = page.evaluate("performance.now()")
        drawn = page.evaluate(
            "[document.querySelectorAll('.map .map-marker').length,"
            " document.querySelectorAll('.map .map-cluster').length]"
        )
    finally:
        context.close()
    return {
        "ready_ms": round(ready_ms, 1),
        "map_requests": len(fetched),
        "map_bytes": sum(fetched),
        "markers": drawn[0],
        "clusters": drawn[1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the register to serve")
    parser.add_argument("--runs", type=int, default=5, help="page loads, each in a new profile")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--timeout", type=int, default=60, help="seconds a run may take")
    parser.add_argument("--path", default="/", help="the page whose map is timed")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"No Chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="heritage-map-ready-") as folder:
        env, cache_note = environment(args.database_url, folder)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        port = free_port()
        log = open(Path(folder) / "gunicorn.log", "w+", encoding="utf-8")  # noqa: SIM115
        server = start_gunicorn(env, port, args.workers, log)
        runs = []
        try:
            wait_until_healthy(server, port)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
                )
                for number in range(1, args.runs + 1):
                    started = time.perf_counter()
                    run = one_run(browser, f"http://{HOST}:{port}", args.path, args.timeout)
                    run["run"] = number
                    run["wall_ms"] = round((time.perf_counter() - started) * 1000, 1)
                    runs.append(run)
                    print(json.dumps(run), file=sys.stderr)
                browser.close()
        except LoadTestError:
            log.seek(0)
            sys.stderr.write(log.read())
            raise
        finally:
            stop(server)
            log.close()
    ready = [run["ready_ms"] for run in runs]
    print(
        json.dumps(
            {
                "cache": cache_note,
                "workers": args.workers,
                "runs": runs,
                "first_ready_ms": ready[0],
                "median_ready_ms": statistics.median(ready),
                "max_map_bytes": max(run["map_bytes"] for run in runs),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LoadTestError as error:
        print(f"Map benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
