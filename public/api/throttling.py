"""Throttling of anonymous clients (every client of the read API is anonymous).

Requests are counted per client address in the default cache, which production shares
between app servers (Redis, ``REDIS_URL``), at ``API_THROTTLE_RATE``; behind proxies the
address is found as for login throttling (``TRUSTED_PROXY_COUNT``). A client over the rate
gets a 429 with ``Retry-After``, the seconds to wait.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousClientThrottle(AnonRateThrottle):
    def get_rate(self):
        # Read at each request rather than once at import, so that the setting can change.
        return settings.API_THROTTLE_RATE
