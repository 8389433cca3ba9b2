"""The Quick Scan's results as one SVG picture, drawn on the server like the cluster charts.

As on the paper sheet, the education side is on the left and the practice side
on the right, with the clusters in the middle. Every bar has its count written
next to it, and the two sides differ in pattern as well as colour, so colour
never carries meaning alone. Labels are escaped by the primitives of
``sessions.charts.svg`` before the result is marked safe.
"""

from django.utils.translation import gettext as _

from sessions.charts import svg

WIDTH = 900
CENTRE = 260  # room for the cluster labels in the middle
ROW = 74
BAR = 34
TEXT_ROOM = 110
HEADER = 64
LABEL_SIZE = 17
COUNT_SIZE = 17


def _count_text(count, total):
    if not total:
        return "0"
    return f"{count} ({round(count * 100 / total)}%)"


def quickscan_chart(counts, *, prefix="qs-chart"):
    """Per cluster two bars: how many participants ticked it for each side.

    ``counts`` is a ``sessions.quickscan.services.QuickScanCounts``. A bar's full
    length is every participant, so the bars of the two sides compare directly.
    """
    total = counts.total
    title = _("Which clusters play a role, per side")
    desc = _(
        "For each cluster: how many of the %(total)d participants ticked it for the "
        "education side (left, solid bars) and for the practice side (right, striped bars)."
    ) % {"total": total}
    pattern_id = f"{prefix}-hatch"
    half = (WIDTH - CENTRE) / 2
    bar_max = half - TEXT_ROOM - 16
    left_end = half
    right_start = half + CENTRE
    centre = WIDTH / 2
    rows = counts.clusters
    height = HEADER + max(len(rows), 1) * ROW + 10
    parts = [
        svg.bar(left_end - 22, 14, 18, 18, fill=svg.EDUCATION_FILL),
        svg.text(left_end - 30, 29, _("Education"), size=LABEL_SIZE, anchor="end", weight="bold"),
        svg.bar(right_start + 4, 14, 18, 18, fill=f"url(#{pattern_id})", stroke=svg.PRACTICE_INK),
        svg.text(right_start + 30, 29, _("Practice partner(s)"), size=LABEL_SIZE, weight="bold"),
        svg.text(
            centre,
            29,
            _("Cluster"),
            size=LABEL_SIZE,
            anchor="middle",
            fill=svg.MUTED,
            weight="bold",
        ),
        f'<line x1="4" y1="{HEADER - 14}" x2="{WIDTH - 4}" y2="{HEADER - 14}"'
        f' stroke="{svg.TRACK}" stroke-width="1"/>',
    ]
    if not rows:
        parts.append(svg.text(centre, HEADER + 24, _("No clusters."), anchor="middle"))
    y = HEADER
    for number, row in enumerate(rows):
        if number % 2 == 0:
            parts.append(
                f'<rect x="4" y="{y - 8:g}" width="{WIDTH - 8}" height="{ROW}" fill="{svg.STRIPE}"/>'
            )
        bar_y = y + (ROW - 16 - BAR) / 2
        text_y = bar_y + BAR / 2 + 6
        lines = svg.wrap(row.cluster.label, int((CENTRE - 16) / (LABEL_SIZE * svg.BOLD_CHAR)), 2)
        label_y = y + (ROW - 16) / 2 + 6 - (len(lines) - 1) * 10
        parts.append(
            svg.lines(centre, label_y, lines, size=LABEL_SIZE, anchor="middle", weight="bold")
        )
        education = bar_max * row.education / total if total else 0
        practice = bar_max * row.practice / total if total else 0
        parts.append(svg.track(left_end - bar_max - 8, bar_y, bar_max, BAR))
        if education:
            parts.append(
                svg.bar(left_end - 8 - education, bar_y, education, BAR, fill=svg.EDUCATION_FILL)
            )
        parts.append(
            svg.text(
                left_end - bar_max - 16,
                text_y,
                _count_text(row.education, total),
                size=COUNT_SIZE,
                anchor="end",
                weight="bold",
            )
        )
        parts.append(svg.track(right_start + 8, bar_y, bar_max, BAR))
        if practice:
            parts.append(
                svg.bar(
                    right_start + 8,
                    bar_y,
                    practice,
                    BAR,
                    fill=f"url(#{pattern_id})",
                    stroke=svg.PRACTICE_INK,
                )
            )
        parts.append(
            svg.text(
                right_start + bar_max + 16,
                text_y,
                _count_text(row.practice, total),
                size=COUNT_SIZE,
                weight="bold",
            )
        )
        y += ROW
    return svg.document(
        prefix=prefix,
        width=WIDTH,
        height=height,
        title=title,
        desc=desc,
        defs=f"<defs>{svg.hatch(pattern_id)}</defs>",
        body="".join(parts),
    )
