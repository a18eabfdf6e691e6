"""Settings for the test suite: the project's settings with a test-only secret key."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-a-real-secret")

from heritage.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
