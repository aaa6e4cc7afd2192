"""Every form page of the portal, walked: the error summary and «Erreur : » title of a refused
form (GOV.UK's pattern), the required marks and their one explanation, the autocomplete purposes
(WCAG 1.3.5), and messages that tell people what to type."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password
from django.test.html import Element, parse_html
from django.urls import reverse

from access_managers.models import AccessManager, Registration
from tests.factories import (
    PASSWORD,
    AccessManagerFactory,
    EnterpriseFactory,
    LegalFunctionFactory,
    PersonFactory,
    QualityMembershipFactory,
    SimulatedCardFactory,
    UserFactory,
)
from tests.helpers import (
    DESIGNATION_WIZARD,
    EXCEPTIONAL_WIZARD,
    designation_step,
    exceptional_step,
    text,
)

pytestmark = pytest.mark.django_db

NOTE = "Les champs marqués d'un * sont obligatoires"


# --- The page as a tree: django.test.html's parser, walked with each element's ancestors. ---


def _tree(response) -> Element:
    return parse_html(response.content.decode())


def _walk(element, ancestors=()):
    for child in element.children:
        if isinstance(child, Element):
            yield child, ancestors
            yield from _walk(child, (*ancestors, child))


def _attr(element: Element, name: str):
    return dict(element.attributes).get(name)


def _classes(element: Element) -> set[str]:
    return set((_attr(element, "class") or "").split())


def _text(element) -> str:
    if isinstance(element, str):
        return element
    return "".join(_text(child) for child in element.children)


def _main(tree: Element) -> Element:
    return next(element for element, _ in _walk(tree) if element.name == "main")


def _summary(response) -> Element:
    main = _main(_tree(response))
    return next(e for e, _ in _walk(main) if "data-error-summary" in dict(e.attributes))


def _summary_links(response) -> list[str]:
    return [_attr(e, "href") for e, _ in _walk(_summary(response)) if e.name == "a"]


def _ids(response) -> set[str]:
    return {_attr(e, "id") for e, _ in _walk(_tree(response)) if _attr(e, "id")}


def _title(response) -> str:
    tree = _tree(response)
    return _text(next(e for e, _ in _walk(tree) if e.name == "title"))


# --- Every form page, reached as a person reaches it; `refuse` is the POST it refuses. ---


@dataclass
class FormPage:
    url: str
    refuse: dict


def _legal_representative(client):
    enterprise = EnterpriseFactory(name="Boulangerie Test")
    user = UserFactory()
    LegalFunctionFactory(enterprise=enterprise, person=user.person)
    client.force_login(user)
    client.get(reverse("access_managers:gap_designate"))
    return enterprise


def _standard(client, step: str) -> FormPage:
    enterprise = _legal_representative(client)
    url = designation_step("enterprise")
    if step == "enterprise":
        return FormPage(url, {DESIGNATION_WIZARD: "enterprise"})
    client.post(url, {DESIGNATION_WIZARD: "enterprise", "enterprise-number": enterprise.number})
    url = designation_step("manager")
    if step == "manager":
        return FormPage(url, {DESIGNATION_WIZARD: "manager"})
    contact = {"gap": "self", "requester_email": "a@test.be", "requester_phone": "02 512 34 56"}
    client.post(
        url, {DESIGNATION_WIZARD: "manager", **{f"manager-{k}": v for k, v in contact.items()}}
    )
    url = designation_step("confirmation")
    token = client.get(url).context["form"].initial["token"]
    return FormPage(url, {DESIGNATION_WIZARD: "confirmation", "confirmation-token": token})


def _exceptional(client, step: str) -> FormPage:
    enterprise = EnterpriseFactory(name="Atlas Trading")
    ahmed = PersonFactory(has_eid=False)
    LegalFunctionFactory(enterprise=enterprise, person=ahmed)
    client.get(reverse("access_managers:gap_exceptional"))
    url = exceptional_step("identity")
    if step == "identity":
        return FormPage(url, {EXCEPTIONAL_WIZARD: "identity"})
    identity = {
        "niss": ahmed.niss,
        "first_name": ahmed.first_name,
        "last_name": ahmed.last_name,
        "number": enterprise.number,
    }
    client.post(
        url, {EXCEPTIONAL_WIZARD: "identity", **{f"identity-{k}": v for k, v in identity.items()}}
    )
    url = exceptional_step("manager")
    return FormPage(url, {EXCEPTIONAL_WIZARD: "manager"})


def _gap(client):
    enterprise = EnterpriseFactory()
    gap = UserFactory()
    Registration.objects.create(
        enterprise=enterprise, registered_by=gap.person, procedure="standard"
    )
    AccessManagerFactory(enterprise=enterprise, person=gap.person)
    client.force_login(gap)
    return reverse("access_managers:co_gap_add", args=[enterprise.number])


def _co_gap_add(client) -> FormPage:
    """The second form of the page: the person is found, their e-mail is asked."""
    url = _gap(client)
    return FormPage(url, {"niss": PersonFactory().niss, "add": "1"})


def _logged_in_with_card(client):
    card = SimulatedCardFactory()
    user = UserFactory(person=card.person)
    client.post(reverse("users:login_eid"), {"niss": card.person.niss, "pin": "1234"})
    return user


def _session(client, key: str, value: dict) -> None:
    session = client.session
    session[key] = value
    session.save()


def _code_step(client, method: str) -> FormPage:
    user = UserFactory(username="marie")
    _session(client, "login_pending", {"method": method, "username": user.username})
    return FormPage(reverse(f"users:login_{method}_code"), {})


def _email_key_verify(client) -> FormPage:
    _logged_in_with_card(client)
    pending = {
        "key": "email_code",
        "username": "marie",
        "password_hash": make_password(PASSWORD),
        "email": "marie@example.be",
    }
    _session(client, "key_activation", pending)
    return FormPage(reverse("users:email_key_verify"), {})


def _simple(name: str):
    return lambda client: FormPage(reverse(name), {})


def _with_card(name: str):
    def arrange(client):
        _logged_in_with_card(client)
        return FormPage(reverse(name), {})

    return arrange


def _own_account(name: str):
    """A page of the person's own account, which has a username and a password."""

    def arrange(client):
        client.force_login(UserFactory(username="marie"))
        return FormPage(reverse(name), {})

    return arrange


