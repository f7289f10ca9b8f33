# Django writes Greek time stamps on a 12-hour clock with "πμ."/"μμ."; timetables and
# official Greek texts use the 24-hour clock, as the other content languages here do.
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# A day's month is in the genitive in Greek ("20 Ιανουαρίου 2027"): "E" gives it, where
# Django's "d/m/Y" is numbers only and "F" the nominative.
DATE_FORMAT = "j E Y"
MONTH_DAY_FORMAT = "j E"
