"""The public pages (flows.md §0 and §7), the language switch, /health/ and the error pages."""

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csam_portal.core import health as health_checks
from csam_portal.core.access import public
from csam_portal.core.audit import Actor
from csam_portal.public import services
from csam_portal.public.forms import ContactForm
from users import fas
from users.services import accounts

# The services that later flows build; until then their links lead to a page that says so.
UPCOMING = {
    "mandates": _("Gestion des mandats"),
}


@public("the browser's icon")
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico even on pages that name their icon (the admin's)."""
    return redirect(static("portal/favicon.svg"), permanent=True)


@public("a page saying a service is coming: for everyone")
@require_GET
def upcoming(request: HttpRequest, feature: str) -> HttpResponse:
    if feature not in UPCOMING:
        raise Http404
    return render(request, "csam_portal/upcoming.html", {"feature": UPCOMING[feature]})


@public("the contact form: for everyone, as the public service's")
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            message = services.contact_message_create(
                language=request.LANGUAGE_CODE,
                actor=Actor.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)  # nothing was written; the form says why
        else:
            request.session["contact_reference"] = message.reference
            copy_to = form.cleaned_data["email"] if form.cleaned_data["send_copy"] else ""
            request.session["contact_copy_to"] = copy_to
            return redirect("contact_sent")
    return render(request, "csam_portal/contact.html", {"form": form})


@public("the contact form's thanks: for everyone")
@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get("contact_reference")
    if not reference:
        return redirect("contact")
    context = {"reference": reference, "copy_to": request.session.get("contact_copy_to")}
    return render(request, "csam_portal/contact_sent.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@public("choosing the page's language: for everyone")
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the language and come back to the same page (the header's FR | NL | DE | EN)."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if language not in dict(settings.LANGUAGES):
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=request.is_secure(),
    )
    if request.user.is_authenticated:
        accounts.user_language_set(
            user=request.user, language=language, actor=Actor.from_request(request)
        )
    return response


@public("logging out: ends whatever session the browser has")
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the portal's session, and FAS's too for a person who came through it."""
    at_fas = fas.logout_url(request)  # before the session, which holds its ID token, is gone
    auth.logout(request)
    return redirect(at_fas or "home")


@public("the health check for load balancers; details for staff only")
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Reachability of the database, Redis and a Celery worker: 200 if all answer, else 503.

    Anyone (a load balancer) sees which part fails; staff also see the error.
    """
    report = health_checks.check_all()
    healthy = all(check["ok"] for check in report.values())
    if not request.user.is_staff:  # errors name hosts and accounts: for staff and the logs only
        report = {name: {"ok": check["ok"]} for name, check in report.items()}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": report},
        status=200 if healthy else 503,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page drawn with the request, as every other page (Django's draws it without: no
    account in the header, no working language switch); Django's if even that cannot be drawn."""
    try:
        return render(request, "400.html", status=400)
    except Exception:  # the request itself may be what is wrong (e.g. its host)
        return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the portal's look; Django's plain one if even that cannot be drawn."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the error may come from what the page itself needs
        return defaults.server_error(request)
