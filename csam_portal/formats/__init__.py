"""The portal's date formats where Belgian usage differs from Django's (FORMAT_MODULE_PATH).

Templates name a format (`|date:"SHORT_DATE_FORMAT"`), never a pattern, so each language writes
its dates its own way: 27/11/2026 in French, Dutch and English, 27.11.2026 in German.
"""
