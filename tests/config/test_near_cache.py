"""The near copies of the Redis cache (``config.cache``): what an app server keeps in its own
memory of the entries whose value never changes, and what it must never keep so."""

from unittest.mock import patch

import pytest
import redis
from django.conf import settings

from config import cache as config_cache
from heritage import cache as heritage_cache
from tests.config.processes import settings_value
from tests.config.redis_caches import local_redis_cache


@pytest.fixture
def near_cache():
    """The Redis cache, keeping near copies of the keys under ``kept:`` (at most 1,000 bytes
    of them, for 30 seconds), under a key prefix of this test's own."""
    with local_redis_cache({"PREFIXES": ["kept:"], "MAX_BYTES": 1000, "SECONDS": 30}) as cache:
        yield cache


def behind_its_back(cache, key, value):
    """Store ``value`` under ``key`` in Redis without going through ``cache``, as another app
    server would."""
    stored = cache.make_and_validate_key(key)
    cache._cache.get_client(write=True).set(stored, cache._cache._serializer.dumps(value))


def commands():
    """A patch counting the commands sent to Redis."""
    return patch.object(
        redis.Redis,
        "execute_command",
        autospec=True,
        side_effect=redis.Redis.execute_command,
    )


def test_a_kept_key_is_read_from_redis_once_then_from_memory(near_cache):
    near_cache.set("kept:places:7", {"tree": [1, 2]}, 60)
    with commands() as sent:
        assert near_cache.get("kept:places:7") == {"tree": [1, 2]}
        assert near_cache.get("kept:places:7") == {"tree": [1, 2]}
        assert near_cache.get_many(["kept:places:7"]) == {"kept:places:7": {"tree": [1, 2]}}
    assert sent.call_count == 1
    # Another server cannot change it unseen in practice (the key names its versions); the
    # copy is what this one read.
    behind_its_back(near_cache, "kept:places:7", {"tree": [3]})
    assert near_cache.get("kept:places:7") == {"tree": [1, 2]}


def test_other_keys_are_read_from_redis_every_time(near_cache):
    near_cache.set("register:version", 4, None)
    assert near_cache.get("register:version") == 4
    behind_its_back(near_cache, "register:version", 5)
    assert near_cache.get("register:version") == 5
    assert near_cache.get_many(["register:version", "kept:a"]) == {"register:version": 5}
    near_cache.incr("register:version")
    assert near_cache.get_many(["register:version"]) == {"register:version": 6}


def test_each_read_of_a_copy_gives_an_object_of_its_own(near_cache):
    near_cache.set("kept:list", [1, 2], 60)
    first = near_cache.get("kept:list")
    first.append(3)
    assert near_cache.get("kept:list") == [1, 2]
    assert near_cache.get_many(["kept:list"])["kept:list"] == [1, 2]


def test_get_many_reads_what_memory_lacks_in_one_round_trip(near_cache):
    near_cache.set_many({"kept:a": "a", "kept:b": "b", "other": "o"}, 60)
    assert near_cache.get("kept:a") == "a"
    with commands() as sent:
        found = near_cache.get_many(["kept:a", "kept:b", "other", "kept:missing"])
    assert found == {"kept:a": "a", "kept:b": "b", "other": "o"}
    assert sent.call_count == 1  # one MGET of the three it did not hold
    with commands() as sent:
        assert near_cache.get_many(["kept:a", "kept:b"]) == {"kept:a": "a", "kept:b": "b"}
    assert sent.call_count == 0


def test_a_write_or_deletion_through_this_server_drops_the_copy(near_cache):
    near_cache.set("kept:k", "first", 60)
    assert near_cache.get("kept:k") == "first"
    near_cache.set("kept:k", "second", 60)
    assert near_cache.get("kept:k") == "second"
    near_cache.set_many({"kept:k": "third"}, 60)
    assert near_cache.get("kept:k") == "third"
    near_cache.delete("kept:k")
    assert near_cache.get("kept:k") is None
    assert near_cache.add("kept:k", "fourth", 60)
    assert near_cache.get("kept:k") == "fourth"
    near_cache.delete_many(["kept:k"])
    assert near_cache.get("kept:k", "gone") == "gone"
    near_cache.add_many({"kept:k": "fifth"}, 60)
    assert near_cache.get("kept:k") == "fifth"
    near_cache.clear()
    assert near_cache.get("kept:k") is None


def test_copies_hold_at_most_their_bytes_and_the_least_recently_read_go_first(near_cache):
    copies = near_cache._cache.near
    for name in "abcdefghij":
        near_cache.set(f"kept:{name}", name * 100, 60)
        near_cache.get(f"kept:{name}")
        near_cache.get("kept:a")  # read again each time: the most recently read
    assert copies._bytes <= copies.max_bytes
    held = [key.rsplit(":", 1)[1] for key in copies._entries]
    assert "a" in held  # read most often
    assert "j" in held  # read last
    assert "b" not in held
    # A value larger than an eighth of the room is read from Redis every time.
    near_cache.set("kept:large", "x" * 200, 60)
    assert near_cache.get("kept:large") == "x" * 200
    assert not any(key.endswith("kept:large") for key in copies._entries)


def test_a_copy_is_dropped_after_its_seconds(near_cache):
    near_cache.set("kept:t", "old", 60)
    assert near_cache.get("kept:t") == "old"
    behind_its_back(near_cache, "kept:t", "new")
    now = config_cache.time.monotonic()
    with patch.object(config_cache.time, "monotonic", return_value=now + 31):
        assert near_cache.get("kept:t") == "new"


def test_a_version_the_cache_lost_starts_above_what_it_was(near_cache):
    """A copy made under a version the cache then lost (a restart of Redis, a ``clear`` by
    another process) is never reached again: the version starts anew above it."""
    key = heritage_cache.VERSION_KEY
    before = heritage_cache.read_version(key)
    heritage_cache.raise_version(key)
    raised = heritage_cache.read_version(key)
    assert raised == before + 1
    near_cache._cache.get_client(write=True).flushdb()  # as another process's clear would
    after = heritage_cache.read_version(key)
    assert after > raised
    near_cache.delete(key)
    heritage_cache.raise_version(key)  # lost, then raised
    assert heritage_cache.read_version(key) > after


def test_no_version_is_kept_near():
    """Versions rise: a near copy of one would hide every edit from this server."""
    prefixes = tuple(settings.NEAR_CACHE["PREFIXES"])
    versions = [
        *heritage_cache.usual_version_keys(),
        heritage_cache.COUNTS_EPOCH_KEY.format(table="inspections.sitecount"),
        heritage_cache.PLACE_COUNTS_KEY.format(table="inspections.sitecount", place=1),
        heritage_cache.GROUP_VERSION_KEY.format(group="search-words"),
    ]
    assert not [key for key in versions if key.startswith(prefixes)]


def test_production_keeps_near_copies_unless_told_not_to():
    expression = "s.CACHES['default']['NEAR'] and s.CACHES['default']['NEAR']['MAX_BYTES']"
    assert settings_value(expression, REDIS_URL="redis://127.0.0.1:6379/0") == str(32 << 20)
    assert (
        settings_value(expression, REDIS_URL="redis://127.0.0.1:6379/0", CACHE_NEAR_BYTES="0")
        == "None"
    )
