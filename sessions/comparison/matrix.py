"""The Fase 2 comparison: which motive applies to which organisation, and its category.

``categorize`` is the pure rule from SMS-TOOL.md; ``build_comparison`` loads one
session's submitted formats in a constant number of queries, whatever the number
of organisations. The comparison page, ``compare_session`` and the PDF report all
use this module, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Answer, OtherMotive, Preparation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motives.models import Cluster
    from sessions.models import DialogueSession

MIN_ORGANISATIONS = 2

SHARED = "shared"
EDUCATION_ONLY = "education-only"
PRACTICE_ONLY = "practice-only"
UNIQUE = "unique"
MIXED = "mixed"
NONE = "none"
CATEGORIES = [SHARED, EDUCATION_ONLY, PRACTICE_ONLY, UNIQUE, MIXED, NONE]
CATEGORY_LABELS = {
    SHARED: _("shared by all"),
    EDUCATION_ONLY: _("education partners only"),
    PRACTICE_ONLY: _("practice partners only"),
    UNIQUE: _("unique to one organisation"),
    MIXED: _("some of both sides"),
    NONE: _("named by nobody"),
}


def categorize(applies: Mapping[int, bool | None], partner_types: Mapping[int, str]) -> str:
    """The category of one motive over the submitted organisations.

    ``applies`` maps organisation -> True/False/None (None: not answered);
    ``partner_types`` maps the same organisations -> "education"/"practice".
    """
    named = [org for org, value in applies.items() if value is True]
    if not named:
        return NONE
    if len(named) == len(partner_types):
        return SHARED
    if len(named) == 1:
        return UNIQUE
    sides = {partner_types[org] for org in named}
    if sides == {PartnerType.EDUCATION}:
        return EDUCATION_ONLY
    if sides == {PartnerType.PRACTICE}:
        return PRACTICE_ONLY
    return MIXED


@dataclass(frozen=True)
class Column:
    """One submitted organisation, a column of the matrix."""

    organisation_id: int
    name: str
    partner_type: str
    preparation_id: int


@dataclass
class Cell:
    column: Column
    offered: bool
    applies: bool | None
    intended_outcome: str = ""
    previous: bool | None = None  # last round's answer
    in_previous_round: bool = False  # the organisation submitted in the previous round

    @property
    def change(self) -> str | None:
        """ "added" or "dropped" since the previous round, else None."""
        if not self.in_previous_round:
            return None
        if self.applies is True and self.previous is not True:
            return "added"
        if self.applies is not True and self.previous is True:
            return "dropped"
        return None


@dataclass
class Row:
    motive: Motive
    cells: list[Cell]
    category: str
    education_count: int
    practice_count: int

    @property
    def category_label(self) -> StrOrPromise:
        return CATEGORY_LABELS[self.category]

    @property
    def outcomes(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.intended_outcome.strip()]

    def applies_by_name(self) -> dict[str, bool | None]:
        return {cell.column.name: cell.applies for cell in self.cells}


@dataclass
class Comparison:
    session: DialogueSession
    columns: list[Column]
    rows: list[Row]
    other_motives: dict[int, list[OtherMotive]] = field(
        default_factory=dict
    )  # organisation_id -> [OtherMotive]
    has_previous: bool = False

    @property
    def enough(self) -> bool:
        return len(self.columns) >= MIN_ORGANISATIONS

    @property
    def education_columns(self) -> list[Column]:
        return [c for c in self.columns if c.partner_type == PartnerType.EDUCATION]

    @property
    def practice_columns(self) -> list[Column]:
        return [c for c in self.columns if c.partner_type == PartnerType.PRACTICE]

    def clusters(self, rows: Iterable[Row] | None = None) -> list[tuple[Cluster, list[Row]]]:
        """[(cluster, [row, ...]), ...] in catalogue order."""
        groups: list[tuple[Cluster, list[Row]]] = []
        for row in self.rows if rows is None else rows:
            if not groups or groups[-1][0] != row.motive.cluster:
                groups.append((row.motive.cluster, []))
            groups[-1][1].append(row)
        return groups

    def category_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for row in self.rows:
            counts[row.category] += 1
        return counts

    def cluster_shares(self) -> dict[tuple[int, str], float]:
        """Per organisation and cluster: the share of offered motives that apply (0..1)."""
        shares: dict[tuple[int, str], float] = {}
        for cluster, rows in self.clusters():
            for index, column in enumerate(self.columns):
                offered = [row.cells[index] for row in rows if row.cells[index].offered]
                named = sum(1 for cell in offered if cell.applies is True)
                shares[(column.organisation_id, cluster.code)] = (
                    named / len(offered) if offered else 0.0
                )
        return shares

    def side_shares(self) -> dict[tuple[str, str], float | None]:
        """Per side and cluster: the mean share over that side's organisations (or None)."""
        per_org = self.cluster_shares()
        result: dict[tuple[str, str], float | None] = {}
        for cluster, _rows in self.clusters():
            for side, columns in (
                (PartnerType.EDUCATION, self.education_columns),
                (PartnerType.PRACTICE, self.practice_columns),
            ):
                values = [per_org[(c.organisation_id, cluster.code)] for c in columns]
                result[(side, cluster.code)] = sum(values) / len(values) if values else None
        return result

    def changes(self) -> dict[int, dict[str, list[Motive]]]:
        """Per organisation: motives added and dropped since the previous round."""
        result: dict[int, dict[str, list[Motive]]] = {
            column.organisation_id: {"added": [], "dropped": []} for column in self.columns
        }
        for row in self.rows:
            for cell in row.cells:
                if cell.change:
                    result[cell.column.organisation_id][cell.change].append(row.motive)
        return result

    def filtered(
        self,
        *,
        category: str | None = None,
        cluster: str | None = None,
        partner_type: str | None = None,
    ) -> list[Row]:
        """Rows for the page's filters; ``partner_type`` keeps motives that side names."""
        rows = self.rows
        if category:
            rows = [row for row in rows if row.category == category]
        if cluster:
            rows = [row for row in rows if row.motive.cluster.code == cluster]
        if partner_type == PartnerType.EDUCATION:
            rows = [row for row in rows if row.education_count]
        elif partner_type == PartnerType.PRACTICE:
            rows = [row for row in rows if row.practice_count]
        return rows


