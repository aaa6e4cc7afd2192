"""The portal's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from csam_portal.urls import handler500, urlpatterns


def broken(request):
    raise RuntimeError("A bug, for the test of the 500 page.")


urlpatterns = [*urlpatterns, path("broken/", broken)]

__all__ = ["handler500", "urlpatterns"]
