"""How motives moved over the rounds, as one SVG drawn on the server (issue 14).

A row per organisation and motive that moved. Each round is a column; the point's
height says whether the motive applied and with which priority (higher is more
important), a line joins the rounds, and the value is written beside every point, so
neither colour nor height carries meaning alone. The organisation's own review of
that round's outcome is written under the point. The page and the report embed the
same string; the page's table and the ``desc`` are its text alternative.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sessions.charts import svg
from sessions.models import ReviewStatus

LEFT = 8
COLUMN = 108  # per round; three rounds fit a 390 px phone
HEADER = 44  # two lines of a round's title and its date
GAP = 16  # between two columns of rows
LABEL = 28  # the organisation and, below it, the motive above each row's points
BAND = 30  # from "does not apply" (bottom) to "priority 1" (top)
REVIEW = 14
ROW = LABEL + BAND + REVIEW + 8
LINE = "#1d4e89"


def level_labels() -> list[str]:
    return [_("no"), _("yes"), _("yes, 3rd"), _("yes, 2nd"), _("yes, 1st")]


def _panel(rounds: list[Any], rows: list[dict[str, Any]]) -> tuple[list[str], float]:
    """One column of rows under the rounds' heads; its parts and its width."""
    width = LEFT * 2 + COLUMN * len(rounds)
    labels = level_labels()
    reviews = dict(ReviewStatus.choices)
    parts: list[str] = []
    for index, session in enumerate(rounds):
        centre = LEFT + COLUMN * index + COLUMN / 2
        head = svg.wrap(session.title, int(COLUMN / (svg.HEADER_SIZE * svg.BOLD_CHAR)), 2)
        parts.append(
            svg.lines(
                centre,
                12,
                head,
                size=svg.HEADER_SIZE,
                anchor="middle",
                weight="bold",
                leading=1.15,
            )
        )
        if session.date:
            parts.append(
                svg.text(
                    centre,
                    12 + 13 * len(head),
                    session.date.strftime("%m-%Y"),
                    size=10,
                    anchor="middle",
                    fill=svg.MUTED,
                )
            )
    bold_characters = int((width - LEFT * 2) / (11 * svg.BOLD_CHAR))
    characters = int((width - LEFT * 2) / (10 * svg.CHAR))
    for number, row in enumerate(rows):
        top = HEADER + ROW * number
        if number % 2:
            parts.append(svg.bar(0, top, width, ROW, fill=svg.STRIPE))
        parts.append(
            svg.text(
                LEFT,
                top + 12,
                svg.shorten(row["organisation"].name, bold_characters),
                size=11,
                weight="bold",
            )
        )
        parts.append(
            svg.text(LEFT, top + 25, svg.shorten(row["motive"].label, characters), size=10)
        )
        bottom = top + LABEL + BAND
        parts.append(svg.bar(LEFT, bottom, width - LEFT * 2, 1, fill=svg.TRACK))
        points: list[tuple[float, float] | None] = []
        for index, level in enumerate(row["levels"]):
            centre = LEFT + COLUMN * index + COLUMN / 2
            if level is None:
                points.append(None)
                parts.append(svg.text(centre, bottom - 4, "–", size=11, anchor="middle"))
                continue
            points.append((centre - 22, bottom - 3 - level * (BAND - 8) / 4))
        path = " ".join(f"{x:g},{y:g}" for x, y in (p for p in points if p))
        if path.count(",") > 1:
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>'
            )
        for index, point in enumerate(points):
            if point is None:
                continue
            x, y = point
            parts.append(f'<circle cx="{x:g}" cy="{y:g}" r="4" fill="{LINE}"/>')
            parts.append(svg.text(x + 8, y + 4, labels[row["levels"][index]], size=10))
        for index, status in enumerate(row["reviews"]):
            if status:
                centre = LEFT + COLUMN * index + COLUMN / 2
                parts.append(
                    svg.text(
                        centre,
                        bottom + 12,
                        svg.shorten(reviews[status], 20),
                        size=9,
                        anchor="middle",
                        fill=svg.MUTED,
                        italic=True,
                    )
                )
    return parts, width


def movement_chart(
    movement: dict[str, Any],
    *,
    prefix: str = "sms-rounds-chart",
    title: str = "",
    columns: int = 1,
) -> SafeString:
    """The chart of ``sessions.dialogue.deciding.movement``'s rows (at least three rounds),
    in ``columns`` side by side (the report uses two, to stay short)."""
    rounds = movement["rounds"]
    rows = movement["rows"]
    per_column = max(-(-len(rows) // max(columns, 1)), 1)
    body: list[str] = []
    width = 0.0
    for start in range(0, max(len(rows), 1), per_column):
        parts, panel_width = _panel(rounds, rows[start : start + per_column])
        gap = GAP if width else 0
        body.append(f'<g transform="translate({width + gap:g},0)">{"".join(parts)}</g>')
        width += gap + panel_width
    height = HEADER + ROW * per_column
    desc = _(
        "For %(rows)d organisation and motive pairs that moved over %(rounds)d rounds: per "
        "round whether the motive applied and with which priority (higher on the chart is "
        "more important), and in italics the organisation's own review of that round's "
        "outcome. The table on the page of the rounds gives every value."
    ) % {"rows": len(rows), "rounds": len(rounds)}
    return svg.document(
        prefix=prefix,
        width=width,
        height=height,
        title=title or _("How the motives moved over the rounds"),
        desc=desc,
        body="".join(body),
    )