def _quality_personal_data(client) -> FormPage:
    membership = QualityMembershipFactory(email="marie@example.be")
    client.force_login(UserFactory(person=membership.person))
    return FormPage(reverse("access_managers:personal_data", args=[membership.quality_id]), {})


FORM_PAGES = {
    "contact": _simple("contact"),
    "eid": _simple("users:login_eid"),
    "itsme": _simple("users:login_itsme"),
    "eidas": _simple("users:login_eidas"),
    "password": _simple("users:login_password"),
    "email code, password": _simple("users:login_email_code"),
    "email code, code": lambda client: _code_step(client, "email_code"),
    "mobile app, password": _simple("users:login_totp"),
    "mobile app, code": lambda client: _code_step(client, "totp"),
    "email key": _with_card("users:email_key"),
    "email key, verify": _email_key_verify,
    "mobile app key": _with_card("users:totp_key"),
    "designation, enterprise": lambda client: _standard(client, "enterprise"),
    "designation, manager": lambda client: _standard(client, "manager"),
    "designation, confirmation": lambda client: _standard(client, "confirmation"),
    "exceptional, identity": lambda client: _exceptional(client, "identity"),
    "exceptional, manager": lambda client: _exceptional(client, "manager"),
    "exceptional, status": _simple("access_managers:exceptional_status"),
    "co-GAP, search": lambda client: FormPage(_gap(client), {}),
    "co-GAP, add": _co_gap_add,
    "personal data": _own_account("users:personal_data"),
    "password change": _own_account("users:password_change"),
    "qualité personal data": _quality_personal_data,
}


def _shown(client, name: str):
    """The page as a person first sees it (the co-GAP's second form: after the search)."""
    page = FORM_PAGES[name](client)
    if name == "co-GAP, add":
        response = client.post(page.url, {"niss": page.refuse["niss"]})
    else:
        response = client.get(page.url)
    assert response.status_code == 200
    return response


# --- The error summary: what a refused form says, and where. ---
@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_refused_form_shows_a_summary_linking_each_error_to_its_field(client, name):
    page = FORM_PAGES[name](client)

    response = client.post(page.url, page.refuse)

    assert response.status_code == 200
    errors = response.context["form"].errors
    links = _summary_links(response)
    assert len(links) == sum(len(messages) for messages in errors.values())
    assert all(link.startswith("#") for link in links)
    assert {link[1:] for link in links} <= _ids(response)


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_refused_forms_page_title_starts_with_erreur(client, name):
    page = FORM_PAGES[name](client)

    response = client.post(page.url, page.refuse)

    assert _title(response).startswith("Erreur\u202f: ")


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_form_not_yet_sent_has_no_summary_and_a_plain_title(client, name):
    response = _shown(client, name)

    assert "data-error-summary" not in response.content.decode()
    assert not _title(response).startswith("Erreur")


def test_the_summary_names_each_field_and_links_a_radio_group_to_its_first_choice(client):
    page = FORM_PAGES["designation, manager"](client)

    response = client.post(page.url, page.refuse)

    assert _summary_links(response) == [
        "#id_manager-gap_0",
        "#id_manager-requester_email",
        "#id_manager-requester_phone",
    ]
    html = text(response)
    assert "Gestionnaire d'Accès Principal – Ce champ est obligatoire." in html
    assert "Votre e-mail – Ce champ est obligatoire." in html
    assert "Votre téléphone – Ce champ est obligatoire." in html


