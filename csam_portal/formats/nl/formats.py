# Dutch in Belgium writes 27/11/2026 (Django's Dutch is the Netherlands' 27-11-2026).
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
