"""The standard procedure through its screens (flows.md §1), with the Django test client."""

import pytest
from django.urls import reverse

from access_managers.models import AccessManager, Registration
from csam_portal.models import AuditRecord, OutboundEmail
from tests.factories import (
    EnterpriseFactory,
    LegalFunctionFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import DESIGNATION_WIZARD, designation_step, register, text

pytestmark = pytest.mark.django_db


def start(client):
    response = client.get(reverse("access_managers:gap_designate"))
    assert response.status_code == 302
    return client.get(response.url)


def submit_enterprise(client, number: str, seen_gap: str = ""):
    data = {
        DESIGNATION_WIZARD: "enterprise",
        "enterprise-number": number,
        "enterprise-seen_gap": seen_gap,
    }
    return client.post(designation_step("enterprise"), data)


def submit_manager(client, **fields):
    data = {
        DESIGNATION_WIZARD: "manager",
        **{f"manager-{key}": value for key, value in fields.items()},
    }
    return client.post(designation_step("manager"), data)


def confirm(client, *, token=None, checked=True):
    if token is None:
        token = client.get(designation_step("confirmation")).context["form"].initial["token"]
    data = {DESIGNATION_WIZARD: "confirmation", "confirmation-token": token}
    if checked:
        data["confirmation-confirm"] = "on"
    return client.post(designation_step("confirmation"), data)


@pytest.fixture
def lr(db):
    """A legal representative of an active, unregistered enterprise, logged in."""
    enterprise = EnterpriseFactory(name="Boulangerie Test")
    user = UserFactory()
    LegalFunctionFactory(enterprise=enterprise, person=user.person)
    return user, enterprise


def nothing_recorded():
    return (
        Registration.objects.count(),
        AccessManager.objects.count(),
        OutboundEmail.objects.count(),
        AuditRecord.objects.exclude(action="user_create").count(),
    ) == (0, 0, 0, 0)


def test_anonymous_visitor_is_sent_to_the_login_page_and_back(client):
    url = reverse("access_managers:gap_designate")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))
    assert "next=" in response.url


def test_legal_representative_designates_themself_in_four_screens(client, lr):
    user, enterprise = lr
    client.force_login(user)

    screen1 = start(client)
    assert "Désignation d'un Gestionnaire d'Accès Principal" in text(screen1)
    assert "Désigner un Gestionnaire d'Accès Principal" in text(screen1)
    assert "Enregistrer mon entreprise dans CSAM" in text(screen1)

    screen2 = client.get(submit_enterprise(client, f"BE {enterprise.formatted_number}").url)
    html = text(screen2)
    assert "Enregistrement de l'entreprise dans CSAM" in html
    assert "Boulangerie Test" in html
    assert "Rue Royale 1" in html
    assert user.person.full_name in html
    assert "Autre personne" in html
    assert "Attention\u202f: les données de contact du Gestionnaire d'Accès Principal" in html

    response = submit_manager(
        client, gap="self", requester_email="direction@test.be", requester_phone="02 512 34 56"
    )
    screen3 = client.get(response.url)
    html = text(screen3)
    assert "Enregistrement de l'entreprise dans CSAM - Confirmation" in html
    assert "Conditions d'activation" in html
    assert "direction@test.be" in html
    assert "+32 2 512 34 56" in html
    assert "Oui, je confirme" in html
    assert "← Corriger" in html

    done = client.get(confirm(client).url)
    html = text(done)
    assert "Gestionnaire d'Accès Principal désigné !" in html
    assert "Votre entreprise, Boulangerie Test, est maintenant activée dans CSAM." in html
    assert "Vous vous êtes vous-même désigné(e) comme Gestionnaire d'Accès Principal." in html
    assert (
        "Un e-mail de confirmation contenant les instructions sera envoyé à direction@test.be"
        in html
    )

    gap = AccessManager.objects.get()
    assert (gap.enterprise, gap.person, gap.role) == (enterprise, user.person, "GAP")
    assert (gap.email, gap.phone, gap.designated_by, gap.procedure) == (
        "direction@test.be",
        "+3225123456",
        user.person,
        "standard",
    )
    assert Registration.objects.get().registered_by == user.person
    email = OutboundEmail.objects.get()
    assert email.recipient == "direction@test.be"
    assert email.language == "fr"
    assert email.subject == "Vous êtes Gestionnaire d'Accès Principal de Boulangerie Test"
    assert f"/access-managers/{enterprise.number}/" in email.body_text
    actions = list(AuditRecord.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["registration_create", "gap_designate"]


def test_legal_representative_designates_another_person_in_dutch(client, lr):
    user, enterprise = lr
    user.language = "nl"
    user.save()
    other = PersonFactory(language="de")
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number)

    response = submit_manager(
        client,
        gap="other",
        niss=f"{other.niss[:2]}.{other.niss[2:4]}.{other.niss[4:6]}-{other.niss[6:9]}.{other.niss[9:]}",
        email="it@test.be",
        phone="+32 2 555 55 55",
        requester_email="me@test.be",
        requester_phone="0470 12 34 56",
    )
    screen3 = text(client.get(response.url))
    assert other.full_name in screen3
    assert "Uw contactgegevens" in screen3
    assert "Ja, ik bevestig" in screen3
    done = text(client.get(confirm(client).url))

    assert other.full_name in done
    gap = AccessManager.objects.get()
    assert (gap.person, gap.designated_by) == (other, user.person)
    assert (gap.requester_email, gap.requester_phone) == ("me@test.be", "+32470123456")
    emails = {email.recipient: email for email in OutboundEmail.objects.all()}
    assert set(emails) == {"it@test.be", "me@test.be"}
    assert emails["it@test.be"].language == "de"  # the GAP's, from the register
    assert emails["me@test.be"].language == "nl"  # the requester's account
    assert emails["me@test.be"].template == "access_managers/gap_designated_copy"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0123.456.780", "Vérifiez le numéro : 10 chiffres, par exemple 0123.456.789."),
        ("0200.000.043", "n'est pas connu de la Banque-Carrefour des Entreprises"),
    ],
)
def test_a_bad_or_unknown_number_is_refused_on_the_first_screen(client, lr, number, message):
    client.force_login(lr[0])
    start(client)

    response = submit_enterprise(client, number)

    assert response.status_code == 200
    assert message in text(response)
    assert nothing_recorded()


