"""Celery tasks of the access managers: the service does the work."""

from celery import shared_task

from access_managers.services import exceptional_requests
from csam_portal.core.audit import Actor


@shared_task(ignore_result=True)
def exceptional_requests_expire() -> int:
    """Periodic (Celery beat): pending exceptional requests past their delay expire."""
    return exceptional_requests.exceptional_requests_expire(
        actor=Actor.system("exceptional_requests_expire")
    )
