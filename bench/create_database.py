"""Create the PostgreSQL database named in a URL if it does not exist yet.

    python bench/create_database.py postgres://postgres@127.0.0.1:5432/heritage [--recreate]

Used by ``make serve`` and ``make loadtest``. It connects to the server's ``postgres``
database with the same user; ``--recreate`` drops the database first (only the load test's
own database is ever recreated).
"""

import argparse
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def split(url):
    """(URL of the server's maintenance database, name of the database in ``url``)."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"Not a PostgreSQL URL: {url}")
    name = parts.path.lstrip("/")
    if not name or "/" in name:
        raise SystemExit(f"The URL names no database: {url}")
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), name


def create_database(url, *, recreate=False):
    """Create the database of ``url`` unless it exists; return True if it was created."""
    server, name = split(url)
    try:
        connection = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL does not answer at {server}: {error}") from None
    with connection:
        if recreate:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgres://user@host:port/name")
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    args = parser.parse_args()
    if create_database(args.url, recreate=args.recreate):
        print(f"Created the database {split(args.url)[1]}.", file=sys.stderr)


if __name__ == "__main__":
    main()
