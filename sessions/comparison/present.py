"""One presenter of a comparison for the page, the presentation mode and the PDF report.

Each turns a ``Comparison`` (``sessions.comparison.matrix``) into what a template
shows: the category counts, the cluster charts with the numbers beside them, the
other motives, the changes since the previous round, and the matrix rows.
"""

from sessions.charts import clusters as charts
from sessions.comparison.matrix import (
    CATEGORIES,
    CATEGORY_LABELS,
    EDUCATION_ONLY,
    PRACTICE_ONLY,
    SHARED,
    UNIQUE,
    Comparison,
)
from sessions.comparison.prompts import prompts_for

DENSE_FROM = 7  # from this many organisations the column headers are turned upright
PRESENT_DENSE_FROM = 5  # in large type, sooner


def category_counts(comparison: Comparison) -> list[dict]:
    counts = comparison.category_counts()
    return [
        {"code": code, "label": CATEGORY_LABELS[code], "count": counts[code]} for code in CATEGORIES
    ]


def changes(comparison: Comparison) -> list[dict]:
    """Per organisation: motives added and dropped since the previous round, if there was one."""
    if not comparison.has_previous:
        return []
    by_organisation = comparison.changes()
    first_row = comparison.rows[0].cells if comparison.rows else []
    took_part = {cell.column.organisation_id for cell in first_row if cell.in_previous_round}
    return [
        {
            "column": column,
            "took_part_before": column.organisation_id in took_part,
            **by_organisation[column.organisation_id],
        }
        for column in comparison.columns
    ]


def other_motives(comparison: Comparison) -> list[tuple]:
    return [
        (column, comparison.other_motives.get(column.organisation_id, []))
        for column in comparison.columns
    ]


def overview(comparison: Comparison) -> dict:
    """What the comparison page and the PDF report both show around the matrix."""
    return {
        "category_counts": category_counts(comparison),
        "organisation_chart": charts.organisation_cluster_chart(comparison),
        "organisation_shares": charts.organisation_shares(comparison),
        "side_chart": charts.side_cluster_chart(comparison),
        "side_shares": charts.side_shares(comparison),
        "other_motives": other_motives(comparison),
        "changes": changes(comparison),
    }


def cluster_chart(comparison: Comparison, cluster, *, prefix: str) -> dict:
    """The two sides' chart and numbers of one cluster (a presentation slide)."""
    return {
        "side_chart": charts.side_cluster_chart(
            comparison, cluster_codes={cluster.code}, prefix=prefix
        ),
        "side_shares": charts.side_shares(comparison, {cluster.code}),
    }


def matrix_layout(comparison: Comparison, *, dense_from: int = DENSE_FROM) -> dict:
    return {
        "dense": len(comparison.columns) >= dense_from,
        "span": len(comparison.columns) + 3,  # motive, organisations, category, counts
        # the first practice column, where a line separates the two sides
        "boundary": len(comparison.education_columns) if comparison.education_columns else -1,
    }


def _cell_state(cell) -> str:
    if not cell.offered:
        return "na"
    if cell.applies is None:
        return "open"
    return "yes" if cell.applies else "no"


def matrix_rows(rows, comparison: Comparison) -> list[dict]:
    """The rows as plain dicts for the template.

    With 30 organisations the matrix has hundreds of cells; dict lookups (and one
    shared dict per distinct look of a cell) keep its rendering time low.
    """
    boundary = matrix_layout(comparison)["boundary"]
    shared: dict[tuple, dict] = {}  # one dict per distinct look of a cell
    items = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row.cells):
            key = (
                _cell_state(cell),
                cell.change if comparison.has_previous else None,
                cell.column.partner_type,
                index == boundary,
            )
            if key not in shared:
                state, change, side, first_practice = key
                css = f"cmp-cell cmp-cell-{side}" + (" cmp-boundary" if first_practice else "")
                shared[key] = {"state": state, "change": change, "css": css}
            cells.append(shared[key])
        items.append(
            {
                "row": row,
                "cells": cells,
                "prompts": prompts_for(row, comparison),
                "outcomes": [
                    {"name": cell.column.name, "text": cell.intended_outcome}
                    for cell in row.outcomes
                ],
            }
        )
    return items


def prompts_by_question(rows, comparison: Comparison) -> list[dict]:
    """The cluster's prompts, each once, with the motives it concerns."""
    questions: dict[str, list] = {}
    for row in rows:
        for prompt in prompts_for(row, comparison):
            questions.setdefault(str(prompt), []).append(row.motive)
    return [{"prompt": prompt, "motives": motives} for prompt, motives in questions.items()]


SUMMARY_CATEGORIES = (SHARED, EDUCATION_ONLY, PRACTICE_ONLY, UNIQUE)


def summary_figures(comparison: Comparison) -> list[dict]:
    """The main figures of a handout: how many motives are shared, one side's only, or
    one organisation's only, each with the motives it counts."""
    return [
        {
            "code": code,
            "label": CATEGORY_LABELS[code],
            "count": len(motives),
            "motives": motives,
        }
        for code in SUMMARY_CATEGORIES
        for motives in [[row.motive for row in comparison.rows if row.category == code]]
    ]
