"""Te reo Māori pages write dates and times as the English ones do (tsoc_tracker/formats/en_NZ),
with the months' Māori names (docs/te-reo.md gives their source).

The months have no sourced Māori abbreviations, so short dates spell the month out: “1 Hakihea
2026”, never a half-English “1 Dec 2026”.
"""

from django.utils.translation import gettext_noop

from tsoc_tracker.formats.en_NZ.formats import *  # noqa: F403
from tsoc_tracker.formats.en_NZ.formats import DATE_FORMAT, DATETIME_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# Django names each month with these words (django.utils.dates.MONTHS, the “F” of a date format).
# Naming them here puts them in the project's catalogue, where `make messages` keeps them and the
# mi entries give each month's Māori name.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
