"""A monthly update that deletes an enterprise CSAM knows, on the demo register: the update
applies, the enterprise stays (marked as no longer in the register) with its GAP and history, its
GAP is told, and nobody is its legal representative any more."""

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from access_managers import selectors
from access_managers.models import AccessManager, Registration
from access_managers.roles import roles_in
from access_managers.services import designation
from csam_portal.models import AuditRecord, OutboundEmail
from enterprises import selectors as enterprise_selectors
from enterprises.models import Enterprise, LegalFunction

pytestmark = pytest.mark.django_db

DEMO_KBO = Path(__file__).resolve().parents[2] / "enterprises" / "fixtures" / "demo" / "kbo"
HORIZON, PHARMABEL, ANCIENNE, DUBOIS = "0462837478", "0473310312", "0494256174", "0410472920"
NATHALIE, SARAH = "79021412066", "86052712830"  # the GAPs (and legal representatives) of both
SNAPSHOT = datetime.date(2026, 12, 1)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def _update(tmp_path: Path, number: int = 191, snapshot: str = "01-12-2026") -> Path:
    """Update `number` of the register: PharmaBel (registered in CSAM) and Ancienne Société (not)
    leave it, with their names and addresses, as the register publishes it; Boulangerie Dubois
    changes its name."""
    folder = tmp_path / f"update{number}"
    folder.mkdir()
    shutil.copy(DEMO_KBO / "code.csv", folder)
    (folder / "meta.csv").write_text(
        '"Variable","Value"\n'
        f'"SnapshotDate","{snapshot}"\n"ExtractTimestamp","{snapshot} 04:00:00"\n'
        f'"ExtractType","update"\n"ExtractNumber","{number}"\n"Version","1.0.0"\n'
    )
    (folder / "enterprise_delete.csv").write_text(
        '"EnterpriseNumber"\n"0473.310.312"\n"0494.256.174"\n'
    )
    (folder / "denomination_delete.csv").write_text(
        '"EntityNumber"\n"0473.310.312"\n"0494.256.174"\n"0410.472.920"\n'
    )
    (folder / "denomination_insert.csv").write_text(
        '"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
        '"0410.472.920","1","001","Dubois SRL"\n'
    )
    (folder / "address_delete.csv").write_text('"EntityNumber"\n"0473.310.312"\n"0494.256.174"\n')
    return folder


def _import(path: Path, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_kbo", str(path), "--no-progress", *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _state() -> list:
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (
            Enterprise,
            LegalFunction,
            Registration,
            AccessManager,
            OutboundEmail,
            AuditRecord,
        )
    ]


def test_an_update_deleting_a_registered_enterprise_applies_and_keeps_it(demo, tmp_path):
    out, err = _import(_update(tmp_path))

    assert err == ""
    connection.check_constraints()  # what the commit checks: no row points to a deleted one
    pharmabel = Enterprise.objects.get(number=PHARMABEL)
    assert pharmabel.removed_from_register_on == SNAPSHOT
    assert pharmabel.is_active is False
    assert pharmabel.name == "PharmaBel"  # its name and address stay known
    assert pharmabel.registered_address.zipcode == "1300"
    assert not Enterprise.objects.filter(number=ANCIENNE).exists()  # unknown to CSAM: deleted
    assert Enterprise.objects.get(number=DUBOIS).name == "Dubois SRL"  # the rest applied
    assert (
        "enterprise_delete.csv + enterprise_insert.csv: 0 rows read, 0 created, 0 updated, "
        "1 deleted, 1 no longer listed, 0 refused" in out
    )


def test_an_enterprise_leaving_the_register_keeps_its_gap_and_history(demo, tmp_path):
    terms = list(AccessManager.objects.filter(enterprise_id=PHARMABEL).values_list())
    registration = Registration.objects.filter(enterprise_id=PHARMABEL).values_list().get()

    _import(_update(tmp_path))

    assert list(AccessManager.objects.filter(enterprise_id=PHARMABEL).values_list()) == terms
    assert Registration.objects.filter(enterprise_id=PHARMABEL).values_list().get() == registration
    assert selectors.gap_current(enterprise_number=PHARMABEL).person_id == SARAH


