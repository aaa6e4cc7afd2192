"""The e-mail outbox: a message is a row of the transaction that caused it, sent after commit.

- `enqueue()` renders subject, text and HTML in the recipient's language into an `OutboundEmail`
  row of the caller's transaction, and queues the sending task once that transaction commits.
- `deliver()` (the task's body) claims a due message with one UPDATE, so it is sent at most once
  however many tasks carry its id; a failure is retried with exponential backoff and jitter, a
  bounded number of times, then the message is marked failed (visible in the admin).
- `relay()` (Celery beat) re-dispatches what a lost task left pending: Redis keeps nothing on disk,
  the database does.
"""

from __future__ import annotations

import logging
import random
import re
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import translation

from csam_portal.core import audit
from csam_portal.models import OutboundEmail

logger = logging.getLogger(__name__)

ERASED = "(erased once sent: it held a security code)"


class DueNow(Now):
    """The database's clock, to decide what is due.

    SQLite keeps datetimes as text and its clock counts milliseconds ("… 10:40:15.215"), while a
    time written from Python or by date arithmetic carries microseconds ("… 10:40:15.215173"):
    compared as text, a message due in the current millisecond would not be due yet. "Now" is
    there the end of the current millisecond; other databases compare real timestamps.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', 'NOW') || '999')",
            **extra_context,
        )


# Process-local: after a failed publish, later requests skip the broker for a while instead of
# each waiting for its timeout; their messages stay pending and the relay sends them.
_broker_down_until = 0.0


def enqueue(
    template: str, *, to: str, language: str, sensitive: bool = False, **context
) -> OutboundEmail:
    """Render the e-mail `template` ("<app>/<name>") for `to` in `language`; send after commit.

    The app's templates `<app>/emails/<name>.subject.txt`, `.txt` and `.html` receive `context`
    and `portal_url` (for absolute links). A `sensitive` message (a security code) has its body
    erased once sent, and staff never see it.
    """
    app_label, name = template.split("/")
    base = f"{app_label}/emails/{name}"
    context = {"portal_url": settings.PORTAL_URL, **context}
    with translation.override(language):
        subject = _one_line(render_to_string(f"{base}.subject.txt", context))
        body_text = render_to_string(f"{base}.txt", context)
        body_html = render_to_string(f"{base}.html", context)
    email = OutboundEmail(
        template=template,
        recipient=to,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        sensitive=sensitive,
    )
    email.full_clean()
    email.save()
    # robust: the change is committed whatever happens next; a failure here must not become a 500.
    transaction.on_commit(partial(dispatch, email.pk), robust=True)
    return email


def _one_line(text: str) -> str:
    """A subject on one line: runs of spaces and line breaks become one space; the no-break
    spaces of French typography (csam_portal.core.typography) stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def dispatch(email_id: int) -> None:
    """Queue the sending task; if the broker cannot take it now, the relay will."""
    global _broker_down_until
    from csam_portal.core import tasks

    if tasks.outbox_send.app.conf.task_always_eager:  # no broker: the task runs here and now
        tasks.outbox_send.apply_async((email_id,))
        return
    if time.monotonic() < _broker_down_until:
        return
    try:
        tasks.outbox_send.apply_async((email_id,), retry=False)
    except Exception as error:  # kombu's many connection, timeout and channel errors alike
        _broker_down_until = time.monotonic() + settings.OUTBOX_BROKER_BACKOFF_SECONDS
        logger.warning("Broker unreachable, e-mail %s left to the relay: %r", email_id, error)


def retry_delay(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: doubling from the base, capped, half of it random."""
    ceiling = min(
        settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def deliver(email_id: int) -> float | None:
    """Send message `email_id` if it is pending and due; return the delay of its next try, if any.

    The claim (pending → sending) is one UPDATE: a second task for the same message finds nothing
    to claim and returns, so a message is never sent twice. Times are the database's, so the
    clocks of web servers and workers need not agree.
    """
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=DueNow()
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=Now(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _send(email)
    except Exception as error:  # whatever SMTP or the network raised: the row says what
        logger.warning("E-mail %s, attempt %s failed: %r", email.pk, email.attempts, error)
        return _record_failure(email, error)
    sent = {"status": OutboundEmail.Status.SENT, "sent_at": Now(), "last_error": ""}
    if email.sensitive:
        sent |= {"body_text": ERASED, "body_html": ERASED}
    OutboundEmail.objects.filter(pk=email.pk).update(**sent)
    return None


def _send(email: OutboundEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers={"Message-ID": f"<{email.key}@csam-portal>", "Content-Language": email.language},
    )
    message.attach_alternative(email.body_html, "text/html")
    message.send()


def _record_failure(email: OutboundEmail, error: Exception) -> float | None:
    description = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED, last_error=description
        )
        logger.error("E-mail %s failed %s times, given up: %s", email.pk, email.attempts, error)
        return None
    delay = retry_delay(email.attempts)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.PENDING,
        last_error=description,
        next_attempt_at=Now() + timedelta(seconds=delay),
    )
    return delay


def relay() -> int:
    """Re-dispatch the pending messages whose task was lost; return how many.

    A message is relayed once it is overdue by the grace period, and then not again before another
    grace period: a queue that is merely slow is not flooded with copies of its own tasks.
    A message still "sending" long after its claim was interrupted (worker killed mid-send): it may
    or may not have left, so it is marked failed for staff to check rather than sent twice.
    """
    global _broker_down_until
    stale = timedelta(seconds=settings.OUTBOX_STALE_SENDING_SECONDS)
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=Now() - stale
    ).update(
        status=OutboundEmail.Status.FAILED,
        last_error="Interrupted while sending; check the mail server's log before resending.",
    )
    grace = timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS)
    with transaction.atomic():
        lost = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=Now() - grace)
            .filter(Q(relayed_at=None) | Q(relayed_at__lte=Now() - grace))
            .order_by("next_attempt_at")
        )
        ids = list(lost.values_list("pk", flat=True)[:500])
        OutboundEmail.objects.filter(pk__in=ids).update(relayed_at=Now())
    _broker_down_until = 0.0  # the relay runs in a worker: the broker is reachable again
    for email_id in ids:
        dispatch(email_id)
    return len(ids)


@transaction.atomic
def outbound_email_requeue(*, emails: QuerySet[OutboundEmail], actor: audit.Actor) -> int:
    """Put failed messages back in the queue, attempts reset (admin action «Renvoyer»)."""
    count = 0
    for email in emails.select_for_update().filter(status=OutboundEmail.Status.FAILED):
        with audit.change(actor, "outbound_email_requeue", email):
            email.status = OutboundEmail.Status.PENDING
            email.attempts = 0
            email.next_attempt_at = Now()
            email.save(update_fields=["status", "attempts", "next_attempt_at"])
            email.refresh_from_db(fields=["next_attempt_at"])
        transaction.on_commit(partial(dispatch, email.pk), robust=True)
        count += 1
    return count
