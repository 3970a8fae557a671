"""Dates and times as New Zealanders write them, wherever Django formats one (the admin too)."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from tsoc_tracker.formats.en_NZ import formats as en_nz
from tsoc_tracker.formats.mi import formats as mi

LUNCHTIME = datetime.datetime(2026, 12, 1, 12, 21)
EARLY = datetime.datetime(2026, 3, 17, 9, 5)


def test_dates_and_times_read_as_new_zealand_english():
    assert formats.date_format(LUNCHTIME.date()) == "1 December 2026"
    assert formats.time_format(LUNCHTIME.time()) == "12.21 pm"
    assert formats.date_format(LUNCHTIME, "DATETIME_FORMAT") == "1 December 2026, 12.21 pm"
    assert formats.date_format(EARLY, "SHORT_DATETIME_FORMAT") == "17 Mar 2026, 9.05 am"
    assert formats.date_format(EARLY.date(), "SHORT_DATE_FORMAT") == "17 Mar 2026"


def test_a_template_without_a_format_gets_them_too():
    rendered = Template("{{ when }} | {{ when|date }} | {{ when|time }}").render(
        Context({"when": LUNCHTIME})
    )

    assert rendered == "1 December 2026, 12.21 pm | 1 December 2026 | 12.21 pm"


def test_forms_take_iso_and_day_first_dates():
    accepted = formats.get_format("DATE_INPUT_FORMATS")

    assert accepted[0] == "%Y-%m-%d"  # what date fields show, and the date pickers read
    assert "%d/%m/%Y" in accepted


def test_te_reo_maori_pages_write_dates_the_same_way_but_spell_out_short_months():
    names = [name for name in dir(en_nz) if name.isupper()]
    spelt_out = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"}

    assert names and all(getattr(mi, n) == getattr(en_nz, n) for n in set(names) - spelt_out)
    assert mi.SHORT_DATE_FORMAT == en_nz.DATE_FORMAT
    assert mi.SHORT_DATETIME_FORMAT == en_nz.DATETIME_FORMAT


# A date or time filter's format spelling the time "12:21" or "p.m." ("P").
COLONED_TIME = re.compile(r'\|(?:date|time):"[^"]*(?:[gGhH]:i|P)[^"]*"')


def test_no_template_writes_a_time_with_a_colon_or_dotted_am_pm():
    templates = Path(settings.BASE_DIR, "templates")
    spelt = [
        f"{path.relative_to(templates)}: {line.strip()}"
        for path in templates.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if COLONED_TIME.search(line)
    ]

    assert spelt == []


def test_the_catalogue_spells_am_and_pm_without_full_stops():
    with translation.override("en-nz"):
        assert translation.gettext("p.m.") == "pm" and translation.gettext("a.m.") == "am"
