# Django writes Greek time stamps on a 12-hour clock with "πμ."/"μμ."; timetables and
# official Greek texts use the 24-hour clock, as the other content languages here do.
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
