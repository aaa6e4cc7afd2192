"""Belgian numbers, normalised and validated with python-stdnum, fast enough for bulk imports.

python-stdnum validates an enterprise number in ~5 µs and a NISS in ~20 µs (it rebuilds and
checks the birth date each time): too slow for a register of millions of rows. The register writes
its numbers in one shape (0123.456.789, 11 plain digits), so that shape is checked here with the
same rules as stdnum (mod 97, century, month and day); any other shape, and every refusal, goes
through stdnum itself, whose verdict and message are final. tests/test_numbers.py holds the two
paths equal on every kind of number.
"""

import datetime
import re

from stdnum.be import ssn, vat
from stdnum.exceptions import ValidationError

# [0-9], not \d: Python's \d takes the digits of every script, which are no number here.
_DOTTED_ENTERPRISE = re.compile(r"[01][0-9]{3}\.[0-9]{3}\.[0-9]{3}")
_PLAIN_ENTERPRISE = re.compile(r"[01][0-9]{9}")
_PLAIN_NISS = re.compile(r"[0-9]{11}")


def enterprise_number(raw: str) -> str:
    """The 10 digits of an enterprise number; stdnum's ValidationError if it is not one."""
    if _DOTTED_ENTERPRISE.fullmatch(raw):
        number = raw.replace(".", "")
    elif _PLAIN_ENTERPRISE.fullmatch(raw):
        number = raw
    else:
        return vat.validate(raw)
    if vat.checksum(number) != 0 or number == "0000000000":
        return vat.validate(raw)  # raises, with stdnum's own reason
    return number


def niss(raw: str) -> str:
    """The 11 digits of a national register or BIS number; stdnum's ValidationError if not."""
    if not _PLAIN_NISS.fullmatch(raw) or not _plausible_niss(raw):
        return ssn.validate(raw)  # other shapes normalised by stdnum; refusals explained by it
    return raw


def _plausible_niss(number: str) -> bool:
    """stdnum's rules for an 11-digit number: month field, then mod 97 in one of two centuries.

    (The day is not checked: stdnum, like the register, takes an impossible day as "unknown".)
    """
    month = int(number[2:4])
    if not (month <= 12 or 20 <= month <= 32 or 40 <= month <= 52) or int(number) == 0:
        return False
    check = int(number[9:])
    if 97 - int(number[:9]) % 97 == check:
        return True
    born_after_2000_possible = int(number[:2]) + 2000 <= datetime.date.today().year
    return born_after_2000_possible and 97 - int("2" + number[:9]) % 97 == check


__all__ = ["ValidationError", "enterprise_number", "niss"]
