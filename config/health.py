"""``/healthz``: whether this app server can serve pages, for load balancers and monitors.

200 "ok" when the database answers a trivial query, 503 "unavailable" when it does not. The
answer never says why: the error goes to the server's log, not to whoever asked.
"""

import logging

from django.db import connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Any failure (refused connection, authentication, timeout, a driver error) means the
        # server cannot serve pages; what exactly failed is for the log only.
        logger.exception("Health check: the database %r did not answer.", alias)
        return False
    return True


@never_cache
@require_safe
def healthz(request):
    if database_answers():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