def test_the_gap_of_an_enterprise_leaving_the_register_is_told_in_their_language(
    demo, tmp_path, django_capture_on_commit_callbacks, mailoutbox
):
    before = OutboundEmail.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        _import(_update(tmp_path))

    email = OutboundEmail.objects.get(template="access_managers/enterprise_removed")
    assert OutboundEmail.objects.count() == before + 1
    assert (email.recipient, email.language) == ("direction@pharmabel.example", "nl")
    assert email.subject == "PharmaBel staat niet langer in de Kruispuntbank van Ondernemingen"
    assert "01/12/2026" in email.body_text
    assert [message.to for message in mailoutbox] == [["direction@pharmabel.example"]]


def test_nobody_is_legal_representative_of_an_enterprise_no_longer_in_the_register(demo, tmp_path):
    assert roles_in(niss=SARAH, enterprise_number=PHARMABEL).is_lr

    _import(_update(tmp_path))

    assert not enterprise_selectors.legal_functions_valid_today(
        niss=SARAH, enterprise_number=PHARMABEL
    )
    roles = roles_in(niss=SARAH, enterprise_number=PHARMABEL)
    assert (roles.is_lr, roles.is_gap) == (False, True)
    assert enterprise_selectors.legal_functions_valid_today(
        niss=NATHALIE, enterprise_number=HORIZON
    )


def test_an_enterprise_no_longer_in_the_register_cannot_be_given_a_gap(demo, tmp_path):
    _import(_update(tmp_path))

    with pytest.raises(ValidationError, match="n'est pas active") as error:
        designation.gap_designation_check(enterprise_number=PHARMABEL, niss=SARAH)

    assert error.value.code == "enterprise_not_active"


def test_leaving_the_register_is_audited_as_the_import(demo, tmp_path):
    _import(_update(tmp_path))

    record = AuditRecord.objects.get(action="enterprise_remove_from_register")
    assert (record.object_id, record.actor) == (PHARMABEL, "import_kbo")
    assert record.before["removed_from_register_on"] is None
    assert record.after["removed_from_register_on"] == "2026-12-01"


def test_applying_the_same_update_again_changes_nothing(demo, tmp_path):
    update = _update(tmp_path)
    _import(update)
    before = _state()

    out, err = _import(update, "--force")

    assert err == ""
    assert _state()[:-1] == before[:-1]  # only the import's own audit record is new
    assert AuditRecord.objects.filter(action="enterprise_remove_from_register").count() == 1
    assert (
        "enterprise_delete.csv + enterprise_insert.csv: 0 rows read, 0 created, 0 updated, "
        "0 refused" in out
    )


def test_an_enterprise_the_register_lists_again_is_back_in_it(demo, tmp_path):
    _import(_update(tmp_path))
    back = tmp_path / "update192"
    back.mkdir()
    shutil.copy(DEMO_KBO / "code.csv", back)
    (back / "meta.csv").write_text(
        '"Variable","Value"\n"SnapshotDate","01-01-2027"\n'
        '"ExtractType","update"\n"ExtractNumber","192"\n'
    )
    (back / "enterprise_insert.csv").write_text(
        (DEMO_KBO / "enterprise.csv").read_text().splitlines(True)[0]
        + '"0473.310.312","AC","000","2","014","","15-01-2016"\n'
    )

    _import(back)

    pharmabel = Enterprise.objects.get(number=PHARMABEL)
    assert (pharmabel.removed_from_register_on, pharmabel.is_active) == (None, True)
    assert roles_in(niss=SARAH, enterprise_number=PHARMABEL).is_lr
