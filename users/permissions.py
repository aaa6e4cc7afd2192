"""Who may open the pages of one's own account (../shared/spec/access.md, last row): any logged-in
person, on their own account only; the views take the account from the session, never the URL."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from csam_portal.core.access import Access, declare


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view is for a logged-in person known by their NISS: anonymous → the login page; an
    account without a NISS (the back office's) → 403, as the portal's flows are for people."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.niss is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    guarded = login_required(wrapped)
    # A view may declare more (`guarded_by`): that declaration, made first, is kept.
    if getattr(view, "portal_access", None) is None:
        declare(guarded, Access("person"))
    return guarded
