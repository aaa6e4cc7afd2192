"""The outbox on the real stack: gunicorn, Redis, a Celery worker (with beat), an SMTP sink.

These tests start processes, so they commit to the test database (transactional_db).
"""

import os
import re
import time
import uuid
from email.header import decode_header, make_header
from html import unescape

import pytest

from csam_portal.models import ContactMessage, OutboundEmail
from tests import processes
from tests.helpers import DESIGNATION_WIZARD
from tests.services import skip_or_fail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUESTION = {
    "name": "Marie Dubois",
    "email": "marie.dubois@example.be",
    "enterprise_number": "0410.472.920",
    "subject": "Désignation du GAP",
    "message": "Comment désigner mon comptable comme GAP ?",
    "send_copy": "on",
}


@pytest.fixture
def smtp_sink():
    sink = processes.SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def private_redis():
    """A Redis of this test's own, which it may stop and start again."""
    if not processes.redis_server_binary():
        skip_or_fail("needs the redis-server program to stop and restart a broker")
    server = processes.RedisServer()
    yield server
    server.stop()


@pytest.mark.redis
def test_a_real_worker_sends_the_email_of_a_request_to_the_smtp_server(smtp_sink):
    # The CI's Redis, on a queue of this test's own so no other consumer takes the task.
    env = processes.portal_env(
        redis_url=os.environ["REDIS_URL"],
        email_url=smtp_sink.url,
        CELERY_TASK_DEFAULT_QUEUE=f"test-{uuid.uuid4().hex}",
    )

    with processes.web_server(env) as base_url, processes.celery_worker(env):
        browser = processes.Browser(base_url)
        health_status, health = browser.get("/health/")
        status, page, _seconds = browser.submit("/contact/", QUESTION)
        assert status == 200
        processes.wait_for(lambda: smtp_sink.messages, timeout=30, what="the e-mail")

    assert health_status == 200
    assert '"celery": {"ok": true}' in health

    contact = ContactMessage.objects.get()
    assert contact.reference in page
    [message] = smtp_sink.messages
    assert message["To"] == "marie.dubois@example.be"
    assert contact.reference in message["Subject"]
    email = OutboundEmail.objects.get()
    assert message["Message-ID"] == f"<{email.key}@csam-portal>"
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)


@pytest.mark.redis
def test_a_refused_send_is_retried_by_the_worker_after_its_backoff(tmp_path):
    sink = processes.SmtpSink(refuse_first=1)
    sink.start()
    env = processes.portal_env(
        redis_url=os.environ["REDIS_URL"],
        email_url=sink.url,
        CELERY_TASK_DEFAULT_QUEUE=f"test-{uuid.uuid4().hex}",
        OUTBOX_RETRY_BASE_SECONDS="1",
    )

    try:
        with processes.web_server(env) as base_url, processes.celery_worker(env) as worker:
            processes.Browser(base_url).submit("/contact/", QUESTION)
            processes.wait_for(lambda: sink.messages, timeout=30, what="the retried e-mail")
            worker.wait_for_line(r"outbox_send\[.*\] retry", timeout=5)
    finally:
        sink.stop()

    assert (sink.refused, len(sink.messages)) == (1, 1)
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert email.last_error == ""


def test_with_the_broker_stopped_the_request_commits_and_the_relay_sends_later(
    smtp_sink, private_redis, tmp_path
):
    env = processes.portal_env(
        redis_url=private_redis.url,
        email_url=smtp_sink.url,
        OUTBOX_RELAY_INTERVAL_SECONDS="1",
        OUTBOX_RELAY_GRACE_SECONDS="0",
    )

    with processes.web_server(env) as base_url:
        status, page, seconds = processes.Browser(base_url).submit("/contact/", QUESTION)

    assert status == 200
    assert seconds < 3
    contact = ContactMessage.objects.get()
    assert contact.reference in page
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING

    private_redis.start()
    with processes.celery_worker(env) as worker, processes.celery_beat(env, tmp=tmp_path):
        processes.wait_for(lambda: smtp_sink.messages, timeout=30, what="the relayed e-mail")
        relays = worker.count(r"outbox_relay\[.*\] succeeded")
        # Two more relay rounds after the send: the message must not leave a second time.
        worker.wait_for_line(r"outbox_relay\[.*\] succeeded", timeout=15)
        processes.wait_for(
            lambda: worker.count(r"outbox_relay\[.*\] succeeded") >= relays + 2,
            timeout=15,
            what="two more relay rounds",
        )

    assert len(smtp_sink.messages) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)


