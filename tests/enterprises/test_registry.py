"""The register importers: idempotent, bad rows refused with file and line, bad files refused
whole, update files applied (deletions before insertions), numbers normalised."""

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from csam_portal.models import AuditRecord
from enterprises.models import (
    Address,
    Denomination,
    Enterprise,
    LegalFunction,
    RegistryCode,
    RegistryExtract,
)
from users.models import Person

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "enterprises" / "fixtures" / "demo"
KBO_HEADER = '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"\n'


@pytest.fixture
def kbo(tmp_path) -> Path:
    """A copy of the demo extract, to edit."""
    folder = tmp_path / "kbo"
    shutil.copytree(DEMO / "kbo", folder)
    return folder


def _import(command: str, path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, str(path), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _state() -> list:
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (Enterprise, Denomination, Address, RegistryCode)
    ]


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(line)


def test_the_demo_extract_is_imported_with_names_addresses_forms_and_snapshot(kbo):
    out, err = _import("import_kbo", kbo)

    assert "enterprise.csv: 10 rows read, 10 created, 0 updated, 0 refused" in out
    assert err == ""
    dubois = Enterprise.objects.get(number="0410472920")
    assert (dubois.name, dubois.status, dubois.juridical_form) == (
        "Boulangerie Dubois",
        "AC",
        "610",
    )
    assert dubois.start_date == datetime.date(2010, 1, 15)
    assert dubois.registered_address.lines("fr") == ["Rue de Fer 12", "5000 Namur"]
    assert dubois.registered_address.lines("nl") == ["IJzerstraat 12", "5000 Namen"]
    assert Enterprise.objects.get(number="0494256174").is_active is False
    assert RegistryCode.objects.get(
        category="JuridicalForm", code="610", language="nl"
    ).description == ("Besloten vennootschap")
    extract = RegistryExtract.objects.get()
    assert (extract.snapshot_date, extract.kind, extract.extract_number) == (
        datetime.date(2026, 11, 1),
        "full",
        190,
    )
    assert (
        AuditRecord.objects.get(action="registry_import_kbo").after["enterprise.csv"]["created"]
        == 10
    )


def test_importing_the_same_extract_twice_changes_nothing(kbo):
    _import("import_kbo", kbo)
    before = _state()

    out, _err = _import("import_kbo", kbo)

    assert _state() == before
    for name in ("code.csv", "enterprise.csv", "denomination.csv", "address.csv"):
        assert f"{name}: " in out
    assert out.count(" 0 created, 0 updated, 0 refused") == 4


def test_a_changed_row_is_updated_and_a_changed_name_replaced(kbo):
    _import("import_kbo", kbo)
    enterprise_csv = kbo / "enterprise.csv"
    enterprise_csv.write_text(
        enterprise_csv.read_text().replace('"0410.472.920","AC"', '"0410.472.920","ST"')
    )
    denomination_csv = kbo / "denomination.csv"
    denomination_csv.write_text(
        denomination_csv.read_text().replace("Boulangerie Dubois", "Boulangerie Dubois & Fils")
    )

    out, _err = _import("import_kbo", kbo)

    assert "enterprise.csv: 10 rows read, 0 created, 1 updated, 0 refused" in out
    assert "denomination.csv: 10 rows read, 1 created, 0 updated, 1 deleted, 0 refused" in out
    dubois = Enterprise.objects.get(number="0410472920")
    assert dubois.status == "ST"
    assert [d.value for d in dubois.denominations.all()] == ["Boulangerie Dubois & Fils"]


def test_a_bad_row_is_refused_with_file_and_line_and_the_rest_imported(kbo):
    _append(kbo / "enterprise.csv", '"0410.472.921","AC","000","2","610","","15-01-2010"\n')
    _append(kbo / "enterprise.csv", '"0515.472.945","AC","000","2","610","","31-02-2010"\n')

    out, err = _import("import_kbo", kbo)

    assert "enterprise.csv, line 12: '0410.472.921' is not a valid enterprise number" in err
    assert "enterprise.csv, line 13: '31-02-2010' is not a date (DD-MM-YYYY)" in err
    assert "enterprise.csv: 12 rows read, 10 created, 0 updated, 2 refused" in out
    assert Enterprise.objects.count() == 10


