"""A register file's spec names its model once: the table and the columns' limits follow."""

import pytest

from csam_portal.core.bulkload.files import FileSpec, RowError
from enterprises.models import RegistryCode

SPEC = FileSpec(
    header=["Category", "Code", "Language", "Description"],
    model=RegistryCode,
    columns=["category", "code", "language", "description"],
    key=["category", "code", "language"],
    parse=list,
)


def test_a_spec_loads_into_its_models_table():
    assert SPEC.table == RegistryCode._meta.db_table


@pytest.mark.parametrize(
    ("values", "refusal"),
    [
        (["JuridicalForm", "61000000000", "FR", "SA"], "code is longer than 10 characters"),
        (["JuridicalForm", "610", "FRA", "SA"], "language is longer than 2 characters"),
    ],
)
def test_a_text_longer_than_its_models_column_refuses_the_row(values, refusal):
    with pytest.raises(RowError, match=refusal):
        SPEC.check_lengths(values)


def test_a_text_that_fits_its_column_passes():
    assert SPEC.check_lengths(["JuridicalForm", "610", "FR", "Société anonyme"]) is None
