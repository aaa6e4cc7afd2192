import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from csam_portal.core import typography
from csam_portal.models import AuditRecord
from tests.helpers import text

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fr", "nl", "de", "en"]


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "CSAM, la porte d'accès aux services de l'État"),
        ("nl", "CSAM, de toegangspoort tot de overheidsdiensten"),
        ("de", "CSAM, das Tor zu den Diensten des Staates"),
        ("en", "CSAM, the gateway to government services"),
    ],
)
def test_home_page_speaks_each_language(client, language, title):
    client.cookies["csam_language"] = language

    response = client.get(reverse("home"))

    html = text(response)
    assert title in html
    assert f'<html lang="{language}">' in html
    assert response.headers["Content-Language"] == language


def test_french_is_the_default_whatever_the_browser_asks(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.8")

    assert '<html lang="fr">' in response.content.decode()


def test_language_switch_comes_back_to_the_same_page(client):
    response = client.post(reverse("language_set"), {"language": "nl", "next": "/about/?x=1"})

    assert response.status_code == 302
    assert response.url == "/about/?x=1"
    assert response.cookies["csam_language"].value == "nl"
    assert "Wat is CSAM?" in client.get(response.url).content.decode()


def test_language_switch_never_sends_to_another_site(client):
    response = client.post(
        reverse("language_set"), {"language": "de", "next": "https://evil.example/"}
    )

    assert response.url == "/"
    assert response.cookies["csam_language"].value == "de"


def test_unknown_language_changes_nothing(client):
    response = client.post(reverse("language_set"), {"language": "xx", "next": "/about/"})

    assert response.url == "/about/"
    assert "csam_language" not in response.cookies


def test_a_logged_in_persons_choice_is_kept_on_their_account(client, person_user):
    client.force_login(person_user)

    client.post(reverse("language_set"), {"language": "de", "next": "/"})

    person_user.refresh_from_db()
    assert person_user.language == "de"
    record = AuditRecord.objects.get(action="user_language_set")
    assert (record.before["language"], record.after["language"]) == ("fr", "de")


def test_the_accounts_language_is_used_without_a_cookie(client, person_user):
    person_user.language = "en"
    person_user.save()
    client.force_login(person_user)

    html = client.get(reverse("home")).content.decode()

    assert '<html lang="en">' in html
    assert f"Welcome, {person_user.display_name}" in html


def test_french_catalogue_repeats_its_msgids_typeset_in_french():
    catalogue = _catalogue("fr")

    different = [
        entry.msgid
        for entry in catalogue
        if (entry.msgstr_plural or {0: entry.msgstr})[0] != typography.french(entry.msgid)
    ]
    assert different == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_has_an_untranslated_or_fuzzy_entry(language):
    """gettext ignores a fuzzy translation: the page would show the French msgid as written."""
    incomplete = [
        entry.msgid
        for entry in _catalogue(language)
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]

    assert incomplete == []


@pytest.mark.parametrize("language", ["nl", "de", "en"])
def test_no_space_before_a_colon_outside_french(language):
    spaced = [e.msgstr for e in _catalogue(language) if re.search(r"\s:(\s|<|$)", e.msgstr)]

    assert spaced == []


def test_french_pages_put_a_narrow_no_break_space_before_a_colon(client):
    html = unescape(client.get(reverse("access_management")).content.decode())

    assert "Attention\u202f: " in html  # written «Attention:» in the code
    assert "Étape 1 sur 3\u202f: " in html  # written «Étape 1 sur 3 :»
    assert re.search(r"(\w[ \u00a0]?|[ \u00a0]):(\s|<)", html.split("<body", 1)[1]) is None


def test_catalogues_hold_exactly_the_strings_of_the_code(tmp_path, settings, monkeypatch):
    # makemessages writes next to the first locale/ it walks past: run it on a linked copy of the
    # sources, whose locale/ is empty, so the real catalogues are compared and never rewritten.
    sources = tmp_path / "sources"
    (sources / "locale").mkdir(parents=True)
    for folder in [path for path in ROOT.iterdir() if (path / "apps.py").exists()] + [
        ROOT / "templates"
    ]:
        (sources / folder.name).symlink_to(folder)
    settings.LOCALE_PATHS = [sources / "locale"]
    monkeypatch.chdir(sources)

    call_command("makemessages", locale=["fr"], symlinks=True, verbosity=0)

    generated = polib.pofile(str(sources / "locale/fr/LC_MESSAGES/django.po"))
    extracted = {(entry.msgctxt, entry.msgid) for entry in generated}
    assert len(extracted) > 100
    for language in LANGUAGES:
        present = {(e.msgctxt, e.msgid) for e in _catalogue(language) if not e.obsolete}
        assert sorted(extracted - present, key=str) == [], f"{language}: missing, run make messages"
        assert sorted(present - extracted, key=str) == [], f"{language}: stale entries"
