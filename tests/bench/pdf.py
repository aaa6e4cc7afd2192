"""Benchmark: rendering the exceptional request's PDF, against WeasyPrint rendering a minimal
one-page HTML in the same run.

A new PostgreSQL database is migrated and given the demo; one exceptional request is recorded
(Ahmed El Amrani for Atlas Trading) and its document rendered N times, interleaved with the
minimal page so that the machine's noise falls on both alike. Prints the medians and the ratio.

    make bench-pdf            (BENCH_PDFS=30, BENCH_DATABASE_URL)
"""

import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.database import recreate_database  # noqa: E402 (after the path is set)

RENDERS = int(os.environ.get("BENCH_PDFS", "30"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/csam_bench_pdf"
)
MINIMAL = "<!doctype html><html><head><title>x</title></head><body><p>Hello</p></body></html>"


def main() -> None:
    recreate_database(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csam_portal.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command
    from weasyprint import HTML

    from access_managers import documents
    from access_managers.services import exceptional_requests
    from csam_portal.core.audit import Actor
    from users.models import Person

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    ahmed = Person.objects.get(niss="68450910708")
    request = exceptional_requests.exceptional_request_create(
        enterprise_number="0431418782",
        requester=ahmed,
        person=ahmed,
        email="direction@atlas-trading.be",
        phone="+3225123456",
        seen_gap=None,
        language="fr",
        actor=Actor.system("bench_pdf"),
    )
    documents.exceptional_request_pdf(request)  # fonts and templates loaded once, as in a worker
    HTML(string=MINIMAL).write_pdf()

    document_ms, minimal_ms = [], []
    for _ in range(RENDERS):
        started = time.perf_counter()
        size = len(documents.exceptional_request_pdf(request))
        document_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        HTML(string=MINIMAL).write_pdf()
        minimal_ms.append((time.perf_counter() - started) * 1000)

    document, minimal = statistics.median(document_ms), statistics.median(minimal_ms)
    print(f"exceptional request PDF ({size:,} bytes): median {document:.1f} ms over {RENDERS}")
    print(f"minimal one-page HTML:                 median {minimal:.1f} ms over {RENDERS}")
    print(f"ratio: {document / minimal:.1f}x")


if __name__ == "__main__":
    main()