def test_names_and_addresses_of_unknown_enterprises_are_refused(kbo):
    _append(kbo / "denomination.csv", '"0599.999.933","1","001","Nobody"\n')

    out, err = _import("import_kbo", kbo)

    assert "denomination.csv, line 12: 0599999933 is unknown in enterprises_enterprise" in err
    assert "denomination.csv: 11 rows read, 10 created, 0 updated, 1 refused" in out


ADDRESS_HEADER = '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"\n'
# Rows of the register's own units, as the public extract has them: an establishment unit (2.…)
# and the branch office of a foreign entity (9.…, type of name 004, type of address ABBR).
UNIT_DENOMINATIONS = (
    '"2.100.000.122","1","003","Boulangerie Dubois - Jambes"\n'
    '"9.000.006.626","2","004","Nordic Timber Belgian Branch"\n'
)
UNIT_ADDRESSES = (
    '"2.100.000.122","BAET","","","5100","Jambes","Jambes","Rue de Dave","Rue de Dave","7","","",""\n'
    '"9.000.006.626","ABBR","","","2030","Antwerpen","Anvers","Noorderlaan","Noorderlaan","133","","",""\n'
)


def test_establishment_units_and_branches_are_skipped_and_counted_apart_not_refused(kbo):
    _append(kbo / "denomination.csv", UNIT_DENOMINATIONS)
    _append(kbo / "address.csv", UNIT_ADDRESSES)

    out, err = _import("import_kbo", kbo)

    assert err == ""
    assert (
        "denomination.csv: 12 rows read, 10 created, 0 updated, "
        "1 skipped (establishment units), 1 skipped (branches), 0 refused" in out
    )
    assert (
        "address.csv: 12 rows read, 10 created, 0 updated, "
        "1 skipped (establishment units), 1 skipped (branches), 0 refused" in out
    )
    assert Denomination.objects.count() == Address.objects.count() == 10


def test_an_update_skips_the_rows_of_establishment_units_and_branches(kbo, tmp_path):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo)
    (update / "denomination_delete.csv").write_text(
        '"EntityNumber"\n"2.100.000.122"\n"9.000.006.626"\n"0410.472.920"\n'
    )
    (update / "denomination_insert.csv").write_text(
        '"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
        + UNIT_DENOMINATIONS
        + '"0410.472.920","1","001","Dubois SRL"\n'
    )

    out, err = _import("import_kbo", update)

    assert err == ""
    assert (
        "denomination_delete.csv + denomination_insert.csv: 3 rows read, 1 created, 0 updated, "
        "1 deleted, 1 skipped (establishment units), 1 skipped (branches), 0 refused" in out
    )
    assert Enterprise.objects.get(number="0410472920").name == "Dubois SRL"


def test_a_number_that_is_neither_an_enterprise_nor_a_unit_is_still_refused(kbo):
    _append(kbo / "denomination.csv", '"9.000.006","2","004","Truncated"\n')

    out, err = _import("import_kbo", kbo)

    assert "denomination.csv, line 12: '9.000.006' is not a valid enterprise number" in err
    assert "denomination.csv: 11 rows read, 10 created, 0 updated, 1 refused" in out


DUBOIS_STRUCK_OFF = '"0410.472.920","REGO","","","5000","Namen","Namur","Oude Straat","Vieille Rue","1","","","15-03-2023"\n'
DUBOIS_CURRENT = '"0410.472.920","REGO","","","5100","Jambes","Jambes","Rue de Dave","Rue de Dave","7","A","",""\n'


def _without_dubois(path: Path) -> str:
    return "".join(row for row in path.read_text().splitlines(True) if "0410.472.920" not in row)


