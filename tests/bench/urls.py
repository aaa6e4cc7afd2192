"""The portal's URLs plus the benchmarks' baselines, measured in the same run as the pages:

- `bench/layout/`: a bare Django view rendering the portal's empty layout (base.html with its
  header, menu and footer, no content), for a logged-in session — the baseline the issues'
  targets name ("≤ 3× a bare view rendering the portal's empty layout");
- `bench/bare/`: the cheapest page a logged-in session can ask (the same middleware, session
  and user loading, no template), printed beside it to show what the layout itself costs;
- `bench/pid/`, the process id of the worker that answers, whose memory a benchmark reads."""

import os

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.user.is_authenticated}")


def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/empty_layout.html")


def pid(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(os.getpid()))


handler400 = "csam_portal.public.views.bad_request"
handler500 = "csam_portal.public.views.server_error"

urlpatterns = [
    path("bench/bare/", bare),
    path("bench/layout/", layout),
    path("bench/pid/", pid),
    path("", include("csam_portal.urls")),
]
