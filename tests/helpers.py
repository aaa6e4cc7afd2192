"""Helpers the tests share, written once: reading a page, a login, an e-mailed code, the wizards'
step URLs and field names, a registered enterprise."""

import re
from html import unescape

from django.urls import reverse

from access_managers.models import Registration
from csam_portal.models import OutboundEmail
from tests.factories import AccessManagerFactory

# The hidden field each wizard's POST names its step with (formtools' "<prefix>-current_step").
DESIGNATION_WIZARD = "gap_designation_wizard-current_step"
EXCEPTIONAL_WIZARD = "exceptional_request_wizard-current_step"


def text(response) -> str:
    """The page's HTML with its entities decoded, as a person reads «d'Accès» in it."""
    return unescape(response.content.decode())


def designation_step(step: str) -> str:
    """The URL of one step of the standard GAP designation wizard (flows.md §1)."""
    return reverse("access_managers:gap_designate_step", args=[step])


def exceptional_step(step: str) -> str:
    """The URL of one step of the exceptional procedure's wizard (flows.md §2)."""
    return reverse("access_managers:gap_exceptional_step", args=[step])


def logged_in_user(client):
    """The account the client's session is logged in as, None if anonymous."""
    user = client.get(reverse("home")).wsgi_request.user
    return user if user.is_authenticated else None


def last_code() -> str:
    """The 6-digit code of the last e-mail in the outbox (an e-mail key's verification)."""
    return re.search(r"\b(\d{6})\b", OutboundEmail.objects.latest("pk").body_text).group(1)


def register(enterprise, gap_user) -> None:
    """`enterprise` registered in CSAM by `gap_user`, its GAP, by the standard procedure."""
    Registration.objects.create(
        enterprise=enterprise, registered_by=gap_user.person, procedure="standard"
    )
    AccessManagerFactory(enterprise=enterprise, person=gap_user.person)


def ensure_catalogue() -> None:
    """Write again the catalogue (domains, qualités, applications) the migrations wrote, if a
    transactional test's closing flush emptied it."""
    from importlib import import_module

    from django.apps import apps

    if not apps.get_model("enterprises", "Domain").objects.exists():
        import_module("enterprises.migrations.0002_catalogue").load(apps, None)
