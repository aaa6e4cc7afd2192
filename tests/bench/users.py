"""Benchmark: a qualité's «Utilisateurs» at 100,000 users, and their CSV export (issue 14).

Makes a database of its own on PostgreSQL: migrated, the demo loaded, then
`manage.py generate_quality_users` (a qualité of 100,000 users among 2,000,000 memberships, its
enterprise's GAP Nathalie Leroy, a demo identity), statistics gathered and the tables vacuumed.
Runs gunicorn (one worker); one logged-in session (her eID key) asks each page and the two
baselines in turns, so that the machine's noise falls on all alike: the issue's, a bare Django
view rendering the portal's empty layout (`bench/layout/`), and below it the cheapest page a
session can ask (`bench/bare/`: the same middleware, session and user loading, no template).
Pages: the first, page 1,000, a "starts with" filter on the last name, the last name in reverse
order. Prints each one's median and p95, their ratios to the empty layout's (target ≤ 3) and to
the bare response's, and page 1,000 over page 1 (target ≤ 1.2).

Then the export (`access_managers:quality_users_export`, every user) is downloaded whole through
the same server, BENCH_EXPORTS times: its seconds, against PostgreSQL's `COPY (SELECT …) TO
STDOUT WITH CSV` of the same columns and joins (target ≤ 3×), and how much the worker's resident
memory rose above what it held before (its peak, VmHWM, reset through /proc/PID/clear_refs;
target < 50 MB).

    make bench-users        (BENCH_REQUESTS=200, BENCH_EXPORTS=3, BENCH_DATABASE_URL,
                             BENCH_REDIS_URL, BENCH_USERS=100000, BENCH_MEMBERSHIPS=2000000;
                             BENCH_REUSE=1 times the database an earlier run filled, unchanged)
"""

