"""Which real services this run may use, decided before Django reads its settings.

Loaded by pytest as a plugin (`-p tests.services` in pyproject.toml), so its module code runs
before pytest-django configures Django:

- DATABASE_URL / REDIS_URL are used when set and reachable; otherwise the run falls back to
  SQLite, and tests marked `redis` are skipped with the reason;
- with REQUIRE_SERVICES=1 (CI) nothing falls back: an unreachable service fails the run, and a
  test that would have been skipped for lack of Redis, a browser or axe-core fails instead.

Celery runs eagerly in the test process; the few tests that need a real worker start one.
Under pytest-xdist (`make test` runs on every core), each process has its own test database
(pytest-django's suffix) and its own Redis database.
"""

import os
import socket
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ROOT = Path(__file__).resolve().parent.parent


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ).close()
    except OSError:
        return False
    return True


def _choose_services() -> list[str]:
    notes = []
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url and not database_url.startswith("sqlite") and not reachable(database_url, 5432):
        if REQUIRE_SERVICES:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1, but {database_url} is unreachable.")
        os.environ.pop("DATABASE_URL")
        notes.append(f"database {database_url} unreachable: SQLite instead")
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url and not reachable(redis_url, 6379):
        if REQUIRE_SERVICES:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1, but {redis_url} is unreachable.")
        os.environ.pop("REDIS_URL")
        notes.append(f"Redis {redis_url} unreachable: tests that need it are skipped")
    if REQUIRE_SERVICES and not os.environ.get("REDIS_URL"):
        raise pytest.UsageError("REQUIRE_SERVICES=1 needs REDIS_URL.")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # «gw0», «gw1»… under `pytest -n`
    if worker and os.environ.get("REDIS_URL"):
        # Each process of a parallel run has a Redis database of its own (the next ones after
        # REDIS_URL's), as pytest-django gives it a test database of its own: a worker test's
        # Celery worker then takes only the tasks of its own process.
        parsed = urlparse(os.environ["REDIS_URL"])
        database = int(parsed.path.strip("/") or 0) + int(worker.removeprefix("gw"))
        if database > 15:  # Redis's default `databases 16`
            raise pytest.UsageError(
                f"{worker} would use Redis database {database}: fewer processes (-n), or a "
                "lower database in REDIS_URL."
            )
        os.environ["REDIS_URL"] = parsed._replace(path=f"/{database}").geturl()
    # The test process runs tasks eagerly whatever REDIS_URL says; worker tests start their own.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["CELERY_TASK_EAGER_PROPAGATES"] = "1"
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    return notes


NOTES = _choose_services()


def skip_or_fail(reason: str) -> None:
    """Skip for a missing service or tool; with REQUIRE_SERVICES=1 that is a failure."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_report_header(config):
    database = os.environ.get("DATABASE_URL", "SQLite (var/test.sqlite3)")
    redis = os.environ.get("REDIS_URL", "none")
    lines = [f"services: database={database} redis={redis} require={REQUIRE_SERVICES}"]
    return lines + [f"services: {note}" for note in NOTES]


def pytest_runtest_setup(item):
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis: set REDIS_URL to a reachable server")


# The Nu Html Checker's warnings (tests/e2e), message → pages: never a failure, listed at the end
# of the run, gathered from each process of a parallel one.
HTML_WARNINGS: dict[str, set[str]] = defaultdict(set)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: sent to the controller
        output = {message: sorted(urls) for message, urls in HTML_WARNINGS.items()}
        session.config.workeroutput["html_warnings"] = output


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for message, urls in getattr(node, "workeroutput", {}).get("html_warnings", {}).items():
        HTML_WARNINGS[message].update(urls)


def pytest_terminal_summary(terminalreporter):
    if HTML_WARNINGS:
        terminalreporter.section("Nu Html Checker warnings (not failures)")
        for message, urls in sorted(HTML_WARNINGS.items()):
            terminalreporter.write_line(f"{message} ({len(urls)} pages, e.g. {min(urls)})")
