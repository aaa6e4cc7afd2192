"""What the access managers' views share: the session's keys."""

from __future__ import annotations

DONE_SESSION_KEY = "gap_designation_done"
EXCEPTIONAL_SESSION_KEY = "exceptional_request_done"
# The tickets this browser session asked for: only they may download their document.
TICKETS_SESSION_KEY = "exceptional_tickets"
