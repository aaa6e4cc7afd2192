"""One spelling of the portal's words in each catalogue (../shared/spec/glossary.md)."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]

# (language, what must not appear in its texts, why); msgids are the French texts of the code.
# fmt: off
MISSPELT = [
    ("fr", r"Gestionnaire d'accès Principal|Gestionnaire d'Accès principal", "«Gestionnaire d'Accès Principal»"),
    ("fr", r"Banque Carrefour des Entreprises", "«Banque-Carrefour des Entreprises»"),
    ("fr", r"(?<![-\w(])(?:e?mails?|courriels?)\b", "«e-mail»"),
    ("fr", r"(?<=[a-zà-ÿ,] )Représentant [Ll]égal", "«représentant légal» mid-sentence"),
    ("nl", r"(?<![-\w(])[Ee]mail", "«e-mail»"),
    ("de", r"(?<![-\w(])[Ee]mail|(?<![\w-])Mail\b", "«E-Mail»"),
    ("en", r"\b[Ee]-mail", "«email»"),
]
# fmt: on


def _texts(language: str) -> list[str]:
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    entries = [entry for entry in catalogue if not entry.obsolete]
    if language == "fr":
        return [entry.msgid for entry in entries]
    return [text for entry in entries for text in [entry.msgstr, *entry.msgstr_plural.values()]]


@pytest.mark.parametrize(("language", "pattern", "spelling"), MISSPELT)
def test_every_text_spells_the_portals_words_one_way(language, pattern, spelling):
    misspelt = [text for text in _texts(language) if re.search(pattern, text)]

    assert misspelt == [], f"write {spelling}"
