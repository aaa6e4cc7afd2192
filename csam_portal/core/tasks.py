"""Celery tasks of the outbox and the throttle: ids in, their modules do the work."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from csam_portal.core import outbox, throttle


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def outbox_send(self, email_id: int) -> None:
    """Send one outbox message; a failed try comes back after the outbox's backoff."""
    retry_in = outbox.deliver(email_id)
    # Eagerly (make run, no broker) a retry would run at once and find the message not yet due.
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)


@shared_task(ignore_result=True)
def outbox_relay() -> int:
    """Periodic (Celery beat): send what a lost task or a stopped broker left pending."""
    return outbox.relay()


@shared_task(ignore_result=True)
def throttle_prune() -> int:
    """Periodic (Celery beat): forget the throttle's hits older than any of its windows."""
    return throttle.prune(before=timezone.now() - settings.THROTTLE_RETENTION)
