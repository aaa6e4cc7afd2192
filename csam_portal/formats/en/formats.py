# The portal's English is Belgium's, day first: 27/11/2026 (Django's English is American).
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
