from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """What base.html (and the admin's) needs on every page: the banner and the contact centre.

    The simulated keys' banner shows wherever they run: `make run`, tests and a demonstration.
    """
    return {
        "simulated_keys_banner": settings.DIGITAL_KEYS_PROVIDER == "simulators",
        "social_security_contact_url": settings.SOCIAL_SECURITY_CONTACT_URL,
    }
