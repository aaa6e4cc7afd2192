"""The files of the register and how each row is read: the public KBO Open Data extract
(enterprise, denomination, address, code, meta; full or monthly update) and functions.csv.

Each `parse_*` turns a row's fields into the values staged by csam_portal.core.bulkload, or raises
RowError with a reason a person can act on, or SkipRow for a row of the register's own units
(establishment units, branch offices): the portal keeps enterprises only.
"""

import datetime
import re
from pathlib import Path

from csam_portal.core import numbers
from csam_portal.core.bulkload.files import (
    FileSpec,
    MalformedFile,
    RowError,
    SkipRow,
    read_rows,
)
from enterprises.models import Address, Denomination, Enterprise, LegalFunction, RegistryCode

KBO_FILES = ["code", "enterprise", "denomination", "address"]


def kbo_date(raw: str, *, required: bool = True) -> str | None:
    """DD-MM-YYYY (the register's dates) → ISO; RowError if it is no date."""
    if not raw:
        if required:
            raise RowError("date missing")
        return None
    try:
        day, month, year = raw.split("-")
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise RowError(f"{raw!r} is not a date (DD-MM-YYYY)") from None


# The register's other units, numbered 9.999.999.999: an establishment unit's number starts with
# 2 to 8, a branch office's id (a foreign entity's seat in Belgium) with 9. Neither is an
# enterprise number (python-stdnum refuses their first digit; a branch id "is not an official
# number", says the register's cookbook, so no check digit is relied on): their rows in
# denomination.csv, address.csv and the update files are skipped, by kind, not refused.
_UNIT_NUMBER = re.compile(r"[2-9]\.?\d{3}\.?\d{3}\.?\d{3}")
_UNIT_FIRST_DIGITS = frozenset("23456789")
ESTABLISHMENT_UNITS, BRANCHES = "establishment units", "branches"


def entity_number(raw: str) -> str:
    """An enterprise number, normalised. SkipRow for an establishment unit or a branch office,
    RowError for anything else that is no enterprise number."""
    if raw[:1] in _UNIT_FIRST_DIGITS and _UNIT_NUMBER.fullmatch(raw):
        raise SkipRow(BRANCHES if raw[0] == "9" else ESTABLISHMENT_UNITS)
    try:
        return numbers.enterprise_number(raw)
    except numbers.ValidationError as error:
        raise RowError(f"{raw!r} is not a valid enterprise number ({error.message})") from None


def parse_enterprise(fields: list[str]) -> list:
    number, status, situation, kind, form, form_cac, start = fields
    number = entity_number(number)
    if len(status) != 2 or not status.isalpha():
        raise RowError(f"status {status!r} is not a register status")
    start = kbo_date(start, required=False)
    # Listed by the register, so in it: one it had removed (see services) is back.
    return [number, status, situation, kind, form, form_cac, start, None]


def parse_denomination(fields: list[str]) -> list:
    number, language, kind, value = fields
    number = entity_number(number)
    if language not in {"0", "1", "2", "3", "4"}:
        raise RowError(f"language {language!r} is not a register language code (0-4)")
    if not value.strip():
        raise RowError("empty denomination")
    if len(value) > Denomination._meta.get_field("value").max_length:
        raise RowError("denomination longer than 320 characters")
    return [number, language, kind, value.strip()]


def parse_address(fields: list[str]) -> list:
    number, kind, *place, striking_off = fields
    number = entity_number(number)
    if kind not in {"REGO", "BAET", "ABBR", "OBAD"}:
        raise RowError(f"type of address {kind!r} is unknown")
    return [number, kind, *place, kbo_date(striking_off, required=False)]


def parse_code(fields: list[str]) -> list:
    category, code, language, description = fields
    if not (category and code and language and description):
        raise RowError("a code needs its category, code, language and description")
    return [category, code, language.lower(), description]


def parse_function(fields: list[str]) -> list:
    number, niss, first_name, last_name, code, label_fr, label_nl, start, end = fields
    try:
        number = entity_number(number)
    except SkipRow as unit:
        raise RowError(
            f"{fields[0]!r} is one of the register's {unit}, not an enterprise"
        ) from None
    try:
        niss = numbers.niss(niss)
    except numbers.ValidationError as error:
        raise RowError(f"{niss!r} is not a valid NISS ({error.message})") from None
    start, end = kbo_date(start), kbo_date(end, required=False)
    if end is not None and end < start:
        raise RowError(f"the function ends ({end}) before it starts ({start})")
    return [number, niss, first_name, last_name, code, label_fr, label_nl, start, end]