@pytest.mark.parametrize(
    "rows", [[DUBOIS_STRUCK_OFF, DUBOIS_CURRENT], [DUBOIS_CURRENT, DUBOIS_STRUCK_OFF]]
)
def test_the_current_registered_office_wins_over_a_struck_off_one_in_either_order(kbo, rows):
    (kbo / "address.csv").write_text(_without_dubois(kbo / "address.csv") + "".join(rows))

    out, err = _import("import_kbo", kbo)

    assert err == ""
    assert (
        "address.csv: 11 rows read, 10 created, 0 updated, 1 skipped (struck off), 0 refused" in out
    )
    address = Enterprise.objects.get(number="0410472920").registered_address
    assert address.lines("fr") == ["Rue de Dave 7 bte A", "5100 Jambes"]
    assert address.date_striking_off is None


@pytest.mark.parametrize(
    "rows", [[DUBOIS_STRUCK_OFF, DUBOIS_CURRENT], [DUBOIS_CURRENT, DUBOIS_STRUCK_OFF]]
)
def test_an_update_keeps_the_current_registered_office_in_either_order(kbo, tmp_path, rows):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo)
    (update / "address_delete.csv").write_text('"EntityNumber"\n"0410.472.920"\n')
    (update / "address_insert.csv").write_text(ADDRESS_HEADER + "".join(rows))

    out, err = _import("import_kbo", update)

    assert err == ""
    address = Enterprise.objects.get(number="0410472920").registered_address
    assert address.lines("fr") == ["Rue de Dave 7 bte A", "5100 Jambes"]


def test_an_address_struck_off_later_wins_over_one_struck_off_earlier(kbo):
    moving = DUBOIS_CURRENT.replace(',""\n', ',"31-12-2099"\n')  # still current today
    (kbo / "address.csv").write_text(
        _without_dubois(kbo / "address.csv") + moving + DUBOIS_STRUCK_OFF
    )

    _import("import_kbo", kbo)

    address = Enterprise.objects.get(number="0410472920").registered_address
    assert address.date_striking_off == datetime.date(2099, 12, 31)
    assert address.lines("fr") == ["Rue de Dave 7 bte A", "5100 Jambes"]


def test_a_registered_office_struck_off_alone_is_not_shown_as_the_address(kbo):
    (kbo / "address.csv").write_text(_without_dubois(kbo / "address.csv") + DUBOIS_STRUCK_OFF)

    _import("import_kbo", kbo)

    dubois = Enterprise.objects.get(number="0410472920")
    assert dubois.addresses.get().date_striking_off == datetime.date(2023, 3, 15)
    assert dubois.registered_address is None


def test_a_key_twice_in_a_file_keeps_the_last_line(kbo):
    _append(kbo / "enterprise.csv", '"0410.472.920","ST","000","2","610","","15-01-2010"\n')

    out, err = _import("import_kbo", kbo)

    assert "enterprise.csv, line 2: same key as line 12, which is kept" in err
    assert Enterprise.objects.get(number="0410472920").status == "ST"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda path: path.write_text(
                KBO_HEADER.replace("Status", "State")
                + "".join(path.read_text().splitlines(True)[1:])
            ),
            "the header is",
        ),
        (
            lambda path: path.write_bytes(
                path.read_bytes()
                + '"0504.729.008","AC","000","2","610","","15-01-2019"\n"0410.472.920","Soci\xe9t\xe9"'.encode(
                    "latin-1"
                )
            ),
            "not UTF-8 text",
        ),
        (
            lambda path: _append(path, '"0599.999.933","AC","000"\n'),
            r"3 fields instead of 7 \(truncated or damaged line\)",
        ),
        (
            lambda path: _append(path, '"0599.999.933","AC","000","2","610","","15-01-20'),
            "unexpected end of data",
        ),
        (lambda path: path.unlink(), "enterprise.csv is missing from the extract"),
    ],
    ids=["header", "encoding", "truncated", "unterminated", "missing"],
)
def test_a_malformed_file_is_refused_whole_and_nothing_changes(kbo, damage, message):
    _import("import_kbo", kbo)
    before = _state()
    (kbo / "denomination.csv").write_text(
        (kbo / "denomination.csv").read_text().replace("Dubois", "Changed")
    )
    damage(kbo / "enterprise.csv")

    with pytest.raises(CommandError, match=message):
        _import("import_kbo", kbo)

    assert _state() == before  # the denomination change, read before the bad file, is undone too
    assert RegistryExtract.objects.count() == 1


