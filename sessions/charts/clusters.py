"""The cluster summary of a comparison as SVG pictures, drawn on the server.

The browser page and the PDF report embed the very same strings, so every
picture is self-contained: no CSS, no script, no external reference. Colour
never carries meaning alone: every bar has its percentage written next to it,
columns and rows are labelled directly, and the two sides of the Quick Scan
picture differ in pattern as well as colour.

Every label is escaped here (``escape`` for text, ``quoteattr`` for attributes)
before the result is marked safe.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnerships.models import PartnerType

FONT = "DejaVu Sans, sans-serif"
INK = "#1f2328"
MUTED = "#59636e"
TRACK = "#d0d7de"
STRIPE = "#f3f5f8"
EDUCATION_FILL = "#1d4e89"
HEADER_SIZE = 11
# Average advance of DejaVu Sans per character, in em, to wrap labels without measuring.
CHAR = 0.53
BOLD_CHAR = 0.58
PRACTICE_INK = "#9a4a00"


# --- the numbers, shared by the pictures and the tables next to them --------


def percent(share):
    """A share 0..1 as a whole percentage, or None for "no organisations"."""
    return None if share is None else round(share * 100)


@dataclass
class OrganisationShares:
    column: object  # sessions.comparison.Column
    percents: list  # [(cluster, percent), ...] in catalogue order


@dataclass
class SideShares:
    cluster: object
    education: int | None
    practice: int | None


def organisation_shares(comparison):
    """Per organisation, the percentage of applicable motives per cluster."""
    shares = comparison.cluster_shares()
    clusters = [cluster for cluster, _rows in comparison.clusters()]
    return [
        OrganisationShares(
            column=column,
            percents=[
                (cluster, percent(shares[(column.organisation_id, cluster.code)]))
                for cluster in clusters
            ],
        )
        for column in comparison.columns
    ]


def side_shares(comparison, cluster_codes=None):
    """Per cluster, the education side's and the practice side's mean percentage."""
    shares = comparison.side_shares()
    return [
        SideShares(
            cluster=cluster,
            education=percent(shares[(PartnerType.EDUCATION, cluster.code)]),
            practice=percent(shares[(PartnerType.PRACTICE, cluster.code)]),
        )
        for cluster, _rows in comparison.clusters()
        if cluster_codes is None or cluster.code in cluster_codes
    ]


# --- small SVG helpers -------------------------------------------------------


def _text(x, y, content, *, size=12, anchor="start", fill=INK, weight=None, italic=False):
    attributes = f'x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    if italic:
        attributes += ' font-style="italic"'
    return f"<text {attributes}>{escape(str(content))}</text>"


def _lines(x, y, lines, *, size=12, anchor="start", fill=INK, weight=None, leading=1.25):
    """Several lines of text as one <text> with a <tspan> per line."""
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if index == 0 else size * leading:g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    attributes = f'x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    return f"<text {attributes}>{spans}</text>"


def wrap(text, width, max_lines=3):
    """Split ``text`` into at most ``max_lines`` lines of about ``width`` characters."""
    words = str(text).split()
    lines = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = shorten(lines[-1] + " …", width)
    return [shorten(line, width) for line in lines] or [""]


def shorten(text, width):
    text = str(text)
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


def _svg(*, prefix, width, height, title, desc, body, defs=""):
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    return mark_safe(  # every label above went through escape() or quoteattr()
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="sms-chart"'
        f' width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}"'
        f' font-family={quoteattr(FONT)} aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(str(title))}</title>'
        f'<desc id="{desc_id}">{escape(str(desc))}</desc>'
        f"{defs}"
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>'
        f"{body}</svg>"
    )


def _bar(x, y, length, height, *, fill, stroke=None):
    stroke_attributes = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{max(length, 0):g}" height="{height:g}"'
        f' fill="{fill}"{stroke_attributes}/>'
    )


def _track(x, y, length, height):
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{length:g}" height="{height:g}"'
        f' fill="#ffffff" stroke="{TRACK}" stroke-width="1"/>'
    )


def _hatch(pattern_id):
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8"'
        f' patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{PRACTICE_INK}" stroke-width="5"/>'
        f"</pattern>"
    )


# --- per organisation and cluster -------------------------------------------

ORG_WIDTH = 800
ORG_NAME_WIDTH = 200
ORG_ROW = 26
ORG_BAR = 14
ORG_TEXT_ROOM = 42
ORG_SIDE_GAP = 22


def organisation_cluster_chart(comparison, *, prefix="sms-org-chart"):
    """Per organisation a row of bars: the share of its motives that apply, per cluster."""
    rows = organisation_shares(comparison)
    clusters = [cluster for cluster, _rows in comparison.clusters()]
    title = _("Applicable motives per cluster, per organisation")
    desc = _(
        "For each organisation: the percentage of the motives offered to it in each cluster "
        "that apply to it. Education partners are listed first."
    )
    if not rows or not clusters:
        return _svg(
            prefix=prefix,
            width=ORG_WIDTH,
            height=40,
            title=title,
            desc=desc,
            body=_text(10, 25, _("No submitted formats yet."), fill=MUTED),
        )
    column_width = (ORG_WIDTH - ORG_NAME_WIDTH - 10) / len(clusters)
    bar_max = column_width - ORG_TEXT_ROOM - 10
    chars = max(int((column_width - 8) / (HEADER_SIZE * BOLD_CHAR)), 8)
    header_lines = [wrap(cluster.label, chars, 3) for cluster in clusters]
    header_height = 14 + 14 * max(len(lines) for lines in header_lines) + 6
    sides = len({column.partner_type for column in comparison.columns})
    height = header_height + len(rows) * ORG_ROW + sides * ORG_SIDE_GAP + 8
    pattern_id = f"{prefix}-hatch"
    parts = []
    for index, lines in enumerate(header_lines):
        x = ORG_NAME_WIDTH + index * column_width
        parts.append(_lines(x, 16, lines, size=HEADER_SIZE, weight="bold"))
        parts.append(
            f'<line x1="{x - 4:g}" y1="4" x2="{x - 4:g}" y2="{height - 6:g}"'
            f' stroke="{TRACK}" stroke-width="1"/>'
        )
    y = header_height
    previous_side = None
    for number, row in enumerate(rows):
        side = row.column.partner_type
        education = side == PartnerType.EDUCATION
        if side != previous_side:
            y += ORG_SIDE_GAP
            label = _("Education partners") if education else _("Practice partners")
            parts.append(_text(10, y - 7, label, size=12, fill=MUTED, weight="bold"))
            previous_side = side
        if number % 2 == 0:
            parts.append(
                f'<rect x="4" y="{y:g}" width="{ORG_WIDTH - 8}" height="{ORG_ROW}" fill="{STRIPE}"/>'
            )
        name = row.column.name
        parts.append(
            f"<g><title>{escape(name)}</title>"
            + _text(
                10, y + ORG_ROW / 2 + 4, shorten(name, int((ORG_NAME_WIDTH - 14) / (12 * CHAR)))
            )
            + "</g>"
        )
        for index, (_cluster, value) in enumerate(row.percents):
            x = ORG_NAME_WIDTH + index * column_width
            bar_y = y + (ORG_ROW - ORG_BAR) / 2
            length = bar_max * value / 100
            parts.append(_track(x, bar_y, bar_max, ORG_BAR))
            if length:
                parts.append(
                    _bar(x, bar_y, length, ORG_BAR, fill=EDUCATION_FILL)
                    if education
                    else _bar(
                        x, bar_y, length, ORG_BAR, fill=f"url(#{pattern_id})", stroke=PRACTICE_INK
                    )
                )
            parts.append(_text(x + bar_max + 6, y + ORG_ROW / 2 + 4, f"{value}%", size=12))
        y += ORG_ROW
    return _svg(
        prefix=prefix,
        width=ORG_WIDTH,
        height=height,
        title=title,
        desc=desc,
        defs=f"<defs>{_hatch(pattern_id)}</defs>",
        body="".join(parts),
    )


# --- education side vs practice side per cluster (the Quick Scan) ----------

SIDE_WIDTH = 760
SIDE_CENTRE = 210  # width of the cluster labels in the middle
SIDE_ROW = 54
SIDE_BAR = 22
SIDE_TEXT_ROOM = 48
SIDE_HEADER = 56


def side_cluster_chart(comparison, *, cluster_codes=None, prefix="sms-side-chart"):
    """Per cluster two bars, as on the Quick Scan sheet: education left, practice right.

    ``cluster_codes`` limits the picture to those clusters (presentation mode).
    """
    rows = side_shares(comparison, cluster_codes)
    education_count = len(comparison.education_columns)
    practice_count = len(comparison.practice_columns)
    title = _("Education side and practice side per cluster")
    desc = _(
        "For each cluster: the average percentage of applicable motives of the education "
        "partners (left, solid bars) and of the practice partners (right, striped bars), "
        "as in the Quick Scan."
    )
    pattern_id = f"{prefix}-hatch"
    hatch_fill = f"url(#{pattern_id})"
    half = (SIDE_WIDTH - SIDE_CENTRE) / 2
    bar_max = half - SIDE_TEXT_ROOM - 16
    left_end = half  # education bars grow leftwards from here
    right_start = half + SIDE_CENTRE
    centre = SIDE_WIDTH / 2
    height = SIDE_HEADER + max(len(rows), 1) * SIDE_ROW + 10

    parts = [
        # legend: a swatch and a direct label per side, with the number of organisations
        _bar(left_end - 18, 12, 14, 14, fill=EDUCATION_FILL),
        _text(
            left_end - 24,
            24,
            _("Education partners (%(count)s)") % {"count": education_count},
            size=13,
            anchor="end",
            weight="bold",
        ),
        _bar(right_start + 4, 12, 14, 14, fill=hatch_fill, stroke=PRACTICE_INK),
        _text(
            right_start + 24,
            24,
            _("Practice partners (%(count)s)") % {"count": practice_count},
            size=13,
            weight="bold",
        ),
        _text(centre, 24, _("Cluster"), size=13, anchor="middle", fill=MUTED, weight="bold"),
        f'<line x1="4" y1="{SIDE_HEADER - 12}" x2="{SIDE_WIDTH - 4}" y2="{SIDE_HEADER - 12}"'
        f' stroke="{TRACK}" stroke-width="1"/>',
    ]
    if not rows:
        parts.append(_text(centre, SIDE_HEADER + 20, _("No clusters."), anchor="middle"))
    y = SIDE_HEADER
    for number, row in enumerate(rows):
        if number % 2 == 0:
            parts.append(
                f'<rect x="4" y="{y - 6:g}" width="{SIDE_WIDTH - 8}" height="{SIDE_ROW}"'
                f' fill="{STRIPE}"/>'
            )
        bar_y = y + (SIDE_ROW - 12 - SIDE_BAR) / 2
        text_y = bar_y + SIDE_BAR / 2 + 5
        lines = wrap(row.cluster.label, int((SIDE_CENTRE - 12) / (13 * BOLD_CHAR)), 2)
        label_y = y + (SIDE_ROW - 12) / 2 + 5 - (len(lines) - 1) * 8
        parts.append(_lines(centre, label_y, lines, size=13, anchor="middle", weight="bold"))
        if row.education is None:
            parts.append(
                _text(
                    left_end - 8,
                    text_y,
                    _("no organisations"),
                    anchor="end",
                    fill=MUTED,
                    italic=True,
                )
            )
        else:
            length = bar_max * row.education / 100
            parts.append(_track(left_end - bar_max - 8, bar_y, bar_max, SIDE_BAR))
            parts.append(_bar(left_end - 8 - length, bar_y, length, SIDE_BAR, fill=EDUCATION_FILL))
            parts.append(
                _text(left_end - bar_max - 14, text_y, f"{row.education}%", size=13, anchor="end")
            )
        if row.practice is None:
            parts.append(
                _text(right_start + 8, text_y, _("no organisations"), fill=MUTED, italic=True)
            )
        else:
            length = bar_max * row.practice / 100
            parts.append(_track(right_start + 8, bar_y, bar_max, SIDE_BAR))
            parts.append(
                _bar(right_start + 8, bar_y, length, SIDE_BAR, fill=hatch_fill, stroke=PRACTICE_INK)
                if length
                else ""
            )
            parts.append(_text(right_start + bar_max + 14, text_y, f"{row.practice}%", size=13))
        y += SIDE_ROW
    return _svg(
        prefix=prefix,
        width=SIDE_WIDTH,
        height=height,
        title=title,
        desc=desc,
        defs=f"<defs>{_hatch(pattern_id)}</defs>",
        body="".join(parts),
    )
