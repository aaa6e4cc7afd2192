"""Benchmark: the time of a request that writes an outbox e-mail, against the same request without.

Runs the real stack (gunicorn, PostgreSQL, Redis, no worker: messages only queue) and posts the
contact form N times each way, interleaved so that the machine's noise falls on both alike. The
two differ only by the e-mail: its rendering in the recipient's language, its row, its task
published to Redis after commit. Prints the medians and their ratio.

    make bench-outbox            (BENCH_REQUESTS=200, BENCH_DATABASE_URL, BENCH_REDIS_URL)
"""

import os
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import processes  # noqa: E402 (after the path is set)
from tests.bench.database import recreate_database  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csam_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
QUESTION = {
    "name": "Marie Dubois",
    "email": "marie.dubois@example.be",
    "enterprise_number": "0410.472.920",
    "subject": "Désignation du GAP",
    "message": "Comment désigner mon comptable comme GAP ?",
}


def main() -> None:
    queue = f"bench-{uuid.uuid4().hex}"
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "smtp://127.0.0.1:9",  # no worker runs: nothing is sent
        "CONTACT_MAX_PER_HOUR": str(10 * REQUESTS),  # one client posts them all
        "DIGITAL_KEYS_PROVIDER": "simulators",
        "DEMO_SIMULATED_KEYS": "1",
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP on 127.0.0.1
    }
    recreate_database(DATABASE_URL)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )

    with processes.web_server(env) as base_url:
        browser = processes.Browser(base_url)
        for _ in range(10):  # warm-up: imports, template caches, connections
            browser.submit("/contact/", {**QUESTION, "send_copy": "on"})
        with_email, without_email = [], []
        for _ in range(REQUESTS):
            with_email.append(browser.submit("/contact/", {**QUESTION, "send_copy": "on"})[2])
            without_email.append(browser.submit("/contact/", QUESTION)[2])

    _purge(queue)
    median_with = statistics.median(with_email) * 1000
    median_without = statistics.median(without_email) * 1000
    print(f"requests each way: {REQUESTS} (interleaved), gunicorn 1 worker, PostgreSQL + Redis")
    print(f"POST /contact/ without e-mail: median {median_without:.2f} ms")
    print(f"POST /contact/ with an outbox e-mail: median {median_with:.2f} ms")
    print(f"ratio with/without: {median_with / median_without:.2f}")


def _purge(queue: str) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).delete(queue)


if __name__ == "__main__":
    main()