def test_a_monthly_update_applies_deletions_before_insertions(kbo, tmp_path):
    _import("import_kbo", kbo)
    _import("import_functions", DEMO / "functions.csv")
    update = tmp_path / "update"
    update.mkdir()
    shutil.copy(kbo / "code.csv", update)
    (update / "meta.csv").write_text(
        '"Variable","Value"\n"SnapshotDate","01-12-2026"\n"ExtractTimestamp","01-12-2026 04:00:00"\n"ExtractType","update"\n"ExtractNumber","191"\n"Version","1.0.0"\n'
    )
    # Ancienne Société leaves the register; Duo Consult changes status (deleted and inserted again).
    (update / "enterprise_delete.csv").write_text(
        '"EnterpriseNumber"\n"0494.256.174"\n"0504.729.008"\n'
    )
    (update / "enterprise_insert.csv").write_text(
        KBO_HEADER + '"0504.729.008","ST","000","2","610","","15-01-2019"\n'
    )
    (update / "denomination_delete.csv").write_text('"EntityNumber"\n"0410.472.920"\n')
    (update / "denomination_insert.csv").write_text(
        '"EntityNumber","Language","TypeOfDenomination","Denomination"\n"0410.472.920","1","001","Dubois SRL"\n'
    )

    out, err = _import("import_kbo", update)

    assert err == ""
    assert not Enterprise.objects.filter(number="0494256174").exists()
    assert not LegalFunction.objects.filter(enterprise_id="0494256174").exists()
    duo = Enterprise.objects.get(number="0504729008")
    assert duo.status == "ST"
    assert duo.name == "Duo Consult"  # its names and functions were not lost on the way
    assert duo.legal_functions.count() == 2
    assert Enterprise.objects.get(number="0410472920").name == "Dubois SRL"
    assert (
        "enterprise_delete.csv + enterprise_insert.csv: 1 rows read, 0 created, 1 updated, 1 deleted, 0 refused"
        in out
    )
    assert RegistryExtract.objects.latest("imported_at").kind == "update"


def test_meta_must_agree_with_the_files(kbo):
    meta = kbo / "meta.csv"
    meta.write_text(meta.read_text().replace('"full"', '"update"'))

    with pytest.raises(CommandError, match="meta.csv says 'update'"):
        _import("import_kbo", kbo)

    assert Enterprise.objects.count() == 0


def test_legal_functions_are_imported_idempotently_with_numbers_normalised(kbo):
    _import("import_kbo", kbo)

    first, _err = _import("import_functions", DEMO / "functions.csv")
    second, _err = _import("import_functions", DEMO / "functions.csv")

    assert "functions.csv: 12 rows read, 12 created, 0 updated, 0 refused" in first
    assert "functions.csv: 12 rows read, 0 created, 0 updated, 0 refused" in second
    claire = LegalFunction.objects.get(niss="65120111642")
    assert (claire.enterprise_id, claire.end_date) == ("0410472920", datetime.date(2021, 6, 30))


def test_bad_function_rows_are_refused_with_their_reason(kbo, tmp_path):
    _import("import_kbo", kbo)
    functions = tmp_path / "functions.csv"
    shutil.copy(DEMO / "functions.csv", functions)
    _append(
        functions,
        '"0410.472.920","80031510283","Marie","Dubois","10003","Gérant","Zaakvoerder","01-06-2015",""\n',
    )
    _append(
        functions,
        '"0599.999.933","80031510282","Marie","Dubois","10003","Gérant","Zaakvoerder","01-06-2015",""\n',
    )
    _append(
        functions,
        '"0420.945.851","80031510282","Marie","Dubois","10003","Gérant","Zaakvoerder","01-06-2015","01-01-2010"\n',
    )

    out, err = _import("import_functions", functions)

    assert "line 14: '80031510283' is not a valid NISS" in err
    assert "line 15: 0599999933 is unknown in enterprises_enterprise" in err
    assert "line 16: the function ends (2010-01-01) before it starts (2015-06-01)" in err
    assert "functions.csv: 15 rows read, 12 created, 0 updated, 3 refused" in out


