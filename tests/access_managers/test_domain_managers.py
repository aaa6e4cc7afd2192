"""The GA services: their rules, their records, their e-mails (flows.md §3)."""

import pytest
from django.core.exceptions import ValidationError

from access_managers.models import AccessManager, ManagerEmail
from access_managers.services import domain_managers
from csam_portal.models import AuditRecord, OutboundEmail
from enterprises.models import Domain
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(AccessManager.objects.order_by("pk").values_list("pk", "ended_at")),
        list(ManagerEmail.objects.order_by("pk").values_list("pk", "email")),
        OutboundEmail.objects.count(),
        AuditRecord.objects.count(),
    )


def _domain(code="MOB"):
    return Domain.objects.get(code=code)


def _ga_term(world, role="ga"):
    return AccessManager.objects.get(
        enterprise=world.enterprise, person=world.person(role), role="GA", ended_at=None
    )


def _emails():
    return list(
        OutboundEmail.objects.order_by("pk").values_list("template", "recipient", "language")
    )


@pytest.mark.parametrize("actor", ["gap", "co_gap"])
def test_ga_add_designates_records_and_emails_the_account_address(world, actor):
    user = UserFactory(person=PersonFactory(language="nl"), email="emma@test.be")

    done = domain_managers.ga_add(
        enterprise=world.enterprise,
        domain=_domain(),
        person=user.person,
        actor=world.actor(actor),
    )

    term = done.obj
    assert (term.role, term.domain.code, term.ended_at) == ("GA", "MOB", None)
    assert term.designated_by == world.person(actor)
    assert done.told == ["emma@test.be"]
    assert _emails() == [("access_managers/ga_designated", "emma@test.be", "nl")]
    subject = OutboundEmail.objects.get().subject
    assert "Mobiliteit" in subject
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["ga_add"]


def test_ga_add_of_a_person_without_any_address_tells_nobody(world):
    done = domain_managers.ga_add(
        enterprise=world.enterprise,
        domain=_domain(),
        person=PersonFactory(),
        actor=world.actor("gap"),
    )

    assert done.told == []
    assert OutboundEmail.objects.count() == 0
    assert AuditRecord.objects.filter(action="ga_add").count() == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("gap", "gap_is_ga"), ("ga", "already_ga")],
)
def test_ga_add_refuses_the_gap_and_a_current_ga_of_the_domain(world, who, code):
    before = _state()

    with pytest.raises(ValidationError) as error:
        domain_managers.ga_add(
            enterprise=world.enterprise,
            domain=_domain("SECU"),
            person=world.person(who),
            actor=world.actor("co_gap"),
        )

    assert error.value.code == code
    assert _state() == before


def test_a_ga_of_one_domain_may_be_ga_of_another(world):
    done = domain_managers.ga_add(
        enterprise=world.enterprise,
        domain=_domain("FIN"),
        person=world.person("ga"),
        actor=world.actor("gap"),
    )

    assert done.obj.domain.code == "FIN"


@pytest.mark.parametrize("actor", ["lr", "ga", "gl", "user", "other_gap", "person"])
def test_only_the_gap_and_co_gaps_may_change_gas_checked_under_the_lock(world, actor):
    before = _state()

    with pytest.raises(ValidationError) as error:
        domain_managers.ga_add(
            enterprise=world.enterprise,
            domain=_domain(),
            person=PersonFactory(),
            actor=world.actor(actor),
        )

    assert error.value.code == "not_manager"
    assert _state() == before


def test_ga_remove_ends_the_term_keeps_it_and_tells_the_ga_at_their_addresses(world):
    term = _ga_term(world)
    ManagerEmail.objects.create(term=term, email="secu@test.be")

    done = domain_managers.ga_remove(
        enterprise=world.enterprise, term_id=term.pk, actor=world.actor("gap")
    )

    term.refresh_from_db()
    assert term.ended_at is not None
    assert term.emails.count() == 1  # history keeps them
    assert done.told == ["secu@test.be"]
    assert _emails() == [("access_managers/ga_removed", "secu@test.be", "fr")]
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["ga_remove"]


@pytest.mark.parametrize("which", ["ended", "other_enterprise", "co_gap"])
def test_ga_remove_refuses_a_term_that_is_no_longer_a_current_ga_here(world, which):
    if which == "ended":
        term = _ga_term(world)
        domain_managers.ga_remove(
            enterprise=world.enterprise, term_id=term.pk, actor=world.actor("gap")
        )
    elif which == "other_enterprise":
        term = AccessManager.objects.get(enterprise=world.other, person=world.person("other_ga"))
    else:
        term = AccessManager.objects.get(enterprise=world.enterprise, role="COGAP")
    before = _state()

    with pytest.raises(ValidationError) as error:
        domain_managers.ga_remove(
            enterprise=world.enterprise, term_id=term.pk, actor=world.actor("gap")
        )

    assert error.value.code == "not_ga"
    assert _state() == before


