"""One presenter of a comparison for the page, the presentation mode and the PDF report.

Each turns a ``Comparison`` (``sessions.comparison.matrix``) into what a template
shows: the category counts, the cluster charts with the numbers beside them, the
other motives, the changes since the previous round, and the matrix rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnerships.models import PartnerType
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

if TYPE_CHECKING:
    from motives.models import Cluster, Motive
    from sessions.comparison.matrix import Cell, Column, Row
    from sessions.models import OtherMotive

DENSE_FROM = 7  # from this many organisations the column headers are turned upright
PRESENT_DENSE_FROM = 5  # in large type, sooner


def category_counts(comparison: Comparison) -> list[dict[str, Any]]:
    counts = comparison.category_counts()
    return [
        {"code": code, "label": CATEGORY_LABELS[code], "count": counts[code]} for code in CATEGORIES
    ]


def changes(comparison: Comparison) -> list[dict[str, Any]]:
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


def other_motives(comparison: Comparison) -> list[tuple[Column, list[OtherMotive]]]:
    return [
        (column, comparison.other_motives.get(column.organisation_id, []))
        for column in comparison.columns
    ]


def overview(comparison: Comparison) -> dict[str, Any]:
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


def cluster_chart(comparison: Comparison, cluster: Cluster, *, prefix: str) -> dict[str, Any]:
    """The two sides' chart and numbers of one cluster (a presentation slide)."""
    return {
        "side_chart": charts.side_cluster_chart(
            comparison, cluster_codes={cluster.code}, prefix=prefix
        ),
        "side_shares": charts.side_shares(comparison, {cluster.code}),
    }


# Words left out of an organisation's short label ("Gemeente van Amsterdam" -> "GA").
_SMALL_WORDS = {
    "de",
    "het",
    "een",
    "van",
    "voor",
    "en",
    "in",
    "op",
    "te",
    "the",
    "of",
    "and",
    "for",
}
SHORT_LABEL_LETTERS = 4


def short_label(name: str) -> str:
    """Initials of a name's words (at most four letters), with a number it contains."""
    words = re.findall(r"[^\W\d_]+|\d+", name)
    letters = "".join(
        word[0] for word in words if not word.isdigit() and word.lower() not in _SMALL_WORDS
    )[:SHORT_LABEL_LETTERS]
    digits = next((word for word in reversed(words) if word.isdigit()), "")
    return (letters.upper() + digits) or "?"


def short_labels(columns: Iterable[Column]) -> list[str]:
    """One short label per column, unique within the matrix (a number added where two clash)."""
    labels = [short_label(column.name) for column in columns]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    counters: dict[str, int] = {}
    unique = []
    for label in labels:
        if seen[label] > 1:
            counters[label] = counters.get(label, 0) + 1
            label = f"{label}{counters[label]}"
        unique.append(label)
    return unique


def matrix_headers(comparison: Comparison) -> list[dict[str, Any]]:
    """The organisation columns as the matrix heads them: short label, full name, side."""
    boundary = len(comparison.education_columns) if comparison.education_columns else -1
    return [
        {"column": column, "short": short, "first_practice": index == boundary}
        for index, (column, short) in enumerate(
            zip(comparison.columns, short_labels(comparison.columns), strict=True)
        )
    ]


def legend_sides(comparison: Comparison) -> list[tuple[str, str | Promise]]:
    """The sides that have organisations, with their heading, for the legend of short labels."""
    sides: list[tuple[str, str | Promise]] = []
    if comparison.education_columns:
        sides.append((PartnerType.EDUCATION, _("Education partners")))
    if comparison.practice_columns:
        sides.append((PartnerType.PRACTICE, _("Practice partners")))
    return sides


def matrix_layout(comparison: Comparison, *, dense_from: int = DENSE_FROM) -> dict[str, Any]:
    return {
        "headers": matrix_headers(comparison),
        "legend_sides": legend_sides(comparison),
        "dense": len(comparison.columns) >= dense_from,
        "span": len(comparison.columns) + 3,  # motive, organisations, category, counts
        # the first practice column, where a line separates the two sides
        "boundary": len(comparison.education_columns) if comparison.education_columns else -1,
    }


def _cell_state(cell: Cell) -> str:
    if not cell.offered:
        return "na"
    if cell.applies is None:
        return "open"
    return "yes" if cell.applies else "no"


def matrix_rows(rows: Iterable[Row], comparison: Comparison) -> list[dict[str, Any]]:
    """The rows as plain dicts for the template.

    With 30 organisations the matrix has hundreds of cells; dict lookups (and one
    shared dict per distinct look of a cell) keep its rendering time low.
    """
    headers = matrix_headers(comparison)
    shared: dict[
        tuple[Any, ...], dict[str, Any]
    ] = {}  # one dict per column and distinct look of a cell
    items = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row.cells):
            key = (_cell_state(cell), cell.change if comparison.has_previous else None, index)
            if key not in shared:
                state, change, _index = key
                header = headers[index]
                css = f"cmp-cell cmp-cell-{cell.column.partner_type}" + (
                    " cmp-boundary" if header["first_practice"] else ""
                )
                shared[key] = {
                    "state": state,
                    "change": change,
                    "css": css,
                    "name": cell.column.name,  # the phone's card names the organisation
                    "short": header["short"],
                }
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


def prompts_by_question(rows: Iterable[Row], comparison: Comparison) -> list[dict[str, Any]]:
    """The cluster's prompts, each once, with the motives it concerns."""
    questions: dict[str, list[Motive]] = {}
    for row in rows:
        for prompt in prompts_for(row, comparison):
            questions.setdefault(str(prompt), []).append(row.motive)
    return [{"prompt": prompt, "motives": motives} for prompt, motives in questions.items()]


SUMMARY_CATEGORIES = (SHARED, EDUCATION_ONLY, PRACTICE_ONLY, UNIQUE)


def summary_figures(comparison: Comparison) -> list[dict[str, Any]]:
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
