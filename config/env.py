"""Reading settings from the environment: yes/no values, lists, whole numbers, origins and
the storage of uploaded files. An unreadable value is a configuration error that names the
variable, raised when the settings are imported."""

import importlib.util
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "no", "off"}


def env_bool(name, default=False):
    """Read a yes/no environment variable; an unrecognised value is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_list(name, default):
    """Read a comma-separated environment variable into a list, dropping empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name, default):
    """Read a whole-number environment variable; anything else is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def csp_origin(url, setting):
    """The CSP source of an absolute URL's origin (None for a relative URL: same origin).

    A placeholder in the first label of the host, as in ``https://{s}.tile.example.org``,
    becomes the wildcard ``*.tile.example.org``."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"{setting} must be an http(s) URL or a path; got {url!r}.")
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = host.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(
            f"{setting}: a placeholder may only stand for the first label of the host; got {url!r}."
        )
    return f"{parts.scheme}://{host}"


def media_storage():
    """The STORAGES entry for uploaded files: the folder MEDIA_ROOT (which must be shared by
    every app server, e.g. a network file system), or an S3-compatible bucket (MEDIA_BUCKET)
    through django-storages, installed with ``pip install 'heritage-register[s3]'``."""
    bucket = os.environ.get("MEDIA_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    missing = [name for name in ("storages", "boto3") if importlib.util.find_spec(name) is None]
    if missing:
        raise ImproperlyConfigured(
            f"MEDIA_BUCKET is set, but {', '.join(missing)} cannot be imported: "
            "install the project with pip install 'heritage-register[s3]'."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            # Files are private to the bucket and reached through signed, expiring links.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_LINK_SECONDS", 3600),
            # Never replace a stored file by another one uploaded under the same name.
            "file_overwrite": False,
        },
    }


RATE_PERIODS = ("second", "minute", "hour", "day")


def api_rate(name, default):
    """Read a request rate such as ``120/minute`` (``N/second``, ``/minute``, ``/hour`` or
    ``/day``, N a whole number of at least 1); anything else is a configuration error."""
    raw = (os.environ.get(name) or default).strip()
    count, _slash, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, such as "
            f"120/minute; got {raw!r}."
        )
    return f"{int(count)}/{period}"
