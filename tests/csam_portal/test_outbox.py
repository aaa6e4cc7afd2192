import smtplib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from csam_portal.celery import app as celery_app
from csam_portal.core import outbox, tasks
from csam_portal.models import AuditRecord, ContactMessage, OutboundEmail
from csam_portal.public.services import contact_message_create

pytestmark = pytest.mark.django_db


def _contact(language="fr"):
    return ContactMessage.objects.create(
        name="Marie Dubois",
        email="marie@example.be",
        subject="Mon GAP",
        message="Bonjour",
        language=language,
    )


def _enqueue(language="fr", to="marie@example.be"):
    return outbox.enqueue(
        "csam_portal/contact_received", to=to, language=language, contact=_contact(language)
    )


def test_message_is_rendered_in_the_recipients_language():
    dutch = _enqueue(language="nl")
    french = _enqueue(language="fr")

    assert dutch.subject.startswith("Uw vraag aan het contactcenter")
    assert french.subject.startswith("Votre question au centre de contact")
    assert dutch.body_text.startswith("Beste,")
    assert '<html lang="nl">' in dutch.body_html
    assert "n'avez pas posé" in french.body_text  # plain text is not HTML-escaped


def test_message_is_sent_after_commit_with_its_idempotency_key(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
        assert mailoutbox == []  # nothing leaves before the transaction commits

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["marie@example.be"]
    assert sent.extra_headers["Message-ID"] == f"<{email.key}@csam-portal>"
    assert sent.alternatives[0].mimetype == "text/html"


def test_message_is_not_queued_when_its_transaction_rolls_back(django_capture_on_commit_callbacks):
    def change_that_fails():
        with transaction.atomic():
            _enqueue()
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        change_that_fails()

    assert callbacks == []
    assert OutboundEmail.objects.count() == 0


def test_a_message_is_sent_at_most_once_however_many_tasks_carry_it(mailoutbox):
    email = _enqueue()

    outbox.deliver(email.pk)
    outbox.deliver(email.pk)
    tasks.outbox_send.delay(email.pk)

    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_failed_send_is_retried_later_with_backoff(monkeypatch, mailoutbox):
    email = _enqueue()
    monkeypatch.setattr(outbox, "_send", _refuse)

    delay = outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert 15 <= delay <= 30  # base 30 s, half of it random
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=14)
    assert outbox.deliver(email.pk) is None  # not due yet: nothing happens
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_message_failing_every_attempt_is_marked_failed(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = _enqueue()
    monkeypatch.setattr(outbox, "_send", _refuse)

    for _attempt in range(3):
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outbox.deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 3


def test_retry_delays_grow_and_stay_bounded(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600

    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]:
        delays = [outbox.retry_delay(attempt) for _ in range(50)]
        assert min(delays) >= ceiling / 2
        assert max(delays) <= ceiling
        assert len(set(delays)) > 1  # jittered


def test_an_unreachable_broker_leaves_the_message_to_the_relay(monkeypatch, caplog):
    calls = []

    def down(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_send, "apply_async", down)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    first, second = _enqueue(), _enqueue()

    outbox.dispatch(first.pk)
    outbox.dispatch(second.pk)  # the circuit is open: the broker is not tried again

    assert len(calls) == 1
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 2
    assert "left to the relay" in caplog.text


def test_relay_sends_pending_messages_past_their_due_time_only(settings, mailoutbox):
    settings.OUTBOX_RELAY_GRACE_SECONDS = 60
    overdue, recent = _enqueue(to="overdue@example.be"), _enqueue(to="recent@example.be")
    OutboundEmail.objects.filter(pk=overdue.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.relay() == 1

    assert [message.to for message in mailoutbox] == [["overdue@example.be"]]
    recent.refresh_from_db()
    assert recent.status == OutboundEmail.Status.PENDING


def test_relay_does_not_resend_a_task_it_just_relayed(settings, monkeypatch):
    settings.OUTBOX_RELAY_GRACE_SECONDS = 60
    dispatched = []
    monkeypatch.setattr(outbox, "dispatch", dispatched.append)
    email = _enqueue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.relay() == 1
    assert outbox.relay() == 0  # its task may just be waiting in a slow queue

    OutboundEmail.objects.filter(pk=email.pk).update(
        relayed_at=timezone.now() - timedelta(minutes=2)
    )
    assert outbox.relay() == 1  # a grace period later, still pending: relayed once more
    assert dispatched == [email.pk, email.pk]


def test_relay_marks_a_message_interrupted_mid_send_as_failed_not_resent(settings, mailoutbox):
    email = _enqueue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )

    outbox.relay()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "Interrupted" in email.last_error
    assert mailoutbox == []


def test_requeue_puts_failed_messages_back_and_audits_it(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    from csam_portal.core.audit import Actor

    failed, sent = _enqueue(), _enqueue()
    OutboundEmail.objects.filter(pk=failed.pk).update(status="failed", attempts=6)
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent")

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.outbound_email_requeue(
            emails=OutboundEmail.objects.all(), actor=Actor(user=staff, role="staff")
        )

    assert count == 1
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1
    record = AuditRecord.objects.get(action="outbound_email_requeue")
    assert record.before["status"] == "failed"
    assert record.after["status"] == "pending"
    assert record.actor_user == staff


def test_contact_service_writes_row_audit_and_email_in_one_transaction(system_actor):
    contact = contact_message_create(
        name="Jan Peeters",
        email="jan@example.be",
        enterprise_number="0420945851",
        subject="Vraag",
        message="Hallo",
        send_copy=True,
        language="nl",
        actor=system_actor,
    )

    email = OutboundEmail.objects.get()
    assert email.recipient == "jan@example.be"
    assert email.language == "nl"
    assert contact.reference in email.subject
    assert AuditRecord.objects.get().action == "contact_message_create"


def _refuse(email):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