def test_a_stopped_enterprise_is_refused(client, lr):
    user, enterprise = lr
    enterprise.status = "ST"
    enterprise.save()
    client.force_login(user)
    start(client)

    response = submit_enterprise(client, enterprise.number)

    assert "n'est pas active dans la Banque-Carrefour des Entreprises" in text(response)
    assert nothing_recorded()


@pytest.mark.parametrize("ended", [True, False])
def test_a_person_without_a_legal_function_today_is_refused_with_the_bce_pointer(client, lr, ended):
    _user, enterprise = lr
    stranger = UserFactory()
    if ended:
        LegalFunctionFactory(enterprise=enterprise, person=stranger.person, end_date="2021-06-30")
    client.force_login(stranger)
    start(client)

    response = submit_enterprise(client, enterprise.number)

    html = text(response)
    assert "Vous n'exercez pas aujourd'hui de fonction légale dans cette entreprise" in html
    assert "BCE Public Search" in html
    assert nothing_recorded()


def test_screen_two_refuses_bad_contact_data_and_keeps_the_values(client, lr):
    client.force_login(lr[0])
    start(client)
    submit_enterprise(client, lr[1].number)

    response = submit_manager(
        client,
        gap="other",
        niss="12345678901",
        email="not-an-address",
        phone="12",
        requester_email="",
        requester_phone="0470 12 34 56",
    )

    assert response.status_code == 200
    html = text(response)
    assert "Vérifiez le numéro : 11 chiffres, par exemple 85.07.30-033.28." in html
    assert "Saisissez une adresse e-mail valide" in html
    assert "Ce numéro de téléphone n'est pas valable" in html
    assert "Ce champ est obligatoire." in html
    assert 'value="not-an-address"' in html
    assert 'value="0470 12 34 56"' in html
    assert nothing_recorded()


def test_another_person_unknown_to_the_national_register_is_refused(client, lr):
    client.force_login(lr[0])
    start(client)
    submit_enterprise(client, lr[1].number)

    response = submit_manager(
        client,
        gap="other",
        niss="85073003328",
        email="a@test.be",
        phone="02 512 34 56",
        requester_email="b@test.be",
        requester_phone="02 512 34 56",
    )

    assert "Ce numéro n'est pas connu du registre national." in text(response)
    assert nothing_recorded()