def test_persons_are_imported_by_niss_and_updated(tmp_path):
    persons = tmp_path / "persons.csv"
    shutil.copy(DEMO / "persons.csv", persons)

    first, _err = _import("import_persons", persons)
    persons.write_text(persons.read_text().replace('"Marie","Dubois"', '"Marie","Dubois-Lambert"'))
    second, _err = _import("import_persons", persons)

    assert "persons.csv: 50 rows read, 50 created, 0 updated, 0 refused" in first
    assert "persons.csv: 50 rows read, 0 created, 1 updated, 0 refused" in second
    marie = Person.objects.get(niss="80031510282")
    assert (marie.last_name, marie.language, marie.has_eid) == ("Dubois-Lambert", "fr", True)
    ahmed = Person.objects.get(niss="68450910708")  # a BIS number
    assert ahmed.has_eid is False
    assert AuditRecord.objects.filter(action="person_import").count() == 2


def test_a_person_with_a_wrong_niss_or_language_is_refused(tmp_path):
    persons = tmp_path / "persons.csv"
    persons.write_text(
        '"NISS","FirstName","LastName","Gender","BirthDate","Language","HasEid"\n'
        '"80031510282","Marie","Dubois","F","1980-03-15","fr","1"\n'
        '"80031510283","Bad","Check","F","1980-03-15","fr","1"\n'
        '"75070210306","Jan","Peeters","M","1975-07-02","xx","1"\n'
    )

    out, err = _import("import_persons", persons)

    assert "persons.csv, line 3: '80031510283' is not a valid NISS" in err
    assert "persons.csv, line 4: language 'xx' is not one of fr, nl, de, en" in err
    assert list(Person.objects.values_list("niss", flat=True)) == ["80031510282"]


def _update_folder(tmp_path, kbo, number="191") -> Path:
    update = tmp_path / f"update{number}"
    update.mkdir()
    shutil.copy(kbo / "code.csv", update)
    (update / "meta.csv").write_text(
        f'"Variable","Value"\n"SnapshotDate","01-12-2026"\n"ExtractType","update"\n"ExtractNumber","{number}"\n'
    )
    return update


def test_a_bad_row_in_an_update_file_is_refused_and_the_rest_applied(kbo, tmp_path):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo)
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0504.729.008"\n')
    (update / "enterprise_insert.csv").write_text(
        KBO_HEADER
        + '"0504.729.008","ST","000","2","610","","15-01-2019"\n'
        + '"0504.729.009","AC","000","2","610","","15-01-2019"\n'
    )

    out, err = _import("import_kbo", update)

    assert "enterprise_insert.csv, line 3: '0504.729.009' is not a valid enterprise number" in err
    assert Enterprise.objects.get(number="0504729008").status == "ST"


def test_an_update_changes_addresses_and_codes(kbo, tmp_path):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo)
    (update / "code.csv").write_text(
        (kbo / "code.csv").read_text().replace("Société anonyme", "Société anonyme (SA)")
    )
    (update / "address_delete.csv").write_text('"EntityNumber"\n"0410.472.920"\n')
    (update / "address_insert.csv").write_text(
        '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"\n'
        '"0410.472.920","REGO","","","5100","Jambes","Jambes","Rue de Dave","Rue de Dave","7","A","",""\n'
    )

    _import("import_kbo", update)

    address = Enterprise.objects.get(number="0410472920").registered_address
    assert address.lines("fr") == ["Rue de Dave 7 bte A", "5100 Jambes"]
    assert (
        RegistryCode.objects.get(category="JuridicalForm", code="014", language="fr").description
        == "Société anonyme (SA)"
    )