import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import processes  # noqa: E402 (after the path is set)
from tests.bench.database import (  # noqa: E402
    analyze_database,
    recreate_database,
    vacuum_database,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
EXPORTS = int(os.environ.get("BENCH_EXPORTS", "3"))
USERS = int(os.environ.get("BENCH_USERS", "100000"))
MEMBERSHIPS = int(os.environ.get("BENCH_MEMBERSHIPS", "2000000"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csam_bench_users"
)
NATHALIE = "79021412066"  # the demo's GAP of Groupe Horizon, logged in with her eID (PIN 1234)
USERS_PATH = "/social-security/qualities/{quality}/users/"
BASELINES = {"layout": "/bench/layout/", "bare": "/bench/bare/"}
PAGES = {
    "first page": "",
    "page 1,000": "?page=1000",
    "filtered (last name «dub»)": "?last_name=dub",
    "sorted (-last_name)": "?sort=-last_name",
}
# Other shapes of the page, timed too (fewer requests) but outside the four targets.
MORE_PAGES = {
    "sorted (username)": "?sort=username",
    "sorted (-type), page 1,000": "?sort=-type&page=1000",
    "filtered (NISS «8501»)": "?niss=8501",
    "filtered (Type USER)": "?type=USER",
    "filtered (application DIMONA)": "?application=DIMONA",
    "filtered (username «ab»)": "?username=ab",
}
MORE_REQUESTS = max(REQUESTS // 4, 20)
EXPORT_PATH = "/social-security/qualities/{quality}/users/export.csv"
MB = 1024 * 1024

# The export's columns (Nom, Prénom, Nom d'utilisateur, Type, NISS, Statut, Applications
# sécurisées), their joins and the page's order, as PostgreSQL alone writes them: the
# applications aggregated once and joined (a subquery per row took 1.1 s here, this 0.8 s).
COPY_SQL = """
COPY (
    SELECT m.last_name AS "Nom", m.first_name AS "Prénom", m.username AS "Nom d'utilisateur",
           CASE local.role WHEN 'GL' THEN 'Gestionnaire Local'
                           WHEN 'COGL' THEN 'Co-Gestionnaire Local'
                           ELSE 'Utilisateur' END AS "Type",
           m.niss AS "NISS",
           CASE m.status WHEN 'blocked' THEN 'bloqué' ELSE 'actif' END AS "Statut",
           granted.names AS "Applications sécurisées"
      FROM access_managers_qualitymembership m
      LEFT JOIN access_managers_accessmanager local
             ON local.niss = m.niss AND local.quality_id = m.quality_id
            AND local.ended_at IS NULL AND local.role IN ('GL', 'COGL')
      LEFT JOIN (
          SELECT g.membership_id, string_agg(a.name_fr, ', ' ORDER BY a.name_fr) AS names
            FROM access_managers_membershipapplication g
            JOIN enterprises_securedapplication a ON a.id = g.application_id
            JOIN access_managers_qualitymembership gm ON gm.id = g.membership_id
           WHERE gm.quality_id = {quality} AND gm.ended_at IS NULL
           GROUP BY g.membership_id
      ) granted ON granted.membership_id = m.id
     WHERE m.quality_id = {quality} AND m.ended_at IS NULL
     ORDER BY upper(m.last_name), upper(m.first_name), m.id
) TO STDOUT WITH CSV HEADER
"""


def _prepare(env: dict[str, str]) -> str:
    """The bench database, filled; the large qualité's id."""
    recreate_database(DATABASE_URL)
    run = {"cwd": ROOT, "env": {**os.environ, **env}, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run([sys.executable, "manage.py", "load_demo"], **run, stdout=subprocess.DEVNULL)
    generate = [sys.executable, "manage.py", "generate_quality_users", "--gap", NATHALIE]
    generate += ["--users", str(USERS), "--memberships", str(MEMBERSHIPS)]
    output = subprocess.run(generate, **run, capture_output=True, text=True).stdout
    print(output.strip())
    analyze_database(DATABASE_URL)
    vacuum_database(DATABASE_URL)
    return re.search(r"qualité (\d+) with", output).group(1)


def _filled() -> str | None:
    """The large qualité's id in the database an earlier run filled, if there is one."""
    try:
        with psycopg.connect(DATABASE_URL) as connection:
            row = connection.execute(
                "SELECT quality_id FROM access_managers_qualitymembership"
                " GROUP BY quality_id HAVING count(*) >= %s LIMIT 1",
                [USERS],
            ).fetchone()
    except psycopg.Error:
        return None
    return str(row[0]) if row else None


def _timed(browser: processes.Browser, path: str) -> float:
    started = time.monotonic()
    status, _page = browser.get(path)
    elapsed = time.monotonic() - started
    assert status == 200, (path, status)
    return elapsed


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _rows_shown(browser: processes.Browser, path: str) -> str:
    """The page's table body: which users it shows."""
    _status, page = browser.get(path)
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body.group(1) if body else "")


def _memory(pid: int) -> dict[str, int]:
    """The process's resident memory now and at its peak (bytes), from /proc/PID/status."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) * 1024
        for key in ("VmRSS", "VmHWM")
    }


def _download(browser: processes.Browser, path: str, pid: int) -> tuple[float, int, int, int]:
    """Seconds to read the whole export, its lines and bytes, and how far the worker's resident
    memory rose above where it stood (its peak reset first: 5 → clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = _memory(pid)["VmRSS"]
    lines = size = 0
    started = time.monotonic()
    with browser.opener.open(browser.base_url + path, timeout=300) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    elapsed = time.monotonic() - started
    return elapsed, lines, size, _memory(pid)["VmHWM"] - before


def _copy(quality: str) -> tuple[float, int, int]:
    """Seconds for PostgreSQL to write the same CSV to this client, its lines and bytes."""
    with psycopg.connect(DATABASE_URL) as connection, connection.cursor() as cursor:
        started = time.monotonic()
        lines = size = 0
        with cursor.copy(COPY_SQL.format(quality=int(quality))) as copy:
            for data in copy:
                size += len(data)
                lines += bytes(data).count(b"\n")
        return time.monotonic() - started, lines, size


def main() -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DEBUG": "False",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        "CELERY_TASK_ALWAYS_EAGER": "True",
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "LOG_LEVEL": "WARNING",
        "DIGITAL_KEYS_PROVIDER": "simulators",
        "DEMO_SIMULATED_KEYS": "1",
        "SECURE_SSL_REDIRECT": "False",
    }
    quality = (REUSE and _filled()) or _prepare(env)
    base = USERS_PATH.format(quality=quality)
    paths = {name: base + query for name, query in PAGES.items()}
    exports: list[tuple[float, int, int, int]] = []
    with processes.web_server(env) as base_url:
        browser = processes.Browser(base_url)
        browser.submit("/login/eid/", {"niss": NATHALIE, "pin": "1234"})
        first_rows = _rows_shown(browser, paths["first page"])
        ignored = [
            name
            for name in ("filtered (last name «dub»)", "sorted (-last_name)")
            if _rows_shown(browser, paths[name]) == first_rows
        ]
        times: dict[str, list[float]] = {name: [] for name in [*paths, *BASELINES]}
        for _ in range(10):  # warm-up: imports, template caches, connections
            for path in [*paths.values(), *BASELINES.values()]:
                _timed(browser, path)
        for _ in range(REQUESTS):
            for name, path in paths.items():
                times[name].append(_timed(browser, path))
                for baseline, baseline_path in BASELINES.items():
                    times[baseline].append(_timed(browser, baseline_path))
        more = {name: base + query for name, query in MORE_PAGES.items()}
        for _ in range(MORE_REQUESTS):
            for name, path in more.items():
                times.setdefault(name, []).append(_timed(browser, path))
                times.setdefault("layout (more)", []).append(_timed(browser, "/bench/layout/"))
        pid = int(browser.get("/bench/pid/")[1])
        try:
            for _ in range(EXPORTS):
                exports.append(_download(browser, EXPORT_PATH.format(quality=quality), pid))
        except urllib.error.HTTPError as error:
            print(f"export: {EXPORT_PATH.format(quality=quality)} answered {error.code}")
    copies = [_copy(quality) for _ in range(EXPORTS)]

    layout_median, layout_p95 = statistics.median(times["layout"]), _p95(times["layout"])
    bare_median = statistics.median(times["bare"])
    print(f"\nrequests per page: {REQUESTS} (interleaved with the baselines), gunicorn 1 worker,")
    print(f"PostgreSQL, one logged-in session (Nathalie Leroy, GAP); qualité {quality}")
    print(
        f"empty layout: median {layout_median * 1000:.2f} ms, p95 {layout_p95 * 1000:.2f} ms; "
        f"bare response: median {bare_median * 1000:.2f} ms, p95 {_p95(times['bare']) * 1000:.2f}"
    )
    print("| page | median ms | p95 ms | × layout (median) | × layout (p95) | × bare (median) |")
    print("|---|---|---|---|---|---|")
    for name in paths:
        median, p95 = statistics.median(times[name]), _p95(times[name])
        note = " (same rows as the first page: not applied)" if name in ignored else ""
        print(
            f"| {name}{note} | {median * 1000:.2f} | {p95 * 1000:.2f} "
            f"| {median / layout_median:.2f} | {p95 / layout_p95:.2f} "
            f"| {median / bare_median:.2f} |"
        )
    more_layout = statistics.median(times["layout (more)"])
    print(f"\nother shapes ({MORE_REQUESTS} requests each, outside the targets):")
    print("| page | median ms | p95 ms | × layout (median) |")
    print("|---|---|---|---|")
    for name in MORE_PAGES:
        median, p95 = statistics.median(times[name]), _p95(times[name])
        print(f"| {name} | {median * 1000:.2f} | {p95 * 1000:.2f} | {median / more_layout:.2f} |")
    first = statistics.median(times["first page"])
    thousandth = statistics.median(times["page 1,000"])
    print(f"page 1,000 / first page (median) = {thousandth / first:.2f} (target ≤ 1.2)")

    copy_seconds = statistics.median(seconds for seconds, _lines, _size in copies)
    _seconds, copy_lines, copy_size = copies[0]
    print(f"COPY: {copy_seconds:.3f} s, {copy_lines - 1:,} rows, {copy_size / MB:.1f} MB")
    if exports:
        seconds = statistics.median(export[0] for export in exports)
        _seconds, lines, size, _growth = exports[0]
        growth = max(export[3] for export in exports)
        print(
            f"export: {seconds:.3f} s (median of {EXPORTS}), {lines - 1:,} rows, "
            f"{size / MB:.1f} MB; × COPY {seconds / copy_seconds:.2f} (target ≤ 3); "
            f"worker's peak memory growth {growth / MB:.1f} MB (target < 50)"
        )


if __name__ == "__main__":
    main()
