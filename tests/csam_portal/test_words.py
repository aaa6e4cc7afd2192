"""Small things every page gets right: a description of its own, no cookie consent to ask for
cookies that need none, and ARIA only where the element's role allows it."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every page a visitor reaches from the menus, with or without logging in.
PAGES = [
    "home",
    "about",
    "access_management",
    "guide",
    "contact",
    "cookies",
    "mandates",
    "users:login",
    "users:login_eid",
    "users:login_itsme",
    "users:login_email_code",
    "access_managers:gap_exceptional",
]
LOGGED_IN_PAGES = [
    "users:digital_keys",
    "users:personal_data",
    "users:password_change",
    "access_managers:enterprise_list",
    "access_managers:social_security",
]
MAIN_PAGES = ["home", "about", "access_management", "guide", "contact", "cookies", "users:login"]
DEFAULT = (
    "CSAM, la porte d'accès aux services en ligne de l'État, pour les citoyens comme pour les "
    "entreprises."
)
# ARIA 1.2 forbids aria-label on these roles: a name there is read by nobody (Nu Html Checker).
NAMELESS_TAGS = {"p", "div", "span", "code", "em", "strong", "b", "i", "sub", "sup", "del", "ins"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.descriptions = []
        self.misplaced_labels = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs.get("content") or "")
        if tag in NAMELESS_TAGS and "aria-label" in attrs and "role" not in attrs:
            self.misplaced_labels.append((tag, attrs["aria-label"]))


def _read(response) -> _Page:
    assert response.status_code == 200, response.request["PATH_INFO"]
    page = _Page()
    page.feed(response.content.decode())
    return page


def _get(client, name):
    return client.get(reverse(name), follow=True)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_one_meta_description(client, name):
    page = _read(_get(client, name))

    assert len(page.descriptions) == 1
    assert len(page.descriptions[0]) >= 60


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_every_page_of_a_logged_in_person_has_one_meta_description(client, name):
    client.force_login(UserFactory())

    page = _read(_get(client, name))

    assert len(page.descriptions) == 1
    assert len(page.descriptions[0]) >= 60


def test_each_main_page_describes_itself_in_its_own_words(client):
    descriptions = {name: _read(_get(client, name)).descriptions[0] for name in MAIN_PAGES}

    assert len(set(descriptions.values())) == len(MAIN_PAGES)
    assert DEFAULT not in descriptions.values()


def test_the_description_is_in_the_pages_language(client):
    client.post(reverse("language_set"), {"language": "nl", "next": "/"})

    description = _read(_get(client, "cookies")).descriptions[0]

    assert description.startswith("De cookies van CSAM")


@pytest.mark.parametrize("name", PAGES)
def test_no_page_asks_to_accept_cookies(client, name):
    html = unescape(_get(client, name).content.decode())

    assert "J'accepte" not in html
    assert "améliorer votre expérience" not in html


def test_the_cookie_page_lists_exactly_the_cookies_the_portal_sets(client, settings):
    client.get(reverse("contact"))
    client.post(reverse("language_set"), {"language": "fr", "next": "/"})
    client.force_login(UserFactory())
    set_by_the_portal = {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        CookieStorage.cookie_name,  # the one-time confirmations («La clé … est activée.»)
    }

    html = client.get(reverse("cookies")).content.decode()

    assert set(client.cookies) <= set_by_the_portal
    assert set(re.findall(r"<td[^>]*><code>([\w-]+)</code></td>", html)) == set_by_the_portal


def test_the_cookie_page_says_why_nobody_is_asked_to_consent(client):
    html = unescape(_get(client, "cookies").content.decode())

    assert "Ce portail n'utilise que les cookies nécessaires à son fonctionnement." in html
    assert "la loi ne requiert pas votre consentement" in html


@pytest.mark.parametrize("name", PAGES)
def test_no_page_names_an_element_whose_role_cannot_have_a_name(client, name):
    page = _read(_get(client, name))

    assert page.misplaced_labels == []
