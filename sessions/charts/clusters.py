"""The cluster summary of a comparison as SVG pictures, drawn on the server.

The browser page and the PDF report embed the very same strings, so every
picture is self-contained: no CSS, no script, no external reference. Colour
never carries meaning alone: every bar has its percentage written next to it,
columns and rows are labelled directly, and the two sides of the Quick Scan
picture differ in pattern as well as colour.

Every label goes through the primitives of ``sessions.charts.svg``, which escape it,
before the result is marked safe.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from partnerships.models import PartnerType
from sessions.charts import svg

if TYPE_CHECKING:
    from motives.models import Cluster
    from sessions.comparison.matrix import Column, Comparison

# --- the numbers, shared by the pictures and the tables next to them --------


def percent(share: float | None) -> int | None:
    """A share 0..1 as a whole percentage, or None for "no organisations"."""
    return None if share is None else round(share * 100)


@dataclass
class OrganisationShares:
    column: Column
    percents: list[tuple[Cluster, int | None]]  # in catalogue order


@dataclass
class SideShares:
    cluster: Cluster
    education: int | None
    practice: int | None


def organisation_shares(comparison: Comparison) -> list[OrganisationShares]:
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


def side_shares(
    comparison: Comparison, cluster_codes: Collection[str] | None = None
) -> list[SideShares]:
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


# --- per organisation and cluster -------------------------------------------

ORG_WIDTH = 800
ORG_NAME_WIDTH = 200
ORG_ROW = 26
ORG_BAR = 14
ORG_TEXT_ROOM = 42
ORG_SIDE_GAP = 22


def organisation_cluster_chart(comparison: Comparison, *, prefix: str = "sms-org-chart") -> str:
    """Per organisation a row of bars: the share of its motives that apply, per cluster."""
    rows = organisation_shares(comparison)
    clusters = [cluster for cluster, _rows in comparison.clusters()]
    title = _("Applicable motives per cluster, per organisation")
    desc = _(
        "For each organisation: the percentage of the motives offered to it in each cluster "
        "that apply to it. Education partners are listed first."
    )
    if not rows or not clusters:
        return svg.document(
            prefix=prefix,
            width=ORG_WIDTH,
            height=40,
            title=title,
            desc=desc,
            body=svg.text(10, 25, _("No submitted formats yet."), fill=svg.MUTED),
        )
    column_width = (ORG_WIDTH - ORG_NAME_WIDTH - 10) / len(clusters)
    bar_max = column_width - ORG_TEXT_ROOM - 10
    chars = max(int((column_width - 8) / (svg.HEADER_SIZE * svg.BOLD_CHAR)), 8)
    header_lines = [svg.wrap(cluster.label, chars, 3) for cluster in clusters]
    header_height = 14 + 14 * max(len(lines) for lines in header_lines) + 6
    sides = len({column.partner_type for column in comparison.columns})
    height = header_height + len(rows) * ORG_ROW + sides * ORG_SIDE_GAP + 8
    pattern_id = f"{prefix}-hatch"
    parts = []
    for index, lines in enumerate(header_lines):
        x = ORG_NAME_WIDTH + index * column_width
        parts.append(svg.lines(x, 16, lines, size=svg.HEADER_SIZE, weight="bold"))
        parts.append(
            f'<line x1="{x - 4:g}" y1="4" x2="{x - 4:g}" y2="{height - 6:g}"'
            f' stroke="{svg.TRACK}" stroke-width="1"/>'
        )
    y = header_height
    previous_side = None
    for number, row in enumerate(rows):
        side = row.column.partner_type
        education = side == PartnerType.EDUCATION
        if side != previous_side:
            y += ORG_SIDE_GAP
            label = _("Education partners") if education else _("Practice partners")
            parts.append(svg.text(10, y - 7, label, size=12, fill=svg.MUTED, weight="bold"))
            previous_side = side
        if number % 2 == 0:
            parts.append(
                f'<rect x="4" y="{y:g}" width="{ORG_WIDTH - 8}" height="{ORG_ROW}" fill="{svg.STRIPE}"/>'
            )
        name = row.column.name
        parts.append(
            f"<g><title>{escape(name)}</title>"
            + svg.text(
                10,
                y + ORG_ROW / 2 + 4,
                svg.shorten(name, int((ORG_NAME_WIDTH - 14) / (12 * svg.CHAR))),
            )
            + "</g>"
        )
        for index, (_cluster, value) in enumerate(row.percents):
            x = ORG_NAME_WIDTH + index * column_width
            bar_y = y + (ORG_ROW - ORG_BAR) / 2
            length = bar_max * (value or 0) / 100
            parts.append(svg.track(x, bar_y, bar_max, ORG_BAR))
            if length:
                parts.append(
                    svg.bar(x, bar_y, length, ORG_BAR, fill=svg.EDUCATION_FILL)
                    if education
                    else svg.bar(
                        x,
                        bar_y,
                        length,
                        ORG_BAR,
                        fill=f"url(#{pattern_id})",
                        stroke=svg.PRACTICE_INK,
                    )
                )
            parts.append(svg.text(x + bar_max + 6, y + ORG_ROW / 2 + 4, f"{value}%", size=12))
        y += ORG_ROW
    return svg.document(
        prefix=prefix,
        width=ORG_WIDTH,
        height=height,
        title=title,
        desc=desc,
        defs=f"<defs>{svg.hatch(pattern_id)}</defs>",
        body="".join(parts),
    )


# --- education side vs practice side per cluster (the Quick Scan) ----------

SIDE_WIDTH = 760
SIDE_CENTRE = 210  # width of the cluster labels in the middle
SIDE_ROW = 54
SIDE_BAR = 22
SIDE_TEXT_ROOM = 48
SIDE_HEADER = 56


def side_cluster_chart(
    comparison: Comparison,
    *,
    cluster_codes: Collection[str] | None = None,
    prefix: str = "sms-side-chart",
) -> str:
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
        svg.bar(left_end - 18, 12, 14, 14, fill=svg.EDUCATION_FILL),
        svg.text(
            left_end - 24,
            24,
            _("Education partners (%(count)s)") % {"count": education_count},
            size=13,
            anchor="end",
            weight="bold",
        ),
        svg.bar(right_start + 4, 12, 14, 14, fill=hatch_fill, stroke=svg.PRACTICE_INK),
        svg.text(
            right_start + 24,
            24,
            _("Practice partners (%(count)s)") % {"count": practice_count},
            size=13,
            weight="bold",
        ),
        svg.text(centre, 24, _("Cluster"), size=13, anchor="middle", fill=svg.MUTED, weight="bold"),
        f'<line x1="4" y1="{SIDE_HEADER - 12}" x2="{SIDE_WIDTH - 4}" y2="{SIDE_HEADER - 12}"'
        f' stroke="{svg.TRACK}" stroke-width="1"/>',
    ]
    if not rows:
        parts.append(svg.text(centre, SIDE_HEADER + 20, _("No clusters."), anchor="middle"))
    y = SIDE_HEADER
    for number, row in enumerate(rows):
        if number % 2 == 0:
            parts.append(
                f'<rect x="4" y="{y - 6:g}" width="{SIDE_WIDTH - 8}" height="{SIDE_ROW}"'
                f' fill="{svg.STRIPE}"/>'
            )
        bar_y = y + (SIDE_ROW - 12 - SIDE_BAR) / 2
        text_y = bar_y + SIDE_BAR / 2 + 5
        lines = svg.wrap(row.cluster.label, int((SIDE_CENTRE - 12) / (13 * svg.BOLD_CHAR)), 2)
        label_y = y + (SIDE_ROW - 12) / 2 + 5 - (len(lines) - 1) * 8
        parts.append(svg.lines(centre, label_y, lines, size=13, anchor="middle", weight="bold"))
        if row.education is None:
            parts.append(
                svg.text(
                    left_end - 8,
                    text_y,
                    _("no organisations"),
                    anchor="end",
                    fill=svg.MUTED,
                    italic=True,
                )
            )
        else:
            length = bar_max * row.education / 100
            parts.append(svg.track(left_end - bar_max - 8, bar_y, bar_max, SIDE_BAR))
            parts.append(
                svg.bar(left_end - 8 - length, bar_y, length, SIDE_BAR, fill=svg.EDUCATION_FILL)
            )
            parts.append(
                svg.text(
                    left_end - bar_max - 14, text_y, f"{row.education}%", size=13, anchor="end"
                )
            )
        if row.practice is None:
            parts.append(
                svg.text(
                    right_start + 8, text_y, _("no organisations"), fill=svg.MUTED, italic=True
                )
            )
        else:
            length = bar_max * row.practice / 100
            parts.append(svg.track(right_start + 8, bar_y, bar_max, SIDE_BAR))
            parts.append(
                svg.bar(
                    right_start + 8,
                    bar_y,
                    length,
                    SIDE_BAR,
                    fill=hatch_fill,
                    stroke=svg.PRACTICE_INK,
                )
                if length
                else ""
            )
            parts.append(svg.text(right_start + bar_max + 14, text_y, f"{row.practice}%", size=13))
        y += SIDE_ROW
    return svg.document(
        prefix=prefix,
        width=SIDE_WIDTH,
        height=height,
        title=title,
        desc=desc,
        defs=f"<defs>{svg.hatch(pattern_id)}</defs>",
        body="".join(parts),
    )
