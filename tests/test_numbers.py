"""The bulk-import fast paths of csam_portal.core.numbers agree with python-stdnum on every number."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.be import ssn, vat

from csam_portal.core import numbers

digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


def _with_valid_check(body: str, century_2000: bool) -> str:
    base = int(("2" if century_2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


niss_like = st.one_of(
    digits,
    st.builds(
        _with_valid_check,
        st.text(alphabet="0123456789", min_size=9, max_size=9),
        st.booleans(),
    ),
)


def _stdnum_niss(raw):
    try:
        return ssn.validate(raw)
    except ssn.ValidationError:
        return None


def _ours_niss(raw):
    try:
        return numbers.niss(raw)
    except numbers.ValidationError:
        return None


@given(niss_like)
@example("80031510282")  # Marie Dubois
@example("68450910708")  # Ahmed El Amrani, BIS
@example("00000000097")
def test_niss_fast_path_agrees_with_stdnum(raw):
    assert _ours_niss(raw) == _stdnum_niss(raw)


def _stdnum_enterprise(raw):
    try:
        return vat.validate(raw)
    except vat.ValidationError:
        return None


def _ours_enterprise(raw):
    try:
        return numbers.enterprise_number(raw)
    except numbers.ValidationError:
        return None


enterprise_like = st.builds(
    lambda body, dotted: f"{body[:4]}.{body[4:7]}.{body[7:]}" if dotted else body,
    st.one_of(
        st.text(alphabet="0123456789", min_size=10, max_size=10),
        st.builds(
            lambda eight: f"{eight}{97 - int(eight) % 97:02d}",
            st.text(alphabet="0123456789", min_size=8, max_size=8),
        ),
    ),
    st.booleans(),
)


@given(enterprise_like)
@example("0410.472.920")
@example("BE 0410 472 920")
@example("2000.000.043")
def test_enterprise_number_fast_path_agrees_with_stdnum(raw):
    assert _ours_enterprise(raw) == _stdnum_enterprise(raw)


@pytest.mark.parametrize(
    ("raw", "number"), [("80.03.15-102.82", "80031510282"), ("68450910708", "68450910708")]
)
def test_other_shapes_are_normalised_by_stdnum(raw, number):
    assert numbers.niss(raw) == number


@pytest.mark.parametrize("raw", ["٠٤١٠٤٧٢٩٢٠", "٠٤١٠.٤٧٢.٩٢٠", "٨٠٠٣١٥١٠٢٨٢", "८००३१५१०२८२"])
def test_digits_of_other_scripts_are_no_number(raw):
    with pytest.raises(numbers.ValidationError):
        numbers.enterprise_number(raw)
    with pytest.raises(numbers.ValidationError):
        numbers.niss(raw)