def test_the_forms_own_error_is_said_once_in_the_summary(client):
    card = SimulatedCardFactory()

    response = client.post(reverse("users:login_eid"), {"niss": card.person.niss, "pin": "9999"})

    message = "Numéro de registre national ou code PIN incorrect."
    assert text(response).count(message) == 1
    assert message in _text(_summary(response))
    assert _summary_links(response) == []


def test_the_registered_enterprise_notice_is_no_error(client):
    enterprise = _legal_representative(client)
    AccessManagerFactory(enterprise=enterprise, person=PersonFactory())
    url = designation_step("enterprise")

    response = client.post(
        url, {DESIGNATION_WIZARD: "enterprise", "enterprise-number": enterprise.number}
    )

    assert "Cette entreprise est déjà enregistrée dans CSAM." in text(response)
    assert "data-error-summary" not in response.content.decode()
    assert not _title(response).startswith("Erreur")


def test_the_summary_and_title_are_translated(client):
    client.cookies["csam_language"] = "nl"

    response = client.post(reverse("contact"), {})

    assert _title(response).startswith("Fout: ")
    assert "Er is een probleem" in text(response)


# --- Required fields: marked «*» alike, explained once. ---
def _marked(label: Element) -> bool:
    """Marked «*», by the form library (its asteriskField) or by hand in the label's text."""
    return "*" in _text(label) or any("asteriskField" in _classes(e) for e, _ in _walk(label))


@dataclass
class Control:
    name: str
    label: str
    required: bool
    marked: bool
    autocomplete: str | None


def _controls(response) -> dict[str, Control]:
    """The fields a person fills in the page's content (not the header's forms), each with
    whether its form requires it, whether its label (a choice's: its group's legend) is marked."""
    form = response.context["form"]
    required = {form.add_prefix(name): field.required for name, field in form.fields.items()}
    main = _main(_tree(response))
    elements = list(_walk(main))
    labels = {_attr(e, "for"): e for e, _ in elements if e.name == "label"}
    controls = {}
    for element, ancestors in elements:
        kind = _attr(element, "type") or "text"
        if element.name not in ("input", "select", "textarea") or kind in ("hidden", "submit"):
            continue
        if kind == "radio":
            group = next(a for a in reversed(ancestors) if a.name == "fieldset")
            label = next(c for c in group.children if getattr(c, "name", "") == "legend")
        else:
            label = labels[_attr(element, "id")]
        name = _attr(element, "name")
        controls[name] = Control(
            name=name,
            label=_text(label).strip(),
            required=required[name],
            marked=_marked(label),
            autocomplete=_attr(element, "autocomplete"),
        )
    return controls


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_required_field_is_marked_and_explained_once(client, name):
    response = _shown(client, name)

    controls = _controls(response).values()
    assert any(control.required for control in controls)
    assert [c.name for c in controls if c.required != c.marked] == []
    assert text(response).count(NOTE) == 1


@pytest.mark.parametrize(
    ("name", "optional"),
    [
        ("contact", {"enterprise_number", "send_copy"}),
        ("co-GAP, add", {"phone"}),
        ("personal data", {"email"}),
        ("qualité personal data", {"local_email"}),
    ],
)
def test_optional_fields_are_not_marked(client, name, optional):
    controls = _controls(_shown(client, name))

    assert {c.name for c in controls.values() if not c.marked} == optional


def test_the_exceptional_identity_form_marks_its_four_fields(client):
    controls = _controls(_shown(client, "exceptional, identity"))

    assert {c.name for c in controls.values() if c.marked} == {
        "identity-niss",
        "identity-first_name",
        "identity-last_name",
        "identity-number",
    }


def test_the_other_persons_fields_are_required_only_for_autre_personne(client):
    page = FORM_PAGES["designation, manager"](client)

    response = client.post(page.url, {**page.refuse, "manager-gap": "other"})

    assert _summary_links(response) == [
        "#id_manager-niss",
        "#id_manager-email",
        "#id_manager-phone",
        "#id_manager-requester_email",
        "#id_manager-requester_phone",
    ]
    assert "E-mail du Gestionnaire d'Accès Principal – Ce champ" in text(response)


