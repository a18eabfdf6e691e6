"""Load test: the production stack (gunicorn, WhiteNoise, PostgreSQL, Redis) on the loopback
interface, driven by wrk for a fixed time.

    python bench/loadtest.py [--duration 20] [--connections 8] [--workers 3] [--sites 10000]
                             [--proxy]

What it does, and stops by itself after:

1. Builds a synthetic register of ``--sites`` sites (``manage.py generate_register``) in a
   database of its own, ``LOADTEST_DATABASE_URL`` (default: the PostgreSQL database
   ``heritage_loadtest`` on the local server as user postgres; a ``sqlite:///…`` URL names
   an SQLite file instead), and keeps it for the next run; it is rebuilt when the size
   changes.
2. Collects the static files into a temporary folder and starts gunicorn with debug mode off
   on 127.0.0.1, at a free port, with Redis as the cache when ``LOADTEST_REDIS_URL`` (default
   the local Redis) answers.
3. Checks that every path of the mix answers 200, warms the workers up, then runs wrk for
   ``--duration`` seconds on each of three scenarios, one after the other: a mix of public
   pages, the site listing alone, and the trivial health-check view (``/healthz``: one
   ``SELECT 1``) as the baseline of what the same server does with almost no work.
4. With ``--proxy``, also starts nginx (Debian's ``nginx-light``) on another free port as
   the caching reverse proxy the README describes, in front of the same gunicorn, and runs
   the public mix and the listing again through it: what visitors meet when the pages'
   ``Cache-Control`` lets a shared cache keep them.
   With ``--distinct N``, also two scenarios of N distinct addresses each, shuffled: a
   public mix (dossiers, listing pages and filters, searches, area pages, visits, the map's
   data at many boxes) and the listing alone (pages, filters, searches). Each address is
   asked for about once in a run, so these measure the pages' own work rather than the
   kept pages that a mix of a few addresses meets after its first round.
5. Prints requests per second, median and 99th-percentile latency and the error count of
   each (errors: failed connections, reads, writes, time-outs, and answers other than 2xx or
   3xx), and the listing's throughput as a share of the trivial view's; then stops gunicorn
   (and nginx).

It sends requests to 127.0.0.1 only. wrk comes from Debian's packages (``apt-get install
wrk``); without it the test says so and stops. Exit status: 0 when no request failed.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.create_database import create_database  # noqa: E402

#: The only address this test sends requests to.
HOST = "127.0.0.1"
LUA = ROOT / "bench" / "loadtest.lua"
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heritage_loadtest"
)
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0")
#: The prefix of the load test's keys in Redis, which it deletes before each run.
CACHE_PREFIX = "heritage-loadtest"

#: Python code run by ``manage.py shell`` that prints the paths of the public mix as JSON.
PICK_PATHS = """
import json
from django.contrib.staticfiles.storage import staticfiles_storage
from heritage.models import Place, Site, SiteName
sites = Site.objects.public().order_by("pk").values_list("slug", flat=True)
count = sites.count()
dossiers = [f"/sites/{sites[index]}/" for index in range(0, count, max(1, count // 8))][:8]
district = Place.objects.filter(kind="district").order_by("pk").first()
village = Place.objects.filter(kind="village").order_by("pk").first()
word = SiteName.objects.filter(script="Latn").order_by("pk").first().name.split()[0]
print(json.dumps([
    "/",
    "/sites/",
    "/sites/?page=2",
    "/sites/?page=last",
    f"/sites/?q={word}",
    "/sites/?condition=Destroyed",
    f"/sites/?area={district.slug}",
    "/sites/?category=mosque&sort=-assessed",
    *dossiers,
    "/visits/",
    "/figures/",
    f"/sites/export.geojson?area={village.slug}",
    staticfiles_storage.url("css/site.css"),
    staticfiles_storage.url("js/map.js"),
]))
"""


#: Python code run by ``manage.py shell`` that prints, as JSON, about ``{count}`` distinct
#: public addresses (dossiers, listing pages and filters, searches, area pages, visits and the
#: map's data at many boxes), shuffled, and about ``{count}`` distinct listing addresses: what
#: many visitors asking for different things meet, where a kept page seldom answers.
PICK_DISTINCT = """
import json, random
from urllib.parse import urlencode
from django.contrib.staticfiles.storage import staticfiles_storage
from heritage.models import Place, Site, SiteCategory, SiteName
from inspections.models import OverallCondition, Visit
count = {count}
rng = random.Random(20261203)
ids = list(Site.objects.public().values_list("slug", flat=True).order_by("pk")[: count * 20])
dossiers = [f"/sites/{{slug}}/" for slug in rng.sample(ids, min(len(ids), count * 2 // 5))]
places = list(Place.objects.values_list("slug", "kind", "latitude", "longitude"))
rng.shuffle(places)
districts = [slug for slug, kind, _lat, _lon in places if kind == "district"]
categories = [value for value, _label in SiteCategory.choices]
conditions = list(OverallCondition.objects.values_list("label", flat=True))
words = list(
    SiteName.objects.filter(script="Latn").values_list("name", flat=True).order_by("pk")[:5000]
)
words = sorted({{name.split()[0] for name in words if len(name.split()[0]) > 3}})
pages = max(1, Site.objects.public().count() // 25)
listing = set()
# A small register holds fewer distinct addresses than asked for: stop once a thousand
# picks in a row found none new (the scenario's table says how many it drove).
unchanged = 0
while len(listing) < count and unchanged < 1000:
    held = len(listing)
    choice = rng.random()
    if choice < 0.3 and pages > 1:
        listing.add(f"/sites/?page={{rng.randint(2, min(pages, 400))}}")
    elif 0.3 <= choice < 0.6 and districts and conditions:
        listing.add("/sites/?" + urlencode({{
            "category": rng.choice(categories),
            "condition": rng.choice(conditions),
            "area": rng.choice(districts),
        }}))
    elif 0.6 <= choice < 0.8 and districts:
        listing.add(f"/sites/?area={{rng.choice(districts)}}&page={{rng.randint(1, 5)}}")
    elif choice >= 0.8 and words:
        listing.add("/sites/?" + urlencode({{"q": rng.choice(words)}}))
    unchanged = unchanged + 1 if len(listing) == held else 0
listing = sorted(listing)
rng.shuffle(listing)
mixed = dossiers + listing[: count // 5]
mixed += [f"/areas/{{slug}}/" for slug, *_rest in places[: count // 10]]
visits = list(Visit.objects.public().values_list("slug", flat=True)[: count // 20])
mixed += [f"/visits/{{slug}}/" for slug in visits]
for slug, kind, lat, lon in places[: count // 5]:
    if lat is None:
        continue
    zoom = rng.choice([8, 10, 12, 14])
    width = 1200 / 256 * 360 / 2**zoom
    lon, lat = float(lon), float(lat)
    box = (lon - width / 2, lat - width / 3, lon + width / 2, lat + width / 3)
    mixed.append("/sites/map.json?bbox=" + ",".join(f"{{v:.4f}}" for v in box) + f"&zoom={{zoom}}")
mixed += ["/", "/statistics/", staticfiles_storage.url("css/site.css")]
rng.shuffle(mixed)
print(json.dumps({{"mix": mixed, "listing": listing}}))
"""


class LoadTestError(Exception):
    pass


def url(port, path):
    if not path.startswith("/"):
        raise LoadTestError(f"Not a path on this server: {path!r}")
    return f"http://{HOST}:{port}{path}"


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
        timeout=1800,
    )
    if result.returncode != 0:
        raise LoadTestError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout if capture else None


def redis_answers(redis_url):
    try:
        import redis

        return bool(redis.Redis.from_url(redis_url, socket_timeout=2).ping())
    except Exception:
        return False


def forget_cached(redis_url, prefix):
    """Delete the load test's keys (those under its ``prefix``) from Redis, and nothing
    else. The register's versions live in the cache, not in the database: a run against
    another register would otherwise meet the first one's kept pages and place trees under
    the same versions (a district's listing of the register of 10,000 sites, answered for
    that of 500,000, and areas the other register lacks answered 400)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    for keys in batched(client.scan_iter(match=f"{prefix}:*", count=1000), 1000):
        client.delete(*keys)


def batched(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def is_sqlite(database_url):
    return database_url.startswith("sqlite:")


def sqlite_file(database_url):
    return Path(database_url.removeprefix("sqlite://"))


def create_register_database(recreate=False):
    """The load test's database: a PostgreSQL database, or an SQLite file (deleted first
    with ``recreate``)."""
    if not is_sqlite(DATABASE_URL):
        create_database(DATABASE_URL, recreate=recreate)
    elif recreate:
        sqlite_file(DATABASE_URL).unlink(missing_ok=True)


def prepare_register(env, sites):
    """Migrate the load test's database and fill it with ``sites`` synthetic sites."""
    create_register_database()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    count_code = "from heritage.models import Site; print(Site.objects.count())"
    existing = int(manage(env, "shell", "-c", count_code, capture=True).split()[-1])
    if existing == sites:
        print(f"Reusing the register of {sites:,} synthetic sites.", file=sys.stderr)
        return
    print(f"Building a register of {sites:,} synthetic sites...", file=sys.stderr)
    create_register_database(recreate=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "generate_register", "--sites", str(sites), "--quiet")
    if not is_sqlite(DATABASE_URL):
        manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")


def wait_until_healthy(server, port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadTestError("gunicorn stopped before answering; see its log above.")
        try:
            with urllib.request.urlopen(url(port, "/healthz"), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise LoadTestError(f"gunicorn did not answer /healthz within {timeout} s.")


def check_paths(port, paths):
    """Every path of the mix must answer 200 before it is measured."""
    for path in paths:
        try:
            with urllib.request.urlopen(url(port, path), timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise LoadTestError(f"{path} answered {status}, not 200.")


def run_wrk(port, paths, *, duration, connections, threads, folder):
    listing = Path(folder) / f"paths-{len(paths)}-{abs(hash(tuple(paths)))}.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    command = [
        "wrk",
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--script",
        str(LUA),
        url(port, "/"),
    ]
    result = subprocess.run(
        command,
        env={**os.environ, "LOADTEST_PATHS": str(listing)},
        text=True,
        capture_output=True,
        check=False,
        timeout=duration + 60,
    )
    for line in result.stdout.splitlines():
        if line.startswith("LOADTEST_RESULT "):
            return json.loads(line.removeprefix("LOADTEST_RESULT "))
    raise LoadTestError(f"wrk gave no result:\n{result.stdout}{result.stderr}")


def summarise(name, paths, result):
    seconds = result["duration_us"] / 1e6
    return {
        "scenario": name,
        "paths": len(paths),
        "requests": result["requests"],
        "rps": result["requests"] / seconds if seconds else 0.0,
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": sum(result["errors"].values()),
    }


def report(rows, settings):
    lines = [
        settings,
        "",
        "| scenario | paths | requests | requests/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['scenario']} | {row['paths']} | {row['requests']:,} | {row['rps']:,.1f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} |"
        )
    by_name = {row["scenario"]: row for row in rows}
    trivial = by_name["trivial view"]
    for name in ("site listing", "site listing, distinct addresses"):
        if name in by_name and trivial["rps"]:
            listing = by_name[name]
            lines += [
                "",
                f"The {name} answers {listing['rps']:,.1f} requests/s, "
                f"{listing['rps'] / trivial['rps']:.1%} of the trivial view's "
                f"{trivial['rps']:,.1f} on the same server.",
            ]
    return "\n".join(lines)


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=8, help="open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--sites", type=int, default=10000, help="synthetic sites")
    parser.add_argument(
        "--proxy", action="store_true", help="also measure through nginx's cache in front"
    )
    parser.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="also drive mixes of this many distinct addresses (0: not)",
    )
    args = parser.parse_args()
    for name in ("duration", "connections", "threads", "workers", "sites"):
        if not 1 <= getattr(args, name) <= 1_000_000:
            parser.error(f"--{name} must be a positive number")
    if not 0 <= args.distinct <= 100_000:
        parser.error("--distinct must be between 0 and 100000")
    if args.threads > args.connections:
        parser.error("--threads must not exceed --connections")
    return args


def server_environment():
    """(environment of the server and of manage.py, a note on the cache in use)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": DATABASE_URL,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    if redis_answers(REDIS_URL):
        env.update({"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": CACHE_PREFIX})
        return env, "Redis cache"
    env.pop("REDIS_URL", None)
    return env, "no Redis (cache in each worker's memory)"


def start_gunicorn(env, port, workers, log):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--graceful-timeout",
            "10",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


#: The caching proxy of the README's "HTTP caching and a reverse proxy", in a folder of its
#: own: {folder}, {port}, {upstream} and {static} are filled in.
NGINX_CONF = """
worker_processes 1;
user root;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=heritage:50m max_size=2g
                     inactive=10m use_temp_path=off;
    upstream app {{ server {upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; expires max; }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache heritage;
            proxy_cache_key $scheme$host$request_uri$http_accept_language;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_bypass $cookie_sessionid $cookie_csrftoken;
            proxy_no_cache $cookie_sessionid $cookie_csrftoken;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def start_nginx(folder, port, upstream_port, static):
    """nginx as a caching proxy in front of gunicorn, on ``port``; (process, log path)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise LoadTestError("--proxy needs nginx: apt-get install nginx-light")
    root = Path(folder) / "nginx"
    root.mkdir()
    conf = root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            folder=root, port=port, upstream=f"{HOST}:{upstream_port}", static=static
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [nginx, "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error_log = root / "nginx-error.log"
            text = error_log.read_text() if error_log.exists() else ""
            raise LoadTestError(f"nginx stopped before answering:\n{text}")
        try:
            with urllib.request.urlopen(url(port, "/healthz"), timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise LoadTestError("nginx did not answer /healthz within 20 s.")


def cache_status(port, path):
    """What nginx's cache did for ``path``, asked twice (the second may be a HIT)."""
    status = ""
    for _attempt in range(2):
        with urllib.request.urlopen(url(port, path), timeout=30) as response:
            response.read()
            status = response.headers.get("X-Cache-Status", "")
    return status


def measure(port, mix, args, folder, distinct=None):
    """Warm the server up on the mix, then drive each scenario; the rows of the report.
    With ``distinct`` ({"mix": paths, "listing": paths}), two scenarios more of many
    distinct addresses, each asked for about once: the pages' own work, seldom a kept page."""
    scenarios = [
        ("public mix", mix),
        ("site listing", ["/sites/"]),
        ("trivial view", ["/healthz"]),
    ]
    if distinct:
        scenarios += [
            ("public mix, distinct addresses", distinct["mix"]),
            ("site listing, distinct addresses", distinct["listing"]),
        ]
    return drive(port, scenarios, mix, args, folder)


def drive(port, scenarios, mix, args, folder):
    """Warm ``port`` up on the mix, then run each of ``scenarios`` [(name, paths)]."""
    load = {"connections": args.connections, "threads": args.threads, "folder": folder}
    print("Warming up...", file=sys.stderr)
    run_wrk(port, mix, duration=3, **load)
    rows = []
    for name, paths in scenarios:
        print(f"Measuring {name} for {args.duration} s...", file=sys.stderr)
        result = run_wrk(port, paths, duration=args.duration, **load)
        rows.append(summarise(name, paths, result))
    return rows


def measure_through_proxy(port, mix, args, folder, static):
    """The public mix and the listing again, through nginx's cache in front of ``port``."""
    proxy_port = free_port()
    proxy = start_nginx(folder, proxy_port, port, static)
    try:
        statuses = {path: cache_status(proxy_port, path) for path in ("/", "/sites/")}
        print(f"nginx cache on a second request: {statuses}", file=sys.stderr)
        scenarios = [
            ("public mix through nginx's cache", mix),
            ("site listing through nginx's cache", ["/sites/"]),
        ]
        return drive(proxy_port, scenarios, mix, args, folder)
    finally:
        stop(proxy)


def main():
    args = parse_arguments()
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed, so the load test cannot run.\n"
            "Install it from Debian's packages:  apt-get install wrk",
            file=sys.stderr,
        )
        return 2
    env, cache_note = server_environment()
    if "REDIS_URL" in env:
        forget_cached(REDIS_URL, CACHE_PREFIX)
    with tempfile.TemporaryDirectory(prefix="heritage-loadtest-") as folder:
        env["STATIC_ROOT"] = str(Path(folder) / "static")
        prepare_register(env, args.sites)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        mix = json.loads(manage(env, "shell", "-c", PICK_PATHS, capture=True).splitlines()[-1])
        distinct = None
        if args.distinct:
            code = PICK_DISTINCT.format(count=args.distinct)
            distinct = json.loads(manage(env, "shell", "-c", code, capture=True).splitlines()[-1])
        port = free_port()
        log = open(Path(folder) / "gunicorn.log", "w+", encoding="utf-8")  # noqa: SIM115
        server = start_gunicorn(env, port, args.workers, log)
        try:
            wait_until_healthy(server, port)
            check_paths(port, mix)
            rows = measure(port, mix, args, folder, distinct)
            if args.proxy:
                rows += measure_through_proxy(port, mix, args, folder, env["STATIC_ROOT"])
        except LoadTestError:
            log.seek(0)
            sys.stderr.write(log.read())
            raise
        finally:
            stop(server)
            log.close()
    print(
        report(
            rows,
            f"{args.sites:,} synthetic sites on "
            f"{'SQLite' if is_sqlite(DATABASE_URL) else 'PostgreSQL'}, {cache_note}; gunicorn with "
            f"{args.workers} workers on {HOST}; wrk with {args.threads} threads and "
            f"{args.connections} connections, {args.duration} s per scenario; "
            + ("nginx with its cache in front for the last two rows; " if args.proxy else "")
            + f"{os.cpu_count()} CPU cores shared by all.",
        )
    )
    return 0 if all(row["errors"] == 0 for row in rows) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LoadTestError as error:
        print(f"Load test failed: {error}", file=sys.stderr)
        sys.exit(1)