def test_addresses_are_added_changed_and_removed_with_records_and_emails(world):
    term = _ga_term(world)
    gap = world.actor("gap")

    added = domain_managers.ga_email_add(
        enterprise=world.enterprise, term_id=term.pk, email="one@test.be", actor=gap
    ).obj
    domain_managers.ga_email_add(
        enterprise=world.enterprise, term_id=term.pk, email="two@test.be", actor=gap
    )
    changed = domain_managers.ga_email_change(
        enterprise=world.enterprise, email_id=added.pk, email="uno@test.be", actor=gap
    )
    removed = domain_managers.ga_email_remove(
        enterprise=world.enterprise, email_id=added.pk, actor=gap
    )

    assert list(term.emails.values_list("email", flat=True)) == ["two@test.be"]
    assert changed.told == ["two@test.be", "uno@test.be", "one@test.be"]
    assert removed.told == ["two@test.be", "uno@test.be"]
    recipients = [recipient for _, recipient, _ in _emails()]
    assert recipients == [
        "one@test.be",
        "one@test.be",
        "two@test.be",
        *changed.told,
        *removed.told,
    ]
    assert {template for template, _, _ in _emails()} == {"access_managers/ga_addresses_changed"}
    assert list(AuditRecord.objects.order_by("pk").values_list("action", flat=True)) == [
        "ga_email_add",
        "ga_email_add",
        "ga_email_change",
        "ga_email_remove",
    ]
    record = AuditRecord.objects.get(action="ga_email_change")
    assert (record.before["email"], record.after["email"]) == ("one@test.be", "uno@test.be")


def test_an_address_already_there_is_refused(world):
    term = _ga_term(world)
    first = ManagerEmail.objects.create(term=term, email="one@test.be")
    second = ManagerEmail.objects.create(term=term, email="two@test.be")
    before = _state()

    for call in (
        lambda: domain_managers.ga_email_add(
            enterprise=world.enterprise,
            term_id=term.pk,
            email="ONE@test.be",
            actor=world.actor("gap"),
        ),
        lambda: domain_managers.ga_email_change(
            enterprise=world.enterprise,
            email_id=second.pk,
            email=first.email,
            actor=world.actor("gap"),
        ),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.code == "email_exists"
    assert _state() == before


def test_an_address_of_another_enterprise_or_of_an_ended_term_is_gone(world):
    other_term = AccessManager.objects.get(enterprise=world.other, person=world.person("other_ga"))
    other = ManagerEmail.objects.create(term=other_term, email="other@test.be")
    term = _ga_term(world)
    ended = ManagerEmail.objects.create(term=term, email="ended@test.be")
    domain_managers.ga_remove(
        enterprise=world.enterprise, term_id=term.pk, actor=world.actor("gap")
    )
    before = _state()

    for address in (other, ended):
        with pytest.raises(ValidationError) as error:
            domain_managers.ga_email_remove(
                enterprise=world.enterprise, email_id=address.pk, actor=world.actor("gap")
            )
        assert error.value.code == "email_gone"
        with pytest.raises(ValidationError) as error:
            domain_managers.ga_email_change(
                enterprise=world.enterprise,
                email_id=address.pk,
                email="new@test.be",
                actor=world.actor("gap"),
            )
        assert error.value.code == "email_gone"
    assert _state() == before


def test_load_demo_designates_portal_jsons_gas_once():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    term = AccessManager.objects.get(enterprise_id="0462837478", role="GA", ended_at=None)
    assert (term.domain.code, term.person_id) == ("FIN", "72030312557")
    assert term.designated_by_id == "79021412066"  # by the GAP, through the service
    assert list(term.emails.values_list("email", flat=True)) == ["finances@horizon.example"]
    assert AuditRecord.objects.filter(action="ga_add").count() == 1
    assert AuditRecord.objects.filter(action="ga_email_add").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_gap_and_a_co_gap_racing_designate_one_ga_once():
    """Two real connections add the same person to the same domain at once: one term."""
    import threading

    from django.db import connection, connections

    from csam_portal.core.audit import Actor
    from tests.factories import AccessManagerFactory, EnterpriseFactory
    from tests.services import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks and constraints")
    domain, _ = Domain.objects.get_or_create(
        code="MOB", defaults={"name_fr": "Mobilité", "managed_in": "roles"}
    )
    enterprise = EnterpriseFactory()
    gap, co_gap = UserFactory(), UserFactory()
    AccessManagerFactory(enterprise=enterprise, person=gap.person)
    AccessManagerFactory(enterprise=enterprise, person=co_gap.person, role="COGAP")
    person = PersonFactory()
    start = threading.Barrier(2)
    outcomes = []

    def add(user):
        try:
            start.wait(timeout=10)
            domain_managers.ga_add(
                enterprise=enterprise, domain=domain, person=person, actor=Actor(user, "GAP")
            )
            outcomes.append("designated")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(user,)) for user in (gap, co_gap)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_ga", "designated"]
    assert AccessManager.objects.filter(enterprise=enterprise, role="GA").count() == 1
    assert AuditRecord.objects.filter(action="ga_add").count() == 1
