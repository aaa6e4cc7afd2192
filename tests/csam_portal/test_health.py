import socket
import time

import pytest
from django.urls import reverse

from csam_portal.celery import app as celery_app
from csam_portal.core import health
from tests import processes

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_is_200_when_everything_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("health"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


def test_health_is_503_when_redis_does_not_answer(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False}  # no error text for the public


def test_staff_see_why_a_check_fails(client, settings, staff, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    client.force_login(staff)

    checks = client.get(reverse("health")).json()["checks"]

    assert "Connection refused" in checks["redis"]["detail"]
    assert checks["celery"]["detail"] == "broker unreachable"


def test_health_answers_within_3_seconds_when_redis_hangs(client, settings):
    hung = processes.HungServer()
    settings.REDIS_URL = f"redis://127.0.0.1:{hung.port}/0"

    started = time.monotonic()
    response = client.get(reverse("health"))
    elapsed = time.monotonic() - started

    hung.close()
    assert response.status_code == 503
    assert response.json()["checks"]["celery"] == {"ok": False}
    assert elapsed < 3


def test_celery_check_fails_when_no_worker_answers(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.control, "ping", lambda timeout, limit: [])

    assert health.check_celery() == {"ok": False, "detail": "no worker answered"}


def test_database_check_reports_a_broken_connection(monkeypatch):
    class Broken:
        vendor = "broken"

        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())

    assert health.check_database()["ok"] is False