def build_comparison(session: DialogueSession) -> Comparison:
    """The comparison of ``session`` over its submitted formats (at most six queries)."""
    preparations = list(
        Preparation.objects.filter(session=session, submitted_at__isnull=False)
        .select_related("organisation")
        .order_by("organisation__partner_type", "organisation__name")
    )
    columns = [
        Column(p.organisation_id, p.organisation.name, p.organisation.partner_type, p.pk)
        for p in preparations
    ]
    answers = {
        (answer.preparation_id, answer.motive_id): answer
        for answer in Answer.objects.filter(preparation__in=[c.preparation_id for c in columns])
    }
    previous, previous_organisations = _previous_answers(session, columns)
    # The session's catalogue: the compact seed format or every motive.
    motives = list(Motive.objects.active().in_catalogue(session.catalogue).in_catalogue_order())
    partner_types = {c.organisation_id: c.partner_type for c in columns}

    rows = []
    for motive in motives:
        cells = []
        for column in columns:
            answer = answers.get((column.preparation_id, motive.pk))
            cells.append(
                Cell(
                    column=column,
                    offered=motive.offered_to(column.partner_type),
                    applies=answer.applies if answer else None,
                    intended_outcome=answer.intended_outcome if answer else "",
                    previous=previous.get((column.organisation_id, motive.pk)),
                    in_previous_round=column.organisation_id in previous_organisations,
                )
            )
        applies = {cell.column.organisation_id: cell.applies for cell in cells}
        rows.append(
            Row(
                motive=motive,
                cells=cells,
                category=categorize(applies, partner_types),
                education_count=sum(
                    1 for c in cells if c.applies and c.column.partner_type == PartnerType.EDUCATION
                ),
                practice_count=sum(
                    1 for c in cells if c.applies and c.column.partner_type == PartnerType.PRACTICE
                ),
            )
        )
    other_motives: dict[int, list[OtherMotive]] = {}
    for other in OtherMotive.objects.filter(
        preparation__in=[c.preparation_id for c in columns]
    ).select_related("cluster", "preparation"):
        other_motives.setdefault(other.preparation.organisation_id, []).append(other)
    return Comparison(
        session=session,
        columns=columns,
        rows=rows,
        other_motives=other_motives,
        has_previous=session.previous_id is not None,
    )


def _previous_answers(
    session: DialogueSession, columns: Sequence[Column]
) -> tuple[dict[tuple[int, int], bool | None], set[int]]:
    """Last round's submitted answers: ({(organisation_id, motive_id): applies}, {organisation_id})."""
    if not session.previous_id or not columns:
        return {}, set()
    organisation_ids = [c.organisation_id for c in columns]
    took_part = set(
        Preparation.objects.filter(
            session_id=session.previous_id,
            submitted_at__isnull=False,
            organisation_id__in=organisation_ids,
        ).values_list("organisation_id", flat=True)
    )
    answers = {
        (organisation_id, motive_id): applies
        for organisation_id, motive_id, applies in Answer.objects.filter(
            preparation__session_id=session.previous_id,
            preparation__organisation_id__in=took_part,
        ).values_list("preparation__organisation_id", "motive_id", "applies")
    }
    return answers, took_part
