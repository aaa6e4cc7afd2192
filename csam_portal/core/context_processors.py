import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# The pages every page's header and footer link to, by the names the templates use.
_SITE_PAGES = {
    "home": "home",
    "about": "about",
    "contact": "contact",
    "cookies": "cookies",
    "login": "users:login",
    "logout": "logout",
    "language_set": "language_set",
    "digital_keys": "users:digital_keys",
    "personal_data": "users:personal_data",
    "access_management": "access_management",
    "mandates": "mandates",
    "who_manages_list": "access_managers:who_manages_list",
    "my_applications": "access_managers:my_applications",
}


class _SiteUrls:
    """`site_urls.<name>` in a template: the URL of `_SITE_PAGES[name]`, reversed once per
    URLconf and script prefix (they take no argument, and reversing a dozen of them on every
    page cost a tenth of a bare page), and only when a template asks for it."""

    def __init__(self, urlconf: str, prefix: str) -> None:
        self._where = (urlconf, prefix)

    def __getitem__(self, name: str) -> str:
        return _site_url(*self._where, _SITE_PAGES[name])


@functools.cache
def _site_url(urlconf: str, prefix: str, view: str) -> str:
    return reverse(view, urlconf=urlconf)


def portal(request: HttpRequest) -> dict:
    """What base.html (and the admin's) needs on every page: the header's and footer's links,
    the banner and the contact centre.

    The simulated keys' banner shows wherever they run: `make run`, tests and a demonstration.
    """
    return {
        "site_urls": _SiteUrls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()),
        "simulated_keys_banner": settings.DIGITAL_KEYS_PROVIDER == "simulators",
        "social_security_contact_url": settings.SOCIAL_SECURITY_CONTACT_URL,
    }
