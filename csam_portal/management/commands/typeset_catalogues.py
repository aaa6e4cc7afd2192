"""Apply each language's typography to its catalogue (csam_portal.core.typography)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from csam_portal.core import typography


class Command(BaseCommand):
    help = (
        "Set the French catalogue's translations to its msgids typeset in French, and remove "
        "the spaces before colons from the other catalogues (make messages runs it)."
    )

    def handle(self, *args, **options):
        changed = 0
        for language, _name in settings.LANGUAGES:
            path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path), wrapwidth=79)
            for entry in catalogue:
                if entry.obsolete:
                    continue
                changed += _typeset(language, entry)
                if language == "fr" and "fuzzy" in entry.flags:
                    # msgmerge guesses from a near msgid; a French translation is its msgid.
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = entry.previous_msgid_plural = None
                    changed += 1
            catalogue.save()
        self.stdout.write(f"Typeset the catalogues: {changed} translations changed.")


def _typeset(language: str, entry: polib.POEntry) -> int:
    """Typeset one entry; 1 if it changed. French translations are their msgids, typeset."""
    if entry.msgid_plural:
        sources = (
            {
                index: entry.msgid if index == 0 else entry.msgid_plural
                for index in entry.msgstr_plural
            }
            if language == "fr"
            else entry.msgstr_plural
        )
        typeset = {index: typography.typeset(language, text) for index, text in sources.items()}
        if typeset == entry.msgstr_plural:
            return 0
        entry.msgstr_plural = typeset
        return 1
    source = entry.msgid if language == "fr" else entry.msgstr
    typeset = typography.typeset(language, source)
    if typeset == entry.msgstr:
        return 0
    entry.msgstr = typeset
    return 1
