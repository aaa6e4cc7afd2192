"""persons.csv, the portal's stand-in for the national register, and how each row is read."""

import datetime

from csam_portal.core import numbers
from csam_portal.core.bulkload.files import FileSpec, RowError
from csam_portal.core.languages import Language
from users.models import Person

LANGUAGES = frozenset(Language.values)  # computed once: enum lookups cost per row
GENDERS = frozenset(Person.Gender.values)


def parse_person(fields: list[str]) -> list:
    niss, first_name, last_name, gender, birth_date, language, has_eid = fields
    try:
        niss = numbers.niss(niss)
    except numbers.ValidationError as error:
        raise RowError(f"{niss!r} is not a valid NISS ({error.message})") from None
    if not first_name.strip() or not last_name.strip():
        raise RowError("first and last name are required")
    if birth_date:
        try:
            birth_date = datetime.date.fromisoformat(birth_date).isoformat()
        except ValueError:
            raise RowError(f"{birth_date!r} is not a date (YYYY-MM-DD)") from None
    language = language.lower()
    if language not in LANGUAGES:
        raise RowError(f"language {language!r} is not one of fr, nl, de, en")
    if has_eid not in {"0", "1"}:
        raise RowError(f"HasEid {has_eid!r} is neither 0 nor 1")
    gender = gender if gender in GENDERS else Person.Gender.UNKNOWN
    return [
        niss,
        first_name.strip(),
        last_name.strip(),
        gender,
        birth_date or None,
        language,
        has_eid,
    ]


PERSON = FileSpec(
    header=["NISS", "FirstName", "LastName", "Gender", "BirthDate", "Language", "HasEid"],
    model=Person,
    columns=["niss", "first_name", "last_name", "gender", "birth_date", "language", "has_eid"],
    key=["niss"],
    parse=parse_person,
    types={"birth_date": "date", "has_eid": "boolean"},
)
