"""The portal's URLs plus a view that fails and one that refuses its request, to see the 500 and
400 pages."""

from django.core.exceptions import BadRequest
from django.urls import path

from csam_portal.urls import handler400, handler500, urlpatterns


def broken(request):
    raise RuntimeError("A bug, for the test of the 500 page.")


def refused(request):
    raise BadRequest("A malformed request, for the test of the 400 page.")


urlpatterns = [*urlpatterns, path("broken/", broken), path("refused/", refused)]

__all__ = ["handler400", "handler500", "urlpatterns"]
