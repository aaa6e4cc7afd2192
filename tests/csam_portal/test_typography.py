import pytest

from csam_portal.core import typography


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("Numéro :", "Numéro\u202f:"),
        ("Attention: lisez ceci", "Attention\u202f: lisez ceci"),
        ("NISS\u00a0: %(niss)s", "NISS\u202f: %(niss)s"),
        ("%(label)s : %(value)s", "%(label)s\u202f: %(value)s"),
        ("<strong>Ticket :</strong>", "<strong>Ticket\u202f:</strong>"),
        ("Déjà\u202f: rien à faire", "Déjà\u202f: rien à faire"),
        ("Étape 1 sur 3 : l'entreprise", "Étape 1 sur 3\u202f: l'entreprise"),
        ("à 12:30, voir https://csam.be et 3:1", "à 12:30, voir https://csam.be et 3:1"),
        ("mailto:info@csam.be", "mailto:info@csam.be"),
    ],
)
def test_french_puts_a_narrow_no_break_space_before_a_colon(text, french):
    assert typography.french(text) == french


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Nummer :", "Nummer:"),
        ("Achtung\u00a0: lesen", "Achtung: lesen"),
        ("%(label)s\u202f: %(value)s", "%(label)s: %(value)s"),
        ("om 12:30, https://csam.be", "om 12:30, https://csam.be"),
    ],
)
def test_other_languages_put_no_space_before_a_colon(text, plain):
    assert typography.no_space_before_colon(text) == plain


def test_typesetting_twice_changes_nothing():
    text = "Attention : voir %(x)s : fin"

    assert typography.french(typography.french(text)) == typography.french(text)
