# Django's Bulgarian formats define no date-and-time format, so a time stamp fell back
# to the American default ("Ноем. 26, 2026, 1:30 след обяд"). Everything else comes
# from Django's own Bulgarian formats.
DATETIME_FORMAT = "d.m.Y г., H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
