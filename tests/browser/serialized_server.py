"""The live server of the browser tests answers one request at a time on SQLite.

On SQLite the test database lives in memory, and Django's live server hands its one
connection to every thread it answers requests in. The query budget of the search and the
listing (``heritage.query_budget``) sets a progress handler on that connection, which SQLite
calls holding the connection's lock and which needs Python's interpreter lock; a second
request thread that holds the interpreter lock while it waits for the connection's then
waits for ever (seen in a CI rehearsal: a suggestion and a listing, each in a request thread,
stuck in the same connection until the test's time ran out). Each request is answered whole,
its body read to the end, under one lock, while the connections stay open and threaded (a
browser keeps several). On PostgreSQL each thread has a connection of its own and requests
are answered side by side, as before.
"""

import threading

from django.db import connection
from django.test.testcases import LiveServerThread


def one_at_a_time(application, lock):
    """``application`` (WSGI) answering under ``lock``, its body read to the end inside."""

    def answer(environ, start_response):
        with lock:
            result = application(environ, start_response)
            try:
                body = list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return body

    return answer


class SerializedServer(LiveServerThread.server_class):
    lock = threading.Lock()

    def set_app(self, application):
        if connection.vendor == "sqlite":
            application = one_at_a_time(application, self.lock)
        super().set_app(application)


LiveServerThread.server_class = SerializedServer
