"""The risk heat map: counts of risks in each cell of the 5 × 5 scale, drawn on the server as an
SVG (a labelled image; the table beside it carries the same figures for screen readers), with
each cell's level printed as a letter so colour is never the only cue."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.models.risk_scale import CONSEQUENCE, LIKELIHOOD, SCALE, band_of

CELL, LEFT, TOP, BOTTOM = 64, 150, 16, 64


def heat_map_grid(ratings) -> list[dict]:
    """Rows from likelihood 5 down to 1, each with its five cells (consequence 1 to 5):
    ``ratings`` is an iterable of (likelihood, consequence, reference)."""
    counts: dict[tuple[int, int], list[str]] = {}
    for likelihood, consequence, reference in ratings:
        counts.setdefault((likelihood, consequence), []).append(reference)
    rows = []
    for likelihood in reversed(SCALE):
        cells = []
        for consequence in SCALE:
            band = band_of(likelihood * consequence)
            refs = counts.get((likelihood, consequence), [])
            cells.append(
                {
                    "likelihood": likelihood,
                    "consequence": consequence,
                    "count": len(refs),
                    "references": refs,
                    "level": band.level.value,
                    "level_label": band.level.label,
                    "letter": band.letter,
                    "fill": band.fill,
                }
            )
        rows.append({"likelihood": likelihood, "word": LIKELIHOOD[likelihood].word, "cells": cells})
    return rows


def consequence_headings() -> list[dict]:
    return [{"value": c, "word": CONSEQUENCE[c].word} for c in SCALE]


def heat_map_svg(grid: list[dict], *, id_prefix: str, caption: str) -> SafeString:
    """The grid as an SVG image whose title says what it shows and whose description totals it."""
    width, height = LEFT + CELL * 5 + 8, TOP + CELL * 5 + BOTTOM
    total = sum(cell["count"] for row in grid for cell in row["cells"])
    description = ngettext(
        "%(count)s risk by likelihood (rows, most likely at the top) and consequence (columns, "
        "most severe on the right). The table that follows gives the same figures.",
        "%(count)s risks by likelihood (rows, most likely at the top) and consequence (columns, "
        "most severe on the right). The table that follows gives the same figures.",
        total,
    ) % {"count": total}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(caption)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    for r, row in enumerate(grid):
        y = TOP + r * CELL
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 5}" text-anchor="end" font-size="13"'
            f' fill="#0b0c0c">{row["likelihood"]} {escape(row["word"])}</text>'
        )
        for c, cell in enumerate(row["cells"]):
            x = LEFT + c * CELL
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{cell["fill"]}"'
                ' stroke="#ffffff" stroke-width="2"/>'
            )
            parts.append(
                f'<text x="{x + 6}" y="{y + 16}" font-size="11" fill="#0b0c0c">'
                f"{cell['letter']}</text>"
            )
            if cell["count"]:
                parts.append(
                    f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 9}" text-anchor="middle"'
                    f' font-size="24" font-weight="700" fill="#0b0c0c">{cell["count"]}</text>'
                )
    for c, heading in enumerate(consequence_headings()):
        x = LEFT + c * CELL + CELL / 2
        y = TOP + CELL * 5 + 18
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="13" fill="#0b0c0c">'
            f"{heading['value']}</text>"
            f'<text x="{x}" y="{y + 16}" text-anchor="middle" font-size="11" fill="#0b0c0c">'
            f"{escape(heading['word'])}</text>"
        )
    parts.append(
        f'<text x="{LEFT + CELL * 2.5}" y="{height - 4}" text-anchor="middle" font-size="12"'
        f' fill="#505a5f">{escape(_("Consequence"))}</text></svg>'
    )
    return mark_safe("".join(parts))
