"""Benchmark: the access managers' pages against a bare view, with few and with many terms.

Runs gunicorn (one worker) on PostgreSQL with the demo loaded and two more enterprises whose GAP is
Nathalie Leroy: one with 10 terms, one with 1,000 (co-GAPs, GAs of every domain, co-GLs, users,
four in five of them history). One logged-in session (her eID key) asks each page and the bare
view (`bench/bare/`: the same middleware, session and user loading, nothing else) in turns, so
that the machine's noise falls on all alike. Prints, per page and size, the median and p95 and
their ratio to the bare view's, and the ratio between the two sizes.

    make bench-pages        (BENCH_REQUESTS=200, BENCH_DATABASE_URL, BENCH_REDIS_URL)
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import processes  # noqa: E402 (after the path is set)
from tests.bench.database import analyze_database, recreate_database  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csam_bench_pages"
)
SIZES = (10, 1000)
# The pages of the access managers (issue 13), by path under an enterprise number.
PAGES = {
    "GGA page": "/access-managers/{number}/",
    "co-GAPs": "/access-managers/{number}/co-gaps/",
    "a domain's GAs": "/access-managers/{number}/domains/{domain}/",
    "GAP history": "/access-managers/{number}/history/",
    "Qui gère nos accès ?": "/access-managers/{number}/who/",
    "RAE page": "/social-security/{number}/",
    "qualité «Utilisateurs»": "/social-security/qualities/{quality}/users/",
}


def _prepare(env: dict[str, str]) -> dict[int, dict[str, str]]:
    recreate_database(DATABASE_URL)
    run = {"cwd": ROOT, "env": {**os.environ, **env}, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run([sys.executable, "manage.py", "load_demo"], **run, stdout=subprocess.DEVNULL)
    script = (
        "import django; django.setup();"
        "from tests.bench.pages_data import enterprise_with_terms;"
        f"print(' '.join(enterprise_with_terms(f'Bench {{n}}', n) for n in {SIZES!r}))"
    )
    made = subprocess.run(
        [sys.executable, "-c", script], **run, capture_output=True, text=True
    ).stdout.split()
    analyze_database(DATABASE_URL)
    return {
        size: dict(zip(("number", "quality", "domain"), entry.split(":"), strict=True))
        for size, entry in zip(SIZES, made, strict=True)
    }


def _timed(browser: processes.Browser, path: str) -> float:
    started = time.monotonic()
    status, _page = browser.get(path)
    elapsed = time.monotonic() - started
    assert status == 200, (path, status)
    return elapsed


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


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
    numbers = _prepare(env)
    with processes.web_server(env) as base_url:
        browser = processes.Browser(base_url)
        browser.submit("/login/eid/", {"niss": "79021412066", "pin": "1234"})
        paths = {
            (name, size): template.format(**numbers[size])
            for name, template in PAGES.items()
            for size in SIZES
        }
        times: dict = {key: [] for key in paths} | {"bare": []}
        for _ in range(10):  # warm-up: imports, template caches, connections
            for path in [*paths.values(), "/bench/bare/"]:
                _timed(browser, path)
        for _ in range(REQUESTS):
            for key, path in paths.items():
                times[key].append(_timed(browser, path))
                times["bare"].append(_timed(browser, "/bench/bare/"))

    bare_median, bare_p95 = statistics.median(times["bare"]), _p95(times["bare"])
    print(f"requests per page: {REQUESTS} (interleaved with the bare view), gunicorn 1 worker,")
    print("PostgreSQL, one logged-in session (Nathalie Leroy, GAP of both enterprises)")
    print(f"bare view: median {bare_median * 1000:.2f} ms, p95 {bare_p95 * 1000:.2f} ms")
    print("| page | terms | median ms | p95 ms | × bare (median) | × bare (p95) |")
    print("|---|---|---|---|---|---|")
    for (name, size), values in ((key, times[key]) for key in paths):
        median, p95 = statistics.median(values), _p95(values)
        print(
            f"| {name} | {size} | {median * 1000:.2f} | {p95 * 1000:.2f} "
            f"| {median / bare_median:.2f} | {p95 / bare_p95:.2f} |"
        )
    for name in PAGES:
        small = statistics.median(times[(name, SIZES[0])])
        large = statistics.median(times[(name, SIZES[1])])
        print(f"{name}: {SIZES[1]} terms / {SIZES[0]} terms (median) = {large / small:.2f}")


if __name__ == "__main__":
    main()
