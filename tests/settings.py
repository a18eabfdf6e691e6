"""Settings for the test suite: the project's settings with a test-only secret key.

Debug mode is off, as in production, with what the test client and the live server need:
plain HTTP, static files without collectstatic, a cache of the test process's own.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-a-real-secret")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the live server speak plain HTTP (secure=True asks for HTTPS).
SECURE_SSL_REDIRECT = False
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = False  # noqa: F405

# Templates render without collectstatic: plain file names, no manifest of hashed ones.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise finds them in the apps' and the project's static folders, as in debug mode.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Whatever REDIS_URL the environment sets, tests keep their cache to themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Tests count the queries and templates of pages asked for more than once: whole pages are
# kept only in the tests of that cache (tests/public/test_page_cache.py).
PAGE_CACHE_SECONDS = 0

# django-axes refuses Client.login(), which passes no request; the tests of login throttling
# turn it on.
AXES_ENABLED = False
