from django.conf import settings
from django.http import HttpRequest

COOKIE_CONSENT_NAME = "csam_cookies_accepted"


def portal(request: HttpRequest) -> dict:
    """What base.html needs on every page: the cookie banner's state and the contact centre."""
    return {
        "cookie_banner": COOKIE_CONSENT_NAME not in request.COOKIES,
        "social_security_contact_url": settings.SOCIAL_SECURITY_CONTACT_URL,
    }
