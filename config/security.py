"""The client's address, for login throttling (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

Behind reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's address. Each proxy appends
the address it received the request from to ``X-Forwarded-For``, so with
``TRUSTED_PROXY_COUNT`` proxies in front of the app, the client is the entry that many places
from the right. Entries further left were sent by the client itself and are never believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The address of the client that made ``request``, as the trusted proxies report it."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        # Fewer addresses than proxies: the request did not come through all of them.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