def test_a_hung_broker_does_not_hold_the_request_more_than_3_seconds():
    """Redis accepts the connection and never answers: Celery's defaults would wait 40 s."""
    hung = processes.HungServer()
    env = processes.portal_env(redis_url=f"redis://127.0.0.1:{hung.port}/0")

    with processes.web_server(env) as base_url:
        browser = processes.Browser(base_url)
        status, _page, seconds = browser.submit("/contact/", QUESTION)
        second_status, _page, second_seconds = browser.submit("/contact/", QUESTION)

    hung.close()
    assert (status, second_status) == (200, 200)
    assert seconds < 3
    assert second_seconds < 3
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 2


def test_processes_helpers_time_out_with_a_clear_message():
    started = time.monotonic()

    with pytest.raises(AssertionError, match="Timed out after 0.3 s waiting for nothing"):
        processes.wait_for(lambda: False, timeout=0.3, what="nothing")

    assert time.monotonic() - started < 2


@pytest.mark.redis
def test_a_real_worker_delivers_the_gap_confirmation_email(smtp_sink, settings):
    """The standard procedure on the real stack: eID login, the three screens, «Confirmer»;
    the worker takes the outbox row from Redis and the SMTP sink receives the instructions."""
    from tests.factories import EnterpriseFactory, LegalFunctionFactory, SimulatedCardFactory

    enterprise = EnterpriseFactory(name="Boulangerie Réelle")
    settings.SECRET_KEY = processes.portal_env(redis_url="")["SECRET_KEY"]  # the PIN's digest key
    card = SimulatedCardFactory()
    LegalFunctionFactory(enterprise=enterprise, person=card.person)
    env = processes.portal_env(
        redis_url=os.environ["REDIS_URL"],
        email_url=smtp_sink.url,
        CELERY_TASK_DEFAULT_QUEUE=f"test-{uuid.uuid4().hex}",
    )

    with processes.web_server(env) as base_url, processes.celery_worker(env):
        browser = processes.Browser(base_url)
        browser.submit("/login/eid/", {"niss": card.person.niss, "pin": "1234"})
        browser.get("/gap/designate/")
        browser.submit(
            "/gap/designate/enterprise/",
            {DESIGNATION_WIZARD: "enterprise", "enterprise-number": enterprise.number},
        )
        browser.submit(
            "/gap/designate/manager/",
            {
                DESIGNATION_WIZARD: "manager",
                "manager-gap": "self",
                "manager-requester_email": "direction@boulangerie.be",
                "manager-requester_phone": "02 512 34 56",
            },
        )
        _status, page = browser.get("/gap/designate/confirmation/")
        match = re.search(r'name="confirmation-token" value="([^"]+)"', page)
        assert match, page[-3000:]
        token = match.group(1)
        status, page, _seconds = browser.submit(
            "/gap/designate/confirmation/",
            {
                DESIGNATION_WIZARD: "confirmation",
                "confirmation-confirm": "on",
                "confirmation-token": token,
            },
        )
        assert status == 200
        assert "Gestionnaire d'Accès Principal désigné !" in unescape(page)
        processes.wait_for(lambda: smtp_sink.messages, timeout=30, what="the e-mail")

    [message] = smtp_sink.messages
    assert message["To"] == "direction@boulangerie.be"
    assert "Boulangerie Réelle" in str(make_header(decode_header(message["Subject"])))
    email = OutboundEmail.objects.get()
    assert (email.template, email.status) == (
        "access_managers/gap_designated",
        OutboundEmail.Status.SENT,
    )