def test_confirmation_needs_the_checkbox(client, lr):
    client.force_login(lr[0])
    start(client)
    submit_enterprise(client, lr[1].number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")

    response = confirm(client, checked=False)

    assert response.status_code == 200
    assert "Cochez «\u202fOui, je confirme\u202f» pour confirmer la demande." in text(response)
    assert nothing_recorded()


def test_corriger_goes_back_to_screen_two_with_the_values_kept(client, lr):
    client.force_login(lr[0])
    start(client)
    submit_enterprise(client, lr[1].number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")

    response = client.get(designation_step("manager"))

    html = text(response)
    assert "Enregistrement de l'entreprise dans CSAM" in html
    assert 'value="a@test.be"' in html
    assert 'value="02 512 34 56"' in html


def test_a_later_screen_cannot_be_reached_before_the_first(client, lr):
    client.force_login(lr[0])
    start(client)

    response = client.get(designation_step("confirmation"))

    assert response.status_code == 302
    assert response.url == designation_step("enterprise")


def test_a_tampered_step_cannot_skip_the_checks(client, lr):
    user, enterprise = lr
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    token = client.get(designation_step("confirmation")).context["form"].initial["token"]
    # The legal function ends between the screens: «Confirmer» checks it again.
    enterprise.legal_functions.update(end_date="2020-01-01")

    response = confirm(client, token=token)

    assert response.status_code == 302
    assert response.url == designation_step("enterprise")
    assert "Vous n'exercez pas aujourd'hui de fonction légale" in text(client.get(response.url))
    assert nothing_recorded()


def test_a_double_confirmer_designates_once(client, lr):
    client.force_login(lr[0])
    start(client)
    submit_enterprise(client, lr[1].number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    token = client.get(designation_step("confirmation")).context["form"].initial["token"]

    first = confirm(client, token=token)
    second = confirm(client, token=token)

    assert first.url == second.url == reverse("access_managers:gap_designated")
    assert AccessManager.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_registered_enterprise_shows_its_gap_then_allows_a_change(client, lr):
    user, enterprise = lr
    old = UserFactory()
    register(enterprise, old)
    client.force_login(user)
    start(client)

    response = submit_enterprise(client, enterprise.number)

    html = text(response)
    assert "Cette entreprise est déjà enregistrée dans CSAM." in html
    assert old.person.full_name in html
    response = submit_enterprise(client, enterprise.number, seen_gap=old.person.niss)
    assert response.url == designation_step("manager")
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    confirm(client)

    terms = AccessManager.objects.filter(enterprise=enterprise, role="GAP")
    assert terms.get(ended_at=None).person == user.person
    assert terms.get(person=old.person).ended_at is not None
    replaced = OutboundEmail.objects.get(template="access_managers/gap_replaced")
    assert replaced.recipient == f"{old.person.niss}@gap.example"
    assert Registration.objects.count() == 1


def test_the_gap_cannot_designate_themself_again_but_may_designate_another(client, lr):
    user, enterprise = lr
    register(enterprise, user)
    client.force_login(user)
    start(client)

    html = text(submit_enterprise(client, enterprise.number))
    assert "Cette entreprise est déjà enregistrée dans CSAM." in html
    assert (
        "Vous êtes déjà connu comme Gestionnaire d'Accès Principal pour cette entreprise. "
        "Vous pouvez désigner une autre personne comme Gestionnaire d'Accès Principal." in html
    )
    submit_enterprise(client, enterprise.number, seen_gap=user.person.niss)
    response = submit_manager(
        client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56"
    )

    assert response.status_code == 200  # "self" is not a choice any more
    assert "Autre personne" in text(response)
    assert AccessManager.objects.get().person == user.person  # unchanged
    assert OutboundEmail.objects.count() == 0


def _registered_to(enterprise):
    other = UserFactory()
    register(enterprise, other)
    return other


def test_losing_the_race_shows_screen_one_with_the_new_gap(client, lr):
    user, enterprise = lr
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    token = client.get(designation_step("confirmation")).context["form"].initial["token"]
    winner = _registered_to(enterprise)  # another LR confirmed first

    response = confirm(client, token=token)

    assert response.url == designation_step("enterprise")
    html = text(client.get(response.url))
    assert "Cette entreprise est déjà enregistrée dans CSAM." in html
    assert winner.person.full_name in html
    assert AccessManager.objects.get().person == winner.person


def test_a_confirmation_page_of_an_earlier_state_cannot_confirm(client, lr):
    user, enterprise = lr
    second = EnterpriseFactory()
    LegalFunctionFactory(enterprise=second, person=user.person)
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    old_token = client.get(designation_step("confirmation")).context["form"].initial["token"]
    submit_enterprise(client, second.number)  # another tab changes the request
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")

    response = confirm(client, token=old_token)

    assert response.url == designation_step("confirmation")
    assert "La demande a été modifiée entre-temps" in text(client.get(response.url))
    assert nothing_recorded()


def test_a_forged_wizard_step_is_no_server_error(client, lr):
    client.force_login(lr[0])
    start(client)

    response = client.post(
        designation_step("enterprise"), {DESIGNATION_WIZARD: "done", "enterprise-number": "x"}
    )

    assert response.status_code == 302
    assert nothing_recorded()


def test_a_forged_seen_gap_only_shows_the_notice_again(client, lr):
    user, enterprise = lr
    old = _registered_to(enterprise)
    client.force_login(user)
    start(client)

    response = submit_enterprise(client, enterprise.number, seen_gap="80031510282")

    assert response.status_code == 200
    assert old.person.full_name in text(response)


def test_an_unregistered_enterprise_after_a_registered_one_needs_no_notice(client, lr):
    user, enterprise = lr
    registered = EnterpriseFactory()
    LegalFunctionFactory(enterprise=registered, person=user.person)
    old = _registered_to(registered)
    client.force_login(user)
    start(client)

    response = submit_enterprise(client, enterprise.number, seen_gap=old.person.niss)

    assert response.url == designation_step("manager")
    screen2 = text(client.get(response.url))
    assert user.person.full_name in screen2  # "self" is offered: no GAP was carried over


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (
            "current_gap",
            "Cette personne est déjà Gestionnaire d'Accès Principal de cette entreprise.",
        ),
        ("self", "C'est votre propre numéro\u202f: choisissez votre nom ci-dessus."),
    ],
)
def test_screen_two_refuses_the_current_gap_or_oneself_as_other_person(client, lr, who, message):
    user, enterprise = lr
    old = _registered_to(enterprise)
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number, seen_gap=old.person.niss)
    niss = old.person.niss if who == "current_gap" else user.person.niss

    response = submit_manager(
        client,
        gap="other",
        niss=niss,
        email="x@test.be",
        phone="02 512 34 56",
        requester_email="a@test.be",
        requester_phone="02 512 34 56",
    )

    assert message in text(response)
    assert AccessManager.objects.count() == 1


