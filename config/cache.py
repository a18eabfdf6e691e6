"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` client for every cache call (the
connections themselves come from a pool either way). Making one costs about 0.15 ms on a
2-core server, half as much as a round trip to a local Redis, and a public page made after
an edit makes a few dozen cache calls; a kept page makes two. The client is safe to share
between threads and keeps nothing of its own but its pool, so one per pool serves every
call.

It also adds ``add_many``, which Django's cache API lacks: ``heritage.cache`` starts the
versions a cleared cache has lost, a few dozen at once on the statistics page, in one round
trip rather than one each.

With ``NEAR`` in its settings, it keeps in the process's memory what it reads under keys
whose value never changes once stored (the *near* copies): keys that carry the versions of
what their value is made of (``heritage.cache``), or a digest of it. A public page reads a
dozen such entries, each a round trip to Redis that every request paid again: the register's
time of change, the place tree, the filter form's fields. ``NEAR`` holds ``PREFIXES`` (the
keys, as the app names them, that may be kept so), ``MAX_BYTES`` (what the copies of one
process may hold in all, as stored in Redis; the least recently used go first) and
``SECONDS`` (how long a copy is kept at most). A copy read again costs no round trip, and
is loaded anew from its stored bytes each time, so that no two requests share an object. A
key is never kept that way unless its prefix is named: a version itself, which rises, never
is. A write or deletion of a key through this process drops its copy; ``clear`` drops them
all, and another process's ``clear`` makes them unreachable, since every version then
starts anew above any it held before (``heritage.cache.start_versions``).
"""

import threading
import time
from collections import OrderedDict

from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.utils.functional import cached_property


class NearCopies:
    """Stored values (bytes, as Redis holds them) by key, in this process's memory: at most
    ``max_bytes`` of them, the least recently read dropped first, each for ``seconds``."""

    def __init__(self, max_bytes, seconds):
        self.max_bytes = max_bytes
        self.seconds = seconds
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key, value):
        # One value never takes more than an eighth of the room: a large page would push out
        # the small entries every page reads.
        if len(value) > self.max_bytes // 8:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, value)
            self._bytes += len(value)
            while self._bytes > self.max_bytes:
                _key, (_expires, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def discard(self, keys):
        with self._lock:
            for key in keys:
                self._drop(key)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[1])


class ReusingClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        #: The near copies (:class:`NearCopies`) and the prefixes of the keys they may hold,
        #: as stored (with the cache's key prefix and version); set by :class:`RedisCache`.
        self.near = None
        self.near_prefixes = ()

    def kept_near(self, key):
        return self.near is not None and key.startswith(self.near_prefixes)

    def get(self, key, default):
        if not self.kept_near(key):
            return super().get(key, default)
        value = self.near.get(key)
        if value is None:
            value = self.get_client(key).get(key)
            if value is None:
                return default
            self.near.put(key, value)
        return self._serializer.loads(value)

    def get_many(self, keys):
        keys = list(keys)
        found = {}
        if self.near is not None:
            for key in keys:
                if self.kept_near(key):
                    value = self.near.get(key)
                    if value is not None:
                        found[key] = value
        missing = [key for key in keys if key not in found]
        if missing:
            for key, value in zip(missing, self.get_client(None).mget(missing), strict=True):
                if value is not None:
                    found[key] = value
                    if self.kept_near(key):
                        self.near.put(key, value)
        return {key: self._serializer.loads(found[key]) for key in keys if key in found}

    def forget(self, keys):
        if self.near is not None:
            self.near.discard([key for key in keys if self.kept_near(key)])

    def add(self, key, value, timeout):
        self.forget([key])
        return super().add(key, value, timeout)

    def set(self, key, value, timeout):
        self.forget([key])
        return super().set(key, value, timeout)

    def set_many(self, data, timeout):
        self.forget(data)
        return super().set_many(data, timeout)

    def delete(self, key):
        self.forget([key])
        return super().delete(key)

    def delete_many(self, keys):
        self.forget(keys)
        return super().delete_many(keys)

    def clear(self):
        if self.near is not None:
            self.near.clear()
        return super().clear()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusingClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
        self._near = params.get("NEAR")

    @cached_property
    def _cache(self):
        client = super()._cache
        if self._near:
            client.near = NearCopies(self._near["MAX_BYTES"], self._near["SECONDS"])
            client.near_prefixes = tuple(self.make_key(prefix) for prefix in self._near["PREFIXES"])
        return client

    def add_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Store each value of ``data`` whose key holds none, as ``add`` does, in one round
        trip (a pipeline of ``SET NX``); the keys that held a value already, as
        ``set_many`` returns those it failed to store."""
        timeout = self.get_backend_timeout(timeout)
        if timeout == 0:  # stored and gone at once: what ``add`` does, key by key
            return [key for key, value in data.items() if not self.add(key, value, 0, version)]
        keys = list(data)
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        self._cache.forget(made)
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        for key, stored in zip(keys, made, strict=True):
            pipeline.set(
                stored,
                self._cache._serializer.dumps(data[key]),
                ex=timeout,
                nx=True,
            )
        return [key for key, added in zip(keys, pipeline.execute(), strict=True) if not added]
