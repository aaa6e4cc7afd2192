"""What the access managers' views share: the session's keys, and the check that the user is a
person."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

DONE_SESSION_KEY = "gap_designation_done"
EXCEPTIONAL_SESSION_KEY = "exceptional_request_done"
# The tickets this browser session asked for: only they may download their document.
TICKETS_SESSION_KEY = "exceptional_tickets"


def _person_required(request: HttpRequest) -> None:
    """The flows are for people known by their NISS; a back-office account has none."""
    if request.user.niss is None:
        raise PermissionDenied
