"""Typography of each language, applied to its translation catalogue (`manage.py
typeset_catalogues`, run by `make messages`).

French puts a narrow no-break space (U+202F) before a colon and inside guillemets (« … »), so
that a line never breaks between a guillemet and its word; Dutch, German and English put no
space before a colon. The msgids (the French texts of the code) are written with a plain space
or none; the French catalogue carries them typeset, so every French page, PDF and e-mail shows
them so.
"""

import re

NARROW_NBSP = "\u202f"

# A colon followed by a space, a tag or the end, and either spaced already or ending a word or a
# placeholder: not the colon of a time (12:30), of a URL (https://) or of a ratio (3:1).
_COLON = re.compile(r"(?:[ \u00a0\u202f]|(?<=[^\s\d/])):(?=\s|<|$)")
_SPACE_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:(?=\s|<|$)")


_OPENING_GUILLEMET = re.compile(r"«[ \u00a0]")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0]»")


def french(text: str) -> str:
    """`text` with a narrow no-break space before each colon that needs one, and inside its
    guillemets."""
    text = _OPENING_GUILLEMET.sub("«" + NARROW_NBSP, text)
    text = _CLOSING_GUILLEMET.sub(NARROW_NBSP + "»", text)
    return _COLON.sub(NARROW_NBSP + ":", text)


def no_space_before_colon(text: str) -> str:
    """`text` without the spaces French puts before a colon (Dutch, German, English)."""
    return _SPACE_BEFORE_COLON.sub(":", text)


def typeset(language: str, text: str) -> str:
    return french(text) if language == "fr" else no_space_before_colon(text)
