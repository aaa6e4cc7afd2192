"""Every main page on a 320 px phone, in each of the four languages: the harness's checks (no
page wider than the screen, valid HTML, axe) where the words are longest (Dutch and German
compounds) and Groupe Horizon's tables have rows to fill them. The flows run at 320 px as well;
this walk reaches the pages they do not, in every language."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from enterprises.models import Enterprise, SecuredApplication
from tests.e2e.conftest import load_demo
from tests.factories import AccessManagerFactory, QualityMembershipFactory
from users.models import Person

HORIZON, NATHALIE, MARC, PIETER = "0462837478", "79021412066", "72030312557", "83082012111"
LANGUAGES = {"fr": "FR Français", "nl": "NL Nederlands", "de": "DE Deutsch", "en": "EN English"}
PUBLIC_PAGES = [
    "/",
    "/about/",
    "/access-management/",
    "/access-management/guide/",
    "/contact/",
    "/cookies/",
    "/login/",
    "/login/eid/",
    "/login/eidas/",
    "/login/password/",
    "/login/email/",
    "/login/mobile-app/",
    "/gap/exceptional/",
    "/gap/exceptional/status/",
    "/mandates/",
    "/no-such-page/",
]
PERSONAL_PAGES = [
    "/digital-keys/",
    "/digital-keys/email/",
    "/digital-keys/mobile-app/",
    "/access-managers/?list",
    f"/access-managers/{HORIZON}/",
    f"/access-managers/{HORIZON}/domains/FIN/",
    f"/access-managers/{HORIZON}/co-gaps/",
    f"/access-managers/{HORIZON}/co-gaps/add/",
    f"/access-managers/{HORIZON}/history/",
    f"/access-managers/{HORIZON}/who/",
    "/who-manages/",
    "/my-applications/",
    "/gap/designate/",
    "/personal-data/",
    "/personal-data/password/",
]


@pytest.fixture
def horizon(transactional_db) -> AccessManager:
    """The demo, with Groupe Horizon's page at its longest: a GAP before Nathalie (two rows of
    history) and a co-GAP with a long e-mail address, returned; and Nathalie a user of
    «Employeur ONSS» with DIMONA (the longest name) under «Mes applications»."""
    load_demo()
    enterprise = Enterprise.objects.get(number=HORIZON)
    marc = Person.objects.get(niss=MARC)
    nathalie = Person.objects.get(niss=NATHALIE)
    membership = QualityMembership.objects.filter(person=nathalie, ended_at=None).first()
    if membership is None:
        membership = QualityMembershipFactory(
            quality=EnterpriseQuality.objects.get(
                enterprise=enterprise, quality__code="EMPLOYEUR_ONSS"
            ),
            person=nathalie,
            designated_by=nathalie,
        )
    MembershipApplication.objects.get_or_create(
        membership=membership,
        application=SecuredApplication.objects.get(code="DIMONA"),
        defaults={"granted_by": nathalie},
    )
    AccessManagerFactory(
        enterprise=enterprise,
        person=marc,
        started_at=timezone.now() - datetime.timedelta(days=400),
        ended_at=timezone.now() - datetime.timedelta(days=30),
        procedure="exceptional",
    )
    return AccessManagerFactory(
        enterprise=enterprise,
        person=Person.objects.get(niss=PIETER),
        role=AccessManager.Role.CO_GAP,
        email="pieter.desmet.toegangsbeheer@horizon-groep.example",
        designated_by=Person.objects.get(niss=NATHALIE),
    )


def _visit(page, a11y, url: str, language: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    a11y(page)


@pytest.mark.parametrize("page", [320], indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_main_page_fits_a_phone_in_each_language(page, a11y, horizon, language):
    page.goto("/")
    a11y(page)
    page.get_by_role("button", name=LANGUAGES[language]).click()
    for url in PUBLIC_PAGES:
        _visit(page, a11y, url, language)

    with translation.override(language):
        niss_label, send, confirm = (
            gettext("Numéro de registre national"),
            gettext("Envoyer la demande à itsme"),
            gettext("Confirmer dans itsme"),
        )
    _visit(page, a11y, "/login/itsme/", language)
    page.get_by_label(niss_label).fill(NATHALIE)
    page.get_by_role("button", name=send).click()
    a11y(page)
    page.get_by_role("button", name=confirm).click()
    expect(page.get_by_text("Nathalie Leroy").first).to_be_visible()
    a11y(page)
    quality_id = (
        QualityMembership.objects.filter(person_id=NATHALIE, ended_at=None)
        .values_list("quality_id", flat=True)
        .first()
    )
    users = f"/social-security/qualities/{quality_id}/users/"
    member = QualityMembership.objects.filter(quality_id=quality_id, ended_at=None).first()
    for url in [
        *PERSONAL_PAGES,
        f"/access-managers/{HORIZON}/co-gaps/{horizon.pk}/remove/",
        f"/social-security/qualities/{quality_id}/personal-data/",
        f"/social-security/qualities/{quality_id}/",
        f"/social-security/qualities/{quality_id}/detail/",
        users,
        f"{users}?last_name=zz&status=nonsense",
        f"{users}?sort=-niss&page=2",
        f"{users}{member.pk}/",
        f"{users}action/?action=applications_add&user={member.pk}",
        f"{users}action/?action=block&user={member.pk}",
        f"{users}add/niss/",
        "/social-security/users/search/?q=Peeters",
    ]:
        _visit(page, a11y, url, language)
