from django.conf import settings
from django.http import HttpRequest

COOKIE_CONSENT_NAME = "csam_cookies_accepted"


def portal(request: HttpRequest) -> dict:
    """What base.html (and the admin's) needs on every page: the banners and the contact centre.

    The simulated keys' banner shows wherever they run: `make run`, tests and a demonstration.
    """
    return {
        "cookie_banner": COOKIE_CONSENT_NAME not in request.COOKIES,
        "simulated_keys_banner": settings.DIGITAL_KEYS_PROVIDER == "simulators",
        "social_security_contact_url": settings.SOCIAL_SECURITY_CONTACT_URL,
    }
