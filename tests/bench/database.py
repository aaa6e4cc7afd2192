"""What the benchmarks share: a database of their own, new for each run."""

import psycopg


def recreate_database(url: str) -> None:
    """Drop and create the database of `url`: the figures never depend on an earlier run."""
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def analyze_database(url: str) -> None:
    """Gather the planner's statistics, as autovacuum does in a database in use: a benchmark
    that starts right after loading its rows would otherwise time plans made blind."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def vacuum_database(url: str) -> None:
    """Vacuum every table, as autovacuum does soon after a bulk load: its insert threshold
    crossed by millions of new rows, it would otherwise vacuum during the timings, and the
    index-only scans of a database in use (visibility map set) would stay out of reach."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM")
