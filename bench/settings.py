"""Settings of the page benchmark: the test settings (production settings, DEBUG off, a
throwaway secret key) with the production cache, Redis, when ``BENCH_REDIS_URL`` answers;
else the in-process cache, and the benchmark says which it used.

The benchmark empties the cache between its cold runs: give it a Redis database of its own
(the default is database 14 of a local server)."""

import os

from tests.settings import *  # noqa: F403

BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # any failure to connect means: no Redis here
        return False


# As in production, whole anonymous pages are kept in the cache (the tests turn that off);
# PAGE_CACHE_SECONDS=0 measures every warm request's own work instead.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

if BENCH_REDIS_URL and redis_answers(BENCH_REDIS_URL):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": BENCH_REDIS_URL,
            "KEY_PREFIX": "bench",
            # As in production: each process keeps near copies of what never changes.
            "NEAR": NEAR_CACHE,  # noqa: F405
        }
    }
    BENCH_CACHE = "redis"
else:
    BENCH_CACHE = "in-process"
