"""The Redis cache of the production settings, on the local Redis, for the tests that need a
real one."""

import os
import secrets
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.test import override_settings


@contextmanager
def local_redis_cache(near=None, **settings):
    """``config.cache.RedisCache`` on the local Redis (``TEST_REDIS_URL``, else database 15
    of 127.0.0.1), under a key prefix of its own, with ``near`` as its ``NEAR`` and
    ``settings`` overridden beside it; the test is skipped when no Redis answers. Emptied
    afterwards."""
    location = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    config = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"heritage-test-{secrets.token_hex(4)}",
            "NEAR": near,
        }
    }
    with override_settings(CACHES=config, **settings):
        cache = caches["default"]
        try:
            cache.set("probe", 1, 5)
        except Exception as error:
            pytest.skip(f"no Redis answers at {location}: {error}")
        try:
            yield cache
        finally:
            cache.clear()