ENTERPRISE = FileSpec(
    header=[
        "EnterpriseNumber",
        "Status",
        "JuridicalSituation",
        "TypeOfEnterprise",
        "JuridicalForm",
        "JuridicalFormCAC",
        "StartDate",
    ],
    model=Enterprise,
    columns=[
        "number",
        "status",
        "juridical_situation",
        "type_of_enterprise",
        "juridical_form",
        "juridical_form_cac",
        "start_date",
        "removed_from_register_on",
    ],
    key=["number"],
    parse=parse_enterprise,
    types={"start_date": "date", "removed_from_register_on": "date"},
    absent="status = 'ST'",  # a full extract lists the active enterprises only
)
DENOMINATION = FileSpec(
    header=["EntityNumber", "Language", "TypeOfDenomination", "Denomination"],
    model=Denomination,
    columns=["enterprise_id", "language", "type", "value"],
    key=["enterprise_id", "type", "language", "value"],
    parse=parse_denomination,
    parent=("enterprise_id", Enterprise, "number"),
    replace_by="enterprise_id",
)
ADDRESS = FileSpec(
    header=[
        "EntityNumber",
        "TypeOfAddress",
        "CountryNL",
        "CountryFR",
        "Zipcode",
        "MunicipalityNL",
        "MunicipalityFR",
        "StreetNL",
        "StreetFR",
        "HouseNumber",
        "Box",
        "ExtraAddressInfo",
        "DateStrikingOff",
    ],
    model=Address,
    columns=[
        "enterprise_id",
        "type_of_address",
        "country_nl",
        "country_fr",
        "zipcode",
        "municipality_nl",
        "municipality_fr",
        "street_nl",
        "street_fr",
        "house_number",
        "box",
        "extra_address_info",
        "date_striking_off",
    ],
    key=["enterprise_id", "type_of_address"],
    parse=parse_address,
    types={"date_striking_off": "date"},
    parent=("enterprise_id", Enterprise, "number"),
    replace_by="enterprise_id",
    # An enterprise's struck-off registered office and its current one share a key: the current
    # one (struck off later, or not at all) is kept, whatever their order in the file.
    supersede=("date_striking_off", "struck off"),
)
CODE = FileSpec(
    header=["Category", "Code", "Language", "Description"],
    model=RegistryCode,
    columns=["category", "code", "language", "description"],
    key=["category", "code", "language"],
    parse=parse_code,
)
FUNCTION = FileSpec(
    header=[
        "EntityNumber",
        "NISS",
        "FirstName",
        "LastName",
        "FunctionCode",
        "FunctionFR",
        "FunctionNL",
        "StartDate",
        "EndDate",
    ],
    model=LegalFunction,
    columns=[
        "enterprise_id",
        "niss",
        "first_name",
        "last_name",
        "function_code",
        "label_fr",
        "label_nl",
        "start_date",
        "end_date",
    ],
    key=["enterprise_id", "niss", "function_code", "start_date"],
    parse=parse_function,
    types={"start_date": "date", "end_date": "date"},
    parent=("enterprise_id", Enterprise, "number"),
    absent="delete",  # functions.csv lists them all: a function gone is ended
)
SPECS = {"enterprise": ENTERPRISE, "denomination": DENOMINATION, "address": ADDRESS, "code": CODE}
# The key column of each *_delete.csv file of a monthly update.
DELETE_HEADERS = {
    "enterprise": ["EnterpriseNumber"],
    "denomination": ["EntityNumber"],
    "address": ["EntityNumber"],
    "code": ["Category", "Code", "Language"],
}


def read_meta(directory: Path) -> dict[str, str]:
    """meta.csv's variables (SnapshotDate, ExtractTimestamp, ExtractType, ...)."""
    path = directory / "meta.csv"
    if not path.is_file():
        raise MalformedFile(f"{directory}: meta.csv is missing, this is no register extract.")
    return {name: value for _line, (name, value) in read_rows(path, ["Variable", "Value"])}
