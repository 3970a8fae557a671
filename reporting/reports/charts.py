"""Server-side SVG charts of the dashboard data, for pages and PDFs alike.

Each chart is a plain SVG string built from the dashboard data with every piece of text
escaped. It has a ``<title>`` and ``<desc>`` (``role="img"``, ``aria-labelledby``), prints its
numbers as text, and tells statuses apart by pattern as well as colour, so it still reads in
greyscale print. Pages show a table alternative beside each one.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.models import StatusUpdate
from reporting.statuses import NO_RETURN, STATUS_LABELS, STATUSES

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


INK = "#1f2933"


MUTED = "#4a5561"


LINE = "#c9d1d9"


CHAR_WIDTH = 7.0  # a generous average width of a 12px character, for laying out labels


def _text(value) -> str:
    return escape(str(value), quote=True)


def _fill(chart_id: str, status: str) -> str:
    style = STATUSES[status]
    return f"url(#{chart_id}-{status})" if style.chart_pattern else style.chart_fill


def _patterns(chart_id: str) -> str:
    """One ``<pattern>`` per patterned status, named ``<chart_id>-<status>``."""
    shapes = {
        "diagonal": '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{ink}" stroke-width="2"/>',
        "crosshatch": '<path d="M0,8 L8,0 M0,0 L8,8" stroke="{ink}" stroke-width="1.5"/>',
        "dots": '<circle cx="4" cy="4" r="1.4" fill="{ink}"/>',
        "horizontal": '<path d="M0,4 L8,4" stroke="{ink}" stroke-width="1.5"/>',
    }
    defs = []
    for status, style in STATUSES.items():
        if style.chart_pattern:
            defs.append(
                f'<pattern id="{chart_id}-{status}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse"><rect width="8" height="8" '
                f'fill="{style.chart_fill}"/>'
                f"{shapes[style.chart_pattern].format(ink=style.chart_pattern_ink)}</pattern>"
            )
    return f"<defs>{''.join(defs)}</defs>"


def _svg(
    chart_id: str, width: int, height: int, title: str, desc: str, body: str, *, patterns=True
) -> SafeString:
    """The chart; with ``patterns``, the status patterns its bars fill with (a chart that draws
    none of them leaves them out: each costs the PDF rendering time)."""
    # Safe: every piece of text interpolated into a chart goes through _text().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" fill="{INK}">'
        f'<title id="{chart_id}-title">{_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{_text(desc)}</desc>'
        f"{_patterns(chart_id) if patterns else ''}{body}</svg>"
    )


def _label_width(labels, *, bold: bool = False) -> int:
    """Room for the longest label (bold text runs about a tenth wider)."""
    char_width = CHAR_WIDTH * (1.12 if bold else 1)
    return int(min(max((len(label) for label in labels), default=8) * char_width + 14, 260))


def _legend(chart_id: str, statuses: list[dict], y: int, width: int) -> tuple[str, int]:
    """Swatches with their labels, wrapped to ``width``; returns (svg, height used)."""
    parts, x, row = [], 0, 0
    for item in statuses:
        item_width = 26 + len(item["label"]) * CHAR_WIDTH + 16
        if x and x + item_width > width:
            x, row = 0, row + 1
        top = y + row * 22
        parts.append(
            f'<rect x="{x}" y="{top}" width="18" height="14" stroke="{MUTED}" '
            f'fill="{_fill(chart_id, item["status"])}"/>'
            f'<text x="{x + 24}" y="{top + 11}">{_text(item["label"])}</text>'
        )
        x += item_width
    return "".join(parts), (row + 1) * 22


def status_bars(chart_id: str, counts: list[dict], *, title: str) -> SafeString:
    """One bar per status with its count: how many lines (or actions) are on track, …"""
    width, bar_height, gap = 640, 22, 8
    label_width = _label_width(c["label"] for c in counts)
    track = width - label_width - 50
    most = max((c["count"] for c in counts), default=0) or 1
    rows = []
    for index, item in enumerate(counts):
        y = index * (bar_height + gap)
        length = track * item["count"] / most
        rows.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"{_text(item['label'])}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{_fill(chart_id, item["status"])}" stroke="{MUTED}" stroke-width="0.5"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-weight="bold">'
            f"{item['count']}</text>"
        )
    height = len(counts) * (bar_height + gap)
    desc = "; ".join(f"{c['label']}: {c['count']}" for c in counts)
    return _svg(chart_id, width, height, title, desc, "".join(rows))


def stacked_bars(
    chart_id: str, rows: list[dict], *, title: str, statuses: list[dict]
) -> SafeString:
    """One stacked bar per row (an agency, a quarter), split by status, each part labelled with
    its count; bars share one scale so a longer bar means more lines."""
    width, bar_height, gap = 640, 24, 10
    label_width = _label_width(r["label"] for r in rows)
    track = width - label_width - 50
    most = max((sum(c["count"] for c in r["counts"]) for r in rows), default=0) or 1
    parts = []
    for index, row in enumerate(rows):
        y = index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">'
            f"{_text(row['label'])}</text>"
        )
        x = float(label_width)
        for item in row["counts"]:
            if not item["count"]:
                continue
            length = track * item["count"] / most
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{_fill(chart_id, item["status"])}" stroke="{INK}" stroke-width="0.6"/>'
            )
            if length >= 20:
                parts.append(_count_label(x + length / 2, y + bar_height / 2, item["count"]))
            x += length
        total = sum(c["count"] for c in row["counts"])
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" font-weight="bold">{total}</text>')
    legend_top = len(rows) * (bar_height + gap) + 6
    legend, legend_height = _legend(chart_id, statuses, legend_top, width)
    desc = ". ".join(
        f"{r['label']}: "
        + ", ".join(f"{c['count']} {c['label'].lower()}" for c in r["counts"] if c["count"])
        for r in rows
    )
    return _svg(
        chart_id,
        width,
        legend_top + legend_height,
        title,
        desc or _("Nothing to show."),
        "".join(parts) + legend,
    )


def _count_label(cx: float, cy: float, count: int) -> str:
    """A count on a white tab, so it reads on any fill or pattern."""
    tab = 8 + len(str(count)) * 7
    return (
        f'<rect x="{cx - tab / 2:.1f}" y="{cy - 8:.1f}" width="{tab}" height="16" rx="3" '
        f'fill="#ffffff" stroke="{MUTED}" stroke-width="0.5"/>'
        f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-weight="bold">'
        f"{count}</text>"
    )


def status_matrix(chart_id: str, matrix: dict, *, statuses: list[dict]) -> SafeString:
    """Priority areas × focus areas: each cell's count of reportable lines, a bar of their
    statuses and the cell's overall status in words (its lines rolled up as an action's are),
    with a stripe of that status's colour."""
    rows, columns = matrix["rows"], matrix["columns"]
    head_width = _label_width((r["name"] for r in rows), bold=True)
    cell_width = max(130, (700 - head_width) // max(len(columns), 1))
    cell_height, head_height = 64, 26
    width = head_width + cell_width * len(columns)
    parts = [
        f'<text x="{head_width + i * cell_width + cell_width / 2:.1f}" y="17" text-anchor="middle" '
        f'font-weight="bold">{_text(c["name"])}</text>'
        for i, c in enumerate(columns)
    ]
    for r, row in enumerate(rows):
        top = head_height + r * cell_height
        parts.append(
            f'<text x="{head_width - 8}" y="{top + cell_height / 2 + 4:.1f}" text-anchor="end" '
            f'font-weight="bold">{_text(row["name"])}</text>'
        )
        for c, cell in enumerate(matrix["cells"][r]):
            left = head_width + c * cell_width
            parts.append(_matrix_cell(chart_id, cell, left, top, cell_width, cell_height))
    legend_top = head_height + len(rows) * cell_height + 10
    legend, legend_height = _legend(chart_id, statuses, legend_top, width)
    desc = ". ".join(
        f"{row['name']} × {column['name']}: "
        + (
            ", ".join(f"{i['count']} {i['label'].lower()}" for i in matrix["cells"][r][c]["counts"])
            or _("no lines")
        )
        for r, row in enumerate(rows)
        for c, column in enumerate(columns)
    )
    return _svg(
        chart_id,
        width,
        legend_top + legend_height,
        _("Reportable lines by priority area and focus area, by status"),
        desc or _("No lines."),
        "".join(parts) + legend,
    )


def _matrix_cell(chart_id: str, cell: dict, left: int, top: int, width: int, height: int) -> str:
    inner = width - 16
    parts = [
        f'<rect x="{left + 2}" y="{top + 2}" width="{width - 4}" height="{height - 4}" '
        f'fill="#ffffff" stroke="{LINE}"/>'
    ]
    if not cell["total"]:
        parts.append(
            f'<text x="{left + width / 2:.1f}" y="{top + height / 2 + 4:.1f}" text-anchor="middle" '
            f'fill="{MUTED}">{_text(_("none"))}</text>'
        )
        return "".join(parts)
    parts.append(
        f'<rect x="{left + 2}" y="{top + 2}" width="6" height="{height - 4}" '
        f'fill="{_fill(chart_id, cell["overall"])}"/>'
        f'<text x="{left + 12}" y="{top + 18}" font-weight="bold">'
        f"{_text(_lines(cell['total']))}</text>"
    )
    x = float(left + 12)
    for item in cell["counts"]:
        length = (inner - 4) * item["count"] / cell["total"]
        parts.append(
            f'<rect x="{x:.1f}" y="{top + 25}" width="{length:.1f}" height="14" '
            f'fill="{_fill(chart_id, item["status"])}" stroke="{INK}" stroke-width="0.5"/>'
        )
        x += length
    parts.append(
        f'<text x="{left + 12}" y="{top + 54}" font-size="11">'
        f"{_text(_('Overall: %(status)s') % {'status': STATUS_LABELS[cell['overall']]})}</text>"
    )
    return "".join(parts)


def _lines(count: int) -> str:
    return ngettext("%(count)s line", "%(count)s lines", count) % {"count": count}


def returns_bar(chart_id: str, received: int, expected: int) -> SafeString:
    """How many of the expected returns are in."""
    width, track = 640, 520
    share = received / expected if expected else 0
    body = (
        f'<rect x="0" y="0" width="{track}" height="24" stroke="{MUTED}" '
        f'fill="url(#{chart_id}-{NO_RETURN})"/>'
        f'<rect x="0" y="0" width="{track * share:.1f}" height="24" stroke="{INK}" '
        f'stroke-width="0.6" fill="{STATUSES[StatusUpdate.Status.ON_TRACK].chart_fill}"/>'
        f'<text x="{track + 8}" y="17" font-weight="bold">'
        f"{_text(_('%(received)s of %(expected)s') % {'received': received, 'expected': expected})}"
        "</text>"
    )
    summary = _("%(received)s of %(expected)s returns received") % {
        "received": received,
        "expected": expected,
    }
    return _svg(chart_id, width, 26, _("Returns received"), summary, body)


def indicator_bullet(chart_id: str, indicator: dict) -> SafeString:
    """The latest reading as a bar against the target (a tall mark) and baseline (a short one)."""
    width, track, left = 640, 420, 40
    values = [v for v in (indicator["latest"], indicator["target"], indicator["baseline"]) if v]
    top = max(values, default=1) * 1.15 or 1
    unit = f" {indicator['unit']}" if indicator["unit"] else ""

    def at(value):
        return left + track * value / top

    parts = [
        f'<rect x="{left}" y="14" width="{track}" height="20" fill="#eef1f4" stroke="{LINE}"/>'
    ]
    if indicator["latest"] is not None:
        parts.append(
            f'<rect x="{left}" y="18" width="{at(indicator["latest"]) - left:.1f}" height="12" '
            f'fill="{STATUSES[StatusUpdate.Status.COMPLETE].chart_fill}"/>'
            f'<text x="{left + track + 10}" y="28" font-weight="bold">'
            f"{_number(indicator['latest'])}{_text(unit)}</text>"
        )
    if indicator["target"] is not None:
        x = at(indicator["target"])
        parts.append(
            f'<rect x="{x - 1.5:.1f}" y="8" width="3" height="32" fill="{INK}"/>'
            f'<text x="{x:.1f}" y="52" text-anchor="middle" font-size="11">'
            f"{_text(_('Target %(value)s') % {'value': _number(indicator['target'])})}</text>"
        )
    if indicator["baseline"] is not None:
        x = at(indicator["baseline"])
        parts.append(
            f'<rect x="{x - 1:.1f}" y="14" width="2" height="20" fill="{MUTED}"/>'
            f'<text x="{x:.1f}" y="10" text-anchor="middle" font-size="11">'
            f"{_text(_('Baseline %(value)s') % {'value': _number(indicator['baseline'])})}</text>"
        )
    latest = (
        _("no reading yet")
        if indicator["latest"] is None
        else f"{_number(indicator['latest'])}{unit}"
    )
    target, baseline = _number(indicator["target"]), _number(indicator["baseline"])
    desc = _("Latest: %(latest)s; target %(target)s; baseline %(baseline)s.") % {
        "latest": latest,
        "target": target,
        "baseline": baseline,
    }
    return _svg(chart_id, width, 58, indicator["indicator"], desc, "".join(parts), patterns=False)


def _number(value) -> str:
    if value is None:
        return _("none")
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def dashboard_charts(data: dict, prefix: str = "chart") -> dict:
    """Every chart of a dashboard data set, keyed by what it shows."""
    statuses = data["statuses"]
    return {
        "counts": status_bars(
            f"{prefix}-counts", data["counts"], title=_("Reportable lines by status")
        ),
        "action_counts": status_bars(
            f"{prefix}-action-counts",
            data["action_counts"],
            title=_("Actions by status, rolled up from their lines"),
        ),
        "matrix": status_matrix(f"{prefix}-matrix", data["matrix"], statuses=statuses),
        "agencies": stacked_bars(
            f"{prefix}-agencies",
            [{"label": a["agency"], "counts": a["counts"]} for a in data["agencies"]],
            title=_("Status by coordinating agency"),
            statuses=statuses,
        ),
        "trend": stacked_bars(
            f"{prefix}-trend",
            [{"label": p["label"], "counts": p["counts"]} for p in data["trend"]],
            title=_("Status over the last quarters"),
            statuses=statuses,
        ),
        "returns": returns_bar(
            f"{prefix}-returns", data["returns"]["received"], data["returns"]["expected"]
        ),
        "indicators": [
            indicator_bullet(f"{prefix}-indicator-{index}", indicator)
            for index, indicator in enumerate(data["indicators"])
        ],
    }
