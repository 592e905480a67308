"""A fresh database for a benchmark: a temporary SQLite file, or DATABASE_URL's server with a `_bench` database
(dropped and created). Call before django.setup()."""

import os
import tempfile


def recreate_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def use_fresh_database() -> tempfile.TemporaryDirectory:
    tmp = tempfile.TemporaryDirectory()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        server = url.rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = f"{server}/zhaoshang_bench"
        recreate_postgres_database(f"{server}/postgres", "zhaoshang_bench")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")  # a throwaway database: the demo key will do
    os.environ["ZHAOSHANG_VAR_DIR"] = tmp.name
    return tmp
