# Django's Bulgarian formats define no date-and-time format, so a time stamp fell back
# to the American default ("Ноем. 26, 2026, 1:30 след обяд"). Everything else comes
# from Django's own Bulgarian formats.
DATETIME_FORMAT = "d.m.Y г., H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
# Django's Bulgarian month names are the capitalised standalone forms ("20 Януари 2027"),
# but Bulgarian writes months in lower case in a sentence. "E" takes the "alt. month"
# names, which the project's bg catalogue gives in lower case.
DATE_FORMAT = "j E Y"
MONTH_DAY_FORMAT = "j E"
