"""«Mes applications»: the secured applications the logged-in person may use (the portal's own
page, flows.md §4: no seed shows it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import selectors
from users.permissions import person_required


@never_cache
@person_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    """The person's own applications, by enterprise and qualité (access.md: «use an application
    of Q»): what their active memberships grant; nobody sees another's."""
    enterprises = selectors.applications_of(niss=request.user.niss)
    return render(request, "access_managers/my_applications.html", {"enterprises": enterprises})
