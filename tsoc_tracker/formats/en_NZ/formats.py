"""Dates and times as New Zealanders write them: “1 December 2026”, “12.21 pm”.

Django has no ``en_NZ`` formats of its own, so without these it falls back to US English
(“Dec. 1, 2026, 12:21 p.m.”), the admin included. ``FORMAT_MODULE_PATH`` points here; the
“am”/“pm” words come from ``locale/en_NZ/LC_MESSAGES/django.po`` (Django's own are “a.m.”,
“p.m.”). Templates name these formats (``|date:"DATETIME_FORMAT"``) or spell the same ones.
"""

DATE_FORMAT = "j F Y"  # 1 December 2026
TIME_FORMAT = "g.i a"  # 12.21 pm
DATETIME_FORMAT = "j F Y, g.i a"  # 1 December 2026, 12.21 pm
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 1 December
SHORT_DATE_FORMAT = "j M Y"  # 1 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, g.i a"  # 1 Dec 2026, 12.21 pm
FIRST_DAY_OF_WEEK = 1  # Monday

# What forms accept. The first is what date fields show, and the browser's date picker and the
# admin's calendar both read and write it, so it stays ISO; day-first dates are accepted too.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01
    "%d/%m/%Y",  # 01/12/2026
    "%d/%m/%y",  # 01/12/26
    "%d %B %Y",  # 1 December 2026
    "%d %b %Y",  # 1 Dec 2026
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 14:30:59
    "%H:%M:%S.%f",  # 14:30:59.000200
    "%H:%M",  # 14:30
    "%H.%M",  # 14.30
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-12-01 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-12-01 14:30:59.000200
    "%Y-%m-%d %H:%M",  # 2026-12-01 14:30
    "%d/%m/%Y %H:%M:%S",  # 01/12/2026 14:30:59
    "%d/%m/%Y %H:%M",  # 01/12/2026 14:30
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
