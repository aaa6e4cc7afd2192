import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import reverse

from tests.helpers import text

PUBLIC_PAGES = ["home", "about", "access_management", "guide", "contact", "cookies"]
UPCOMING_PAGES = ["mandates"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def _internal_links(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    return {href.split("#")[0] for href in parser.hrefs if href.startswith("/")}


def test_home_shows_the_seed_texts_and_the_three_service_cards(client):
    html = unescape(client.get(reverse("home")).content.decode())

    for label in [
        "CSAM, la porte d'accès aux services de l'État",
        "DÉCOUVREZ LES SERVICES PROPOSÉS PAR CSAM",
        "MES CLÉS NUMÉRIQUES",
        "GESTION DES GESTIONNAIRES D'ACCÈS",
        "GESTION DES MANDATS",
        "ACCUEIL",
        "QU'EST-CE QUE CSAM ?",
        "SERVICES",
        "CONTACT",
    ]:
        assert label in html, label
    assert html.count("En savoir plus") == 3
    assert 'lang="fr"' in html


def test_access_management_page_shows_the_three_steps_and_both_procedures(client):
    html = unescape(client.get(reverse("access_management")).content.decode())

    for label in [
        "DÉSIGNER UN GESTIONNAIRE D'ACCÈS PRINCIPAL",
        "PROCÉDURE STANDARD",
        "Attention\u202f: cette procédure doit impérativement se faire par un représentant légal de "
        "l'entreprise.",
        "PROCÉDURE EXCEPTIONNELLE",
        "Vous n'avez pas d'eID ou de carte électronique pour étrangers ?",
        "Suivez alors cette procédure pour désigner un Gestionnaire d'Accès Principal",
        "DÉSIGNER DES GESTIONNAIRES D'ACCÈS",
        "GÉRER LES ACCÈS",
        '">guide step-by-step</a>"',
    ]:
        assert label in html, label
    assert reverse("access_managers:gap_designate") in html
    assert reverse("access_managers:gap_exceptional") in html


def test_about_page_carries_the_csam_overview(client):
    html = unescape(client.get(reverse("about")).content.decode())

    assert "<h1" in html
    assert "Qu'est-ce que CSAM ?" in html
    assert "COLLABORATION DE SERVICES PUBLICS" in html
    assert "MODÈLE DE GESTION STRATÉGIQUE" in html


@pytest.mark.parametrize("name", UPCOMING_PAGES)
def test_a_service_not_built_yet_says_so_in_the_portals_look(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = text(response)
    assert "Ce service n'est pas encore disponible sur ce portail." in html
    assert "portal/portal.css" in html


def test_gestion_des_acces_leads_to_the_social_securitys_home_after_login(client, world):
    html = text(client.get(reverse("access_management")))
    home = reverse("access_managers:social_security")
    assert f'href="{home}"' in html

    assert client.get(home).url.startswith(reverse("users:login"))
    world.log_in(client, "gap")
    page = text(client.get(home))
    assert "Gestion des accès pour Entreprises et Organisations" in page
    assert "Ce service n'est pas encore disponible sur ce portail." not in page


def test_every_link_of_the_public_pages_leads_to_a_page(client, db):
    links = set()
    for name in PUBLIC_PAGES:
        links |= _internal_links(client.get(reverse(name)).content.decode())
    links -= {reverse("admin:index")}

    # A page that needs a login leads to the login page, which is a page too.
    statuses = {link: client.get(link, follow=True).status_code for link in sorted(links)}

    assert len(links) >= 12
    assert {link: status for link, status in statuses.items() if status != 200} == {}


@pytest.mark.parametrize("name", PUBLIC_PAGES + UPCOMING_PAGES)
def test_pages_have_no_inline_script_or_style_and_send_the_policy(client, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\sstyle=", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []
    assert "<style" not in html


def test_public_pages_need_no_database_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        for name in PUBLIC_PAGES:
            assert client.get(reverse(name)).status_code == 200


def test_favicon_ico_leads_to_the_portals_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url.endswith("portal/favicon.svg")


def test_unknown_page_is_the_portals_404_with_the_contact_centre(client, settings):
    settings.DEBUG = False

    response = client.get("/nothing-here/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "centre de contact de la sécurité sociale" in html


@pytest.mark.urls("tests.csam_portal.broken_urls")
def test_server_error_is_the_portals_500_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur du portail" in html
    assert "centre de contact de la sécurité sociale" in html


@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("fr", "Démonstration — clés numériques simulées"),
        ("nl", "Demonstratie — gesimuleerde digitale sleutels"),
        ("de", "Demonstration — simulierte digitale Schlüssel"),
        ("en", "Demonstration — simulated digital keys"),
    ],
)
def test_every_page_says_the_keys_are_simulated_while_they_are(client, db, language, banner):
    client.cookies["csam_language"] = language

    pages = [reverse("home"), reverse("users:login"), "/nothing-here/", reverse("admin:login")]

    for url in pages:
        assert banner in unescape(client.get(url).content.decode()), url


def test_no_banner_once_csam_fas_provides_the_keys(client, db, settings):
    settings.DIGITAL_KEYS_PROVIDER = "oidc"

    for url in [reverse("home"), reverse("admin:login")]:
        assert "clés numériques simulées" not in unescape(client.get(url).content.decode())


def test_a_deployment_redirects_plain_http_except_the_health_check(settings, rf):
    settings.SECURE_SSL_REDIRECT = True
    security = SecurityMiddleware(lambda request: HttpResponse())

    page = security.process_request(rf.get("/about/"))
    health = security.process_request(rf.get("/health/"))

    assert page.status_code == 301
    assert page.url == "https://testserver/about/"
    assert health is None  # a load balancer's plain-HTTP probe gets its answer


@pytest.mark.urls("tests.csam_portal.broken_urls")
def test_a_refused_request_is_the_portals_400_page_with_the_account_in_its_header(
    client, settings, person_user
):
    settings.DEBUG = False
    client.force_login(person_user)

    response = client.get("/refused/")

    assert response.status_code == 400
    html = text(response)
    assert "Demande incorrecte" in html
    assert f"Bienvenue, {person_user.display_name}" in html