@pytest.mark.parametrize(
    ("number", "message"),
    [("190", "Update 190 was already applied"), ("193", "update 191 is missing")],
)
def test_updates_apply_in_order_and_once(kbo, tmp_path, number, message):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo, number)
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0494.256.174"\n')

    with pytest.raises(CommandError, match=message):
        _import("import_kbo", update)

    assert Enterprise.objects.filter(number="0494256174").exists()


def test_an_update_out_of_order_can_be_forced(kbo, tmp_path):
    _import("import_kbo", kbo)
    update = _update_folder(tmp_path, kbo, "195")
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0494.256.174"\n')

    call_command("import_kbo", str(update), "--force", "--no-progress", stdout=StringIO())

    assert not Enterprise.objects.filter(number="0494256174").exists()


def test_an_enterprise_a_full_extract_no_longer_lists_is_stopped(kbo):
    _import("import_kbo", kbo)
    rows = (kbo / "enterprise.csv").read_text().splitlines(True)
    (kbo / "enterprise.csv").write_text("".join(row for row in rows if "0420.945.851" not in row))

    out, _err = _import("import_kbo", kbo)

    assert "enterprise.csv: 9 rows read, 0 created, 0 updated, 1 no longer listed, 0 refused" in out
    peeters = Enterprise.objects.get(number="0420945851")
    assert peeters.status == "ST"
    assert peeters.name == "Peeters Logistics"  # its names and addresses stay known


def test_a_function_functions_csv_no_longer_lists_is_removed(kbo, tmp_path):
    _import("import_kbo", kbo)
    functions = tmp_path / "functions.csv"
    rows = (DEMO / "functions.csv").read_text().splitlines(True)
    functions.write_text("".join(rows))
    _import("import_functions", functions)
    functions.write_text("".join(row for row in rows if "80031510282" not in row))

    out, _err = _import("import_functions", functions)

    assert "functions.csv: 11 rows read, 0 created, 0 updated, 1 deleted, 0 refused" in out
    assert not LegalFunction.objects.filter(niss="80031510282").exists()


def test_a_value_too_long_for_its_column_refuses_its_row(kbo):
    _append(kbo / "enterprise.csv", '"0504.729.008","AC","0000","2","610","","15-01-2019"\n')

    out, err = _import("import_kbo", kbo)

    assert "enterprise.csv, line 12: juridical_situation is longer than 3 characters" in err
    assert Enterprise.objects.get(number="0504729008").juridical_situation == "000"


@pytest.mark.parametrize(
    ("command", "source", "model"),
    [
        ("import_functions", "functions.csv", LegalFunction),
        ("import_persons", "persons.csv", Person),
    ],
)
def test_a_malformed_functions_or_persons_file_changes_nothing(
    kbo, tmp_path, command, source, model
):
    _import("import_kbo", kbo)
    path = tmp_path / source
    path.write_text((DEMO / source).read_text() + '"broken","line"\n')

    with pytest.raises(CommandError, match="fields instead of"):
        _import(command, path)

    assert model.objects.count() == 0


def test_the_juridical_form_is_read_in_the_pages_language_from_code_csv(kbo):
    from django.utils import translation

    from enterprises.selectors import enterprise_get

    _import("import_kbo", kbo)

    with translation.override("nl"):
        dutch = enterprise_get(number="0420945851")
    with translation.override("fr"):
        french = enterprise_get(number="0420945851")

    assert dutch.juridical_form_label == "Naamloze vennootschap"
    assert french.juridical_form_label == "Société anonyme"
    assert french.name == "Peeters Logistics"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"),
    # German: no German name, so the register's first language's (French, code "1").
    [("fr", "Ville de Bruxelles"), ("nl", "Stad Brussel"), ("de", "Ville de Bruxelles")],
)
def test_an_enterprise_named_in_one_query_has_the_name_of_the_pages_language(
    language, name, django_assert_num_queries
):
    from django.utils import translation

    from enterprises.selectors import enterprise_named
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="Ville de Bruxelles")
    enterprise.denominations.create(language="2", type="001", value="Stad Brussel")

    with translation.override(language), django_assert_num_queries(1):
        assert enterprise_named(number=enterprise.number).name == name
    assert enterprise_named(number="0000000000") is None