def test_refusals_are_said_in_dutch(client, lr):
    user, enterprise = lr
    enterprise.status = "ST"
    enterprise.save()
    user.language = "nl"
    user.save()
    client.force_login(user)
    start(client)

    html = text(submit_enterprise(client, enterprise.number))

    assert 'lang="nl"' in html
    assert "Kruispuntbank van Ondernemingen" in html
    assert "n'est pas active" not in html
    assert nothing_recorded()


def test_a_function_that_starts_tomorrow_is_not_valid_today(client, lr):
    import datetime

    _user, enterprise = lr
    future = UserFactory()
    LegalFunctionFactory(
        enterprise=enterprise,
        person=future.person,
        start_date=datetime.date.today() + datetime.timedelta(days=1),
    )
    client.force_login(future)
    start(client)

    response = submit_enterprise(client, enterprise.number)

    assert "Vous n'exercez pas aujourd'hui de fonction légale" in text(response)


def test_the_replaced_gap_is_told_in_their_language_and_the_requester_gets_a_copy(client, lr):
    user, enterprise = lr
    old = _registered_to(enterprise)
    old.language = "de"
    old.save()
    other = PersonFactory()
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number, seen_gap=old.person.niss)
    submit_manager(
        client,
        gap="other",
        niss=other.niss,
        email="gap@test.be",
        phone="02 512 34 56",
        requester_email="me@test.be",
        requester_phone="02 512 34 56",
    )
    confirm(client)

    emails = {email.template.split("/")[1]: email for email in OutboundEmail.objects.all()}
    assert emails["gap_replaced"].language == "de"
    copy = emails["gap_designated_copy"]
    assert copy.recipient == "me@test.be"
    assert (
        copy.subject
        == f"Copie\u202f: {other.full_name} est Gestionnaire d'Accès Principal de Boulangerie Test"
    )
    assert other.full_name in copy.body_text
    assert "Boulangerie Test" in copy.body_text


def test_a_double_confirmer_whose_other_half_won_shows_the_designation(client, lr):
    """The second click was read before the first saved the session: it still finds the
    designation its request made, and shows it."""
    user, enterprise = lr
    client.force_login(user)
    start(client)
    submit_enterprise(client, enterprise.number)
    submit_manager(client, gap="self", requester_email="a@test.be", requester_phone="02 512 34 56")
    token = client.get(designation_step("confirmation")).context["form"].initial["token"]
    session = client.session
    stale = {key: session[key] for key in list(session.keys())}  # noqa: SIM118 (a session is no dict)
    confirm(client, token=token)
    session = client.session  # the second request carries the session as it was
    for key, value in stale.items():
        session[key] = value
    session.pop("gap_designation_done", None)
    session.save()

    response = confirm(client, token=token)

    assert response.url == reverse("access_managers:gap_designated")
    assert "Gestionnaire d'Accès Principal désigné !" in text(client.get(response.url))
    assert AccessManager.objects.count() == 1
