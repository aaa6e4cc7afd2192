"""The designation and co-GAP services: their rules, their records, their e-mails."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from access_managers import selectors
from access_managers.models import AccessManager, Registration
from access_managers.services import co_gaps, designation
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail
from tests.factories import EnterpriseFactory, LegalFunctionFactory, PersonFactory
from tests.services import skip_or_fail


def _designate(world_or_enterprise, requester, person, **kwargs):
    if "seen_gap" not in kwargs:  # the GAP the requester saw: the current one, as the wizard's
        current = selectors.gap_current(enterprise_number=world_or_enterprise.number)
        kwargs["seen_gap"] = current.person_id if current else None
    return designation.gap_designate(
        enterprise_number=world_or_enterprise.number,
        requester=requester,
        person=person,
        email=kwargs.pop("email", "gap@test.be"),
        phone="+3225123456",
        actor=kwargs.pop("actor", Actor.system("tests")),
        **kwargs,
    )


def _state():
    return (
        list(AccessManager.objects.order_by("pk").values_list("pk", "ended_at")),
        Registration.objects.count(),
        OutboundEmail.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.django_db
def test_replaced_gap_is_ended_and_told_by_email(world):
    lr, old = world.person("lr"), world.user("gap")
    before_gap = AccessManager.objects.get(enterprise=world.enterprise, role="GAP")

    gap = _designate(world.enterprise, lr, lr, actor=world.actor("lr"))

    before_gap.refresh_from_db()
    assert before_gap.ended_at == gap.started_at
    recipients = sorted(OutboundEmail.objects.values_list("recipient", flat=True))
    assert recipients == sorted(["gap@test.be", before_gap.email])
    replaced = OutboundEmail.objects.get(template="access_managers/gap_replaced")
    assert old.person.first_name in replaced.body_text
    assert list(AuditRecord.objects.order_by("pk").values_list("action", flat=True)) == [
        "gap_end",
        "gap_designate",
    ]


@pytest.mark.django_db
def test_a_co_gap_who_becomes_gap_stops_being_co_gap(world):
    lr, co_gap = world.person("lr"), world.person("co_gap")

    _designate(world.enterprise, lr, co_gap)

    terms = AccessManager.objects.filter(enterprise=world.enterprise, person=co_gap)
    assert terms.get(role="COGAP").ended_at is not None
    assert terms.get(role="GAP").ended_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("stopped", "enterprise_not_active"),
        ("function_ended", "not_legal_representative"),
        ("current_gap_again", "already_gap"),
        ("stale", "already_registered"),
    ],
)
def test_each_rule_is_checked_again_by_the_service_and_changes_nothing(world, change, code):
    lr = world.person("lr")
    person = PersonFactory()
    seen = world.person("gap").niss
    if change == "stopped":
        world.enterprise.status = "ST"
        world.enterprise.save()
    elif change == "function_ended":
        world.enterprise.legal_functions.update(end_date="2020-01-01")
    elif change == "current_gap_again":
        person = world.person("gap")
    else:
        seen = None  # the requester saw no GAP: someone registered it meanwhile
    before = _state()

    with pytest.raises(ValidationError) as error:
        _designate(world.enterprise, lr, person, seen_gap=seen)

    assert error.value.code == code
    assert _state() == before


@pytest.mark.django_db
def test_the_gap_designating_themself_again_is_told_so(world):
    gap = world.person("gap")
    LegalFunctionFactory(enterprise=world.enterprise, person=gap)

    with pytest.raises(ValidationError, match="Vous êtes déjà connu comme Gestionnaire"):
        _designate(world.enterprise, gap, gap)


@pytest.mark.django_db
def test_the_same_request_twice_designates_once(world):
    lr = world.person("lr")

    first = _designate(world.enterprise, lr, lr, token="abc")
    second = _designate(world.enterprise, lr, lr, token="abc")

    assert first.pk == second.pk
    assert (
        AccessManager.objects.filter(role="GAP", ended_at=None, enterprise=world.enterprise).get()
        == first
    )


@pytest.mark.django_db
def test_co_gap_add_and_remove_write_history_audit_and_emails(world):
    person = PersonFactory(language="nl")

    term = co_gaps.co_gap_add(
        enterprise=world.enterprise, person=person, email="co@test.be", actor=world.actor("gap")
    )
    co_gaps.co_gap_remove(enterprise=world.enterprise, term_id=term.pk, actor=world.actor("gap"))

    term.refresh_from_db()
    assert term.ended_at is not None
    assert term.designated_by == world.person("gap")
    emails = list(OutboundEmail.objects.order_by("pk").values_list("template", "language"))
    assert emails == [
        ("access_managers/co_gap_added", "nl"),
        ("access_managers/co_gap_removed", "nl"),
    ]
    assert list(AuditRecord.objects.order_by("pk").values_list("action", flat=True)) == [
        "co_gap_add",
        "co_gap_remove",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "code"), [("gap", "already_gap"), ("co_gap", "already_co_gap")])
def test_co_gap_add_refuses_the_gap_and_a_current_co_gap(world, role, code):
    before = _state()

    with pytest.raises(ValidationError) as error:
        co_gaps.co_gap_add(
            enterprise=world.enterprise,
            person=world.person(role),
            email="x@test.be",
            actor=world.actor("gap"),
        )

    assert error.value.code == code
    assert _state() == before


@pytest.mark.django_db
def test_co_gap_remove_refuses_another_enterprises_term(world):
    other_term = AccessManager.objects.get(enterprise=world.other, role="COGAP")
    before = _state()

    with pytest.raises(ValidationError, match="n'est plus Co-Gestionnaire"):
        co_gaps.co_gap_remove(
            enterprise=world.enterprise, term_id=other_term.pk, actor=world.actor("gap")
        )

    assert _state() == before


@pytest.mark.django_db(transaction=True)
def test_two_legal_representatives_racing_register_the_enterprise_once():
    """Two real connections confirm at the same moment: one registration, one GAP."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks and constraints")
    enterprise = EnterpriseFactory()
    first, second = PersonFactory(), PersonFactory()
    for person in (first, second):
        LegalFunctionFactory(enterprise=enterprise, person=person)
    start = threading.Barrier(2)
    outcomes = {}

    def confirm(person):
        try:
            start.wait(timeout=10)
            _designate(enterprise, person, person, seen_gap=None)
            outcomes[person.niss] = "designated"
        except ValidationError as error:
            outcomes[person.niss] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(person,)) for person in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["already_registered", "designated"]
    assert Registration.objects.filter(enterprise=enterprise).count() == 1
    assert AccessManager.objects.filter(enterprise=enterprise, role="GAP").count() == 1
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_current_gap(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessManager.objects.create(
            enterprise=world.enterprise,
            person=world.person("lr"),
            role="GAP",
            email="x@test.be",
            designated_by=world.person("lr"),
            procedure="standard",
        )


@pytest.mark.django_db
def test_a_gap_replaced_a_moment_ago_can_no_longer_name_co_gaps(world):
    lr = world.person("lr")
    _designate(world.enterprise, lr, lr)  # the view's check passed before this
    before = _state()

    with pytest.raises(ValidationError) as error:
        co_gaps.co_gap_add(
            enterprise=world.enterprise,
            person=PersonFactory(),
            email="x@test.be",
            actor=world.actor("gap"),
        )

    assert error.value.code == "not_gap"
    assert _state() == before


@pytest.mark.django_db
def test_the_designation_audit_records_the_replaced_gap_as_it_was(world):
    lr = world.person("lr")

    _designate(world.enterprise, lr, lr)

    record = AuditRecord.objects.get(action="gap_designate")
    assert record.before["ended_at"] is None
    assert record.before["person_id"] == world.person("gap").niss