# --- Autocomplete: the person's own details, never another person's (WCAG 1.3.5). ---
# fmt: off
AUTOCOMPLETE = [
    # The person's own name and contact details: the browser may fill them in.
    ("contact", "name", "name"),
    ("contact", "email", "email"),
    ("designation, manager", "manager-requester_email", "email"),
    ("designation, manager", "manager-requester_phone", "tel"),
    ("exceptional, manager", "manager-requester_email", "email"),
    ("exceptional, manager", "manager-requester_phone", "tel"),
    ("exceptional, identity", "identity-first_name", "given-name"),
    ("exceptional, identity", "identity-last_name", "family-name"),
    ("email key", "email", "email"),
    ("personal data", "email", "email"),
    ("qualité personal data", "email", "email"),
    ("qualité personal data", "local_email", "email"),
    # Another person's (the GAP named as «Autre personne», a co-GAP): never the user's own.
    ("designation, manager", "manager-niss", "off"),
    ("designation, manager", "manager-email", "off"),
    ("designation, manager", "manager-phone", "off"),
    ("exceptional, manager", "manager-niss", "off"),
    ("exceptional, manager", "manager-email", "off"),
    ("exceptional, manager", "manager-phone", "off"),
    ("co-GAP, search", "niss", "off"),
    ("co-GAP, add", "email", "off"),
    ("co-GAP, add", "phone", "off"),
    # Numbers and tickets: nothing typed before is offered (a shared computer).
    ("exceptional, identity", "identity-niss", "off"),
    ("exceptional, identity", "identity-number", "off"),
    ("designation, enterprise", "enterprise-number", "off"),
    ("exceptional, status", "ticket", "off"),
    ("exceptional, status", "number", "off"),
    ("contact", "enterprise_number", "off"),
    ("eid", "niss", "off"),
    ("eid", "pin", "off"),
    # Accounts: the password manager's own purposes.
    ("password", "username", "username"),
    ("password", "password", "current-password"),
    ("email key", "username", "username"),
    ("email key", "password1", "new-password"),
    ("email key", "password2", "new-password"),
    ("password change", "old_password", "current-password"),
    ("password change", "new_password1", "new-password"),
    ("password change", "new_password2", "new-password"),
    ("mobile app key", "code", "one-time-code"),
    ("email code, code", "code", "one-time-code"),
]
# fmt: on


@pytest.mark.parametrize(("name", "field", "purpose"), AUTOCOMPLETE)
def test_each_field_says_whose_data_it_takes(client, name, field, purpose):
    controls = _controls(_shown(client, name))

    assert controls[field].autocomplete == purpose


# --- Messages that say what to type. ---


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0123.456.780", "Vérifiez le numéro\u202f: 10 chiffres, par exemple 0123.456.789."),
        ("123", "Vérifiez le numéro\u202f: 10 chiffres, par exemple 0123.456.789."),
    ],
)
def test_a_bad_enterprise_number_is_told_what_to_type(client, number, message):
    page = FORM_PAGES["exceptional, status"](client)

    response = client.post(page.url, {"ticket": "26A6HMZPQRCZ7", "number": number})

    html = text(response)
    assert message in html
    assert "modulo" not in html


def test_a_bad_niss_is_told_what_to_type(client):
    page = FORM_PAGES["co-GAP, search"](client)

    response = client.post(page.url, {"niss": "80031510283"})

    assert "Vérifiez le numéro\u202f: 11 chiffres, par exemple 85.07.30-033.28." in text(response)
    assert AccessManager.objects.filter(role="COGAP").count() == 0


def test_the_exceptional_identity_form_says_dots_are_welcome(client):
    html = text(_shown(client, "exceptional, identity"))

    assert "sans points ni tirets" not in html
    assert "Avec ou sans les points et le tiret\u202f: 85.07.30-033.28 ou 85073003328." in html
    assert "Avec ou sans points\u202f: 0123.456.789 ou 0123456789." in html


def test_the_exceptional_identity_form_takes_numbers_with_dots_and_dash(client):
    enterprise = EnterpriseFactory()
    ahmed = PersonFactory(has_eid=False)
    LegalFunctionFactory(enterprise=enterprise, person=ahmed)
    client.get(reverse("access_managers:gap_exceptional"))
    niss = ahmed.niss
    dotted = f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"

    response = client.post(
        exceptional_step("identity"),
        {
            EXCEPTIONAL_WIZARD: "identity",
            "identity-niss": dotted,
            "identity-first_name": ahmed.first_name,
            "identity-last_name": ahmed.last_name,
            "identity-number": enterprise.formatted_number,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("access_managers:gap_exceptional_step", args=["manager"])


def test_the_co_gap_search_field_names_the_number(client):
    controls = _controls(_shown(client, "co-GAP, search"))

    assert controls["niss"].label == "Numéro de registre national (NISS)*"


def test_the_family_name_is_last_name_in_english(client):
    client.cookies["csam_language"] = "en"

    controls = _controls(_shown(client, "exceptional, identity"))

    assert controls["identity-last_name"].label == "Last name*"
    assert controls["identity-first_name"].label == "First name*"
