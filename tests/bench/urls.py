"""The portal's URLs plus `bench/bare/`: the cheapest page a logged-in session can ask, the
benchmarks' baseline (the same middleware, session and user loading as a real page); and
`bench/pid/`, the process id of the worker that answers, whose memory a benchmark reads."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.user.is_authenticated}")


def pid(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(os.getpid()))


handler400 = "csam_portal.public.views.bad_request"
handler500 = "csam_portal.public.views.server_error"

urlpatterns = [
    path("bench/bare/", bare),
    path("bench/pid/", pid),
    path("", include("csam_portal.urls")),
]
