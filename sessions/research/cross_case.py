"""The cross-case view for researchers: which motives a side of each case names.

The rule (SMS-TOOL.md, "Cross-case rule"): a motive is marked for (case, side)
when at least ``threshold`` (default 0.75) of that side's organisations in that
case said it applies. A case is one learning community, by default its most
recent session that reached the joint dialogue.

Decisions, also in docs/research.md:

- Only learning communities whose coordinator agreed (``research_consent``) are
  cases: the page, its downloads and the command never see another one.
- Only submitted organisations count; "not answered" counts as "does not apply".
- A share exactly at the threshold is marked. Shares and the threshold are exact
  fractions, so 3 of 4 against 0.75 never fails on floating point.
- A motive the catalogue does not offer to a side (``development.teachers`` to
  practice partners) is never marked for it: share 0, ``offered`` false. A side
  without organisations is never marked either: share 0, ``organisations`` 0.
- Rows are the active catalogue motives in catalogue order.
- A (case, side) column over fewer than ``SMALL_N`` organisations is flagged
  (``small_n``): its shares may describe one or two organisations.

``compute`` is the pure rule; ``build_cross_case`` loads the data in four
queries, whatever the number of cases. The page, its CSV download and the
``cross_case`` command all use this module.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models import Count, F, OuterRef, Subquery

from motives.models import Motive
from partnerships.models import PartnerType, Setting
from sessions.models import Answer, DialogueSession, Preparation
from sessions.policy.phases import JOINT_PHASES

if TYPE_CHECKING:
    from motives.models import Cluster

DEFAULT_THRESHOLD = Fraction(3, 4)
# The article's order within a case: practice (WV) first, then education (OPL).
SIDES = (PartnerType.PRACTICE, PartnerType.EDUCATION)
SHARE_DECIMALS = 4
# A column over fewer organisations than this is flagged: a share may describe one or two.
SMALL_N = 3
CSV_FIELDS = [
    "learning_community",
    "sector",
    "session",
    "motive",
    "side",
    "share",
    "marked",
    "named",
    "organisations",
    "offered",
    "threshold",
    "small_n",
]


# Spreadsheets run text that starts like a formula; such text gets a leading apostrophe
# (OWASP's advice against CSV injection), as in sessions.exports.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


class CrossCaseError(ValueError):
    """Input the computation cannot use; the message says why (in English, for the command)."""


def parse_threshold(value: Fraction | Decimal | float | str) -> Fraction:
    """A threshold as an exact fraction in (0, 1]: from text such as "0.75", a Decimal or a float."""
    if isinstance(value, Fraction):
        number = value
    else:
        try:
            decimal = Decimal(str(value).strip())
        except InvalidOperation:
            raise CrossCaseError(f"{value!r} is not a number such as 0.75.") from None
        if not decimal.is_finite():
            raise CrossCaseError(f"{value!r} is not a number such as 0.75.")
        number = Fraction(decimal)
    if not 0 < number <= 1:
        raise CrossCaseError(
            f"The threshold must be more than 0 and at most 1 (a share), not {value}."
        )
    return number


def share_value(share: Fraction) -> float:
    """A share as a number for JSON and CSV: rounded to four decimals."""
    return round(float(share), SHARE_DECIMALS)


@dataclass(frozen=True)
class Case:
    """One learning community, represented by one session, with its submitted organisations."""

    session_id: int
    learning_community: str
    sector: str
    education_orgs: int
    practice_orgs: int
    community_id: int | None = None
    session_title: str = ""
    session_date: datetime.date | None = None
    setting: str = ""

    def organisations(self, side: str) -> int:
        return self.education_orgs if side == PartnerType.EDUCATION else self.practice_orgs

    def small_n(self, side: str) -> bool:
        return is_small_n(self.organisations(side))


@dataclass(frozen=True)
class Mark:
    """One motive for one side of one case."""

    motive: Motive
    case: Case
    side: str
    named: int  # organisations of this side that said the motive applies
    organisations: int  # submitted organisations of this side
    offered: bool
    marked: bool

    @property
    def small_n(self) -> bool:
        return is_small_n(self.organisations)

    @property
    def share(self) -> Fraction:
        if not self.offered or not self.organisations:
            return Fraction(0)
        return Fraction(self.named, self.organisations)


def is_small_n(organisations: int) -> bool:
    """Fewer than SMALL_N organisations (also none): a share may describe one or two of them."""
    return organisations < SMALL_N


def is_marked(named: int, organisations: int, threshold: Fraction) -> bool:
    """The rule itself: at least ``threshold`` of the side's organisations, compared exactly."""
    return organisations > 0 and Fraction(named, organisations) >= threshold


def cases_data(cases: list[Case]) -> list[dict[str, Any]]:
    """The ``cases`` of the JSON: the same whatever the grouping."""
    return [
        {
            "learning_community": case.learning_community,
            "sector": case.sector,
            "session": case.session_id,
            "education_orgs": case.education_orgs,
            "practice_orgs": case.practice_orgs,
            "session_title": case.session_title,
            "setting": case.setting,
        }
        for case in cases
    ]


MarkT = TypeVar("MarkT", bound="Mark | SettingMark")


class MotiveRows(Protocol[MarkT]):
    """What the row methods of CrossCase need; BySetting borrows them."""

    rows: list[tuple[Motive, list[MarkT]]]


@dataclass
class CrossCase:
    threshold: Fraction
    cases: list[Case]
    motives: list[Motive]
    rows: list[tuple[Motive, list[Mark]]]  # [(motive, [Mark per case and side, in SIDES order])]

    def marks(self: MotiveRows[MarkT]) -> list[MarkT]:
        """Every mark, row by row as the table reads: motive, then case, then side."""
        return [mark for _motive, marks in self.rows for mark in marks]

    def marked_rows(self: MotiveRows[MarkT]) -> list[tuple[Motive, list[MarkT]]]:
        """Rows with a mark for at least one case: the article's tables show only these."""
        return [(motive, marks) for motive, marks in self.rows if any(m.marked for m in marks)]

    def clusters(
        self: MotiveRows[MarkT], rows: Iterable[tuple[Motive, list[MarkT]]] | None = None
    ) -> list[tuple[Cluster, list[tuple[Motive, list[MarkT]]]]]:
        """[(cluster, [(motive, marks), ...]), ...] in catalogue order."""
        groups: list[tuple[Cluster, list[tuple[Motive, list[MarkT]]]]] = []
        for motive, marks in self.rows if rows is None else rows:
            if not groups or groups[-1][0] != motive.cluster:
                groups.append((motive.cluster, []))
            groups[-1][1].append((motive, marks))
        return groups

    def as_data(self) -> dict[str, Any]:
        """The public JSON shape of INTERCHANGE.md (``cross_case --format json``), plus extra keys."""
        return {
            "threshold": float(self.threshold),
            "group_by": "sector",
            "cases": cases_data(self.cases),
            "marks": [
                {
                    "motive": mark.motive.code,
                    "sector": mark.case.sector,
                    "side": mark.side,
                    "share": share_value(mark.share),
                    "marked": mark.marked,
                    "learning_community": mark.case.learning_community,
                    "session": mark.case.session_id,
                    "named": mark.named,
                    "organisations": mark.organisations,
                    "offered": mark.offered,
                    "small_n": mark.small_n,
                }
                for mark in self.marks()
            ],
        }

    def csv_rows(self) -> Iterator[Sequence[str | int | float]]:
        """One row per mark (``cross_case --format csv`` and the page's download), header first.

        Names that a spreadsheet would run as a formula are made harmless.
        """
        text = {True: "true", False: "false"}
        threshold = share_value(self.threshold)
        yield CSV_FIELDS
        for mark in self.marks():
            yield [
                spreadsheet_text(mark.case.learning_community),
                spreadsheet_text(mark.case.sector),
                mark.case.session_id,
                mark.motive.code,
                mark.side,
                share_value(mark.share),
                text[mark.marked],
                mark.named,
                mark.organisations,
                text[mark.offered],
                threshold,
                text[mark.small_n],
            ]


def compute(
    cases: Iterable[Case],
    motives: Iterable[Motive],
    named: Mapping[tuple[int, str, str], int],
    *,
    threshold: Fraction | Decimal | float | str = DEFAULT_THRESHOLD,
) -> CrossCase:
    """The cross-case table, without touching the database.

    ``cases``: [Case]; ``motives``: catalogue motives in the order of the rows
    (anything with ``code`` and ``offered_to(side)``); ``named``: {(session_id,
    side, motive_code): number of that side's submitted organisations that said
    the motive applies} (missing: none did).
    """
    threshold = parse_threshold(threshold)
    rows = []
    for motive in motives:
        marks = []
        for case in cases:
            for side in SIDES:
                organisations = case.organisations(side)
                offered = motive.offered_to(side)
                count = named.get((case.session_id, side, motive.code), 0) if offered else 0
                marks.append(
                    Mark(
                        motive=motive,
                        case=case,
                        side=side,
                        named=count,
                        organisations=organisations,
                        offered=offered,
                        marked=offered and is_marked(count, organisations, threshold),
                    )
                )
        rows.append((motive, marks))
    return CrossCase(threshold=threshold, cases=list(cases), motives=list(motives), rows=rows)


# --- loading from the database ---------------------------------------------------


def latest_dialogue_sessions() -> list[DialogueSession]:
    """Per consenting learning community its latest session in the joint phases (one query).

    Communities whose coordinator did not agree to the research view are left out.

    Most recent by date (a session without a date counts as older than any dated
    one), then by creation. Ordered by community name, as the cases are shown.
    """
    latest = (
        DialogueSession.objects.filter(community=OuterRef("community"), phase__in=JOINT_PHASES)
        .order_by(F("date").desc(nulls_last=True), "-id")
        .values("pk")[:1]
    )
    sessions = DialogueSession.objects.filter(
        phase__in=JOINT_PHASES, community__research_consent=True, pk=Subquery(latest)
    ).select_related("community")
    return sorted(sessions, key=lambda s: (s.community.name.casefold(), s.community_id))


def sessions_by_ids(ids: Iterable[int]) -> list[DialogueSession]:
    """The sessions with these ids, in the order given (duplicates once); one query.

    Raises CrossCaseError naming every id that does not exist, whose learning community
    did not agree to the research view (the message says nothing else about it, not even
    its phase), or whose session has not reached the joint dialogue (its formats are
    still private to each organisation).
    """
    ids = list(dict.fromkeys(ids))
    found = {
        s.pk: s for s in DialogueSession.objects.filter(pk__in=ids).select_related("community")
    }
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise CrossCaseError(f"There is no session with id {', '.join(missing)}.")
    refused = [str(pk) for pk in ids if not found[pk].community.research_consent]
    if refused:
        raise CrossCaseError(
            f"Session {', '.join(refused)} is not available for research: only sessions of "
            "learning communities whose coordinator agreed to the research view can be used."
        )
    early = [f"{pk} ({found[pk].phase})" for pk in ids if found[pk].phase not in JOINT_PHASES]
    if early:
        raise CrossCaseError(
            f"Session {', '.join(early)} has not reached the joint dialogue; "
            "its formats are still private to each organisation."
        )
    return [found[pk] for pk in ids]


def build_cross_case(
    sessions: Sequence[DialogueSession],
    *,
    threshold: Fraction | Decimal | float | str = DEFAULT_THRESHOLD,
) -> CrossCase:
    """The cross-case table over ``sessions``, one case each (three queries).

    A session of a learning community without consent is refused, whoever passes it.
    """
    if any(not session.community.research_consent for session in sessions):
        raise CrossCaseError("Only sessions of consenting learning communities can be compared.")
    ids = [session.pk for session in sessions]
    submitted = {"preparation__session_id__in": ids, "preparation__submitted_at__isnull": False}
    organisations = {
        (row["session_id"], row["organisation__partner_type"]): row["n"]
        for row in Preparation.objects.filter(session_id__in=ids, submitted_at__isnull=False)
        .values("session_id", "organisation__partner_type")
        .annotate(n=Count("id"))
        .order_by()
    }
    motives = list(Motive.objects.active().in_catalogue_order())
    codes = {motive.pk: motive.code for motive in motives}
    named: dict[tuple[int, str, str], int] = {}
    for row in (
        Answer.objects.filter(applies=True, motive__active=True, **submitted)
        .values("preparation__session_id", "preparation__organisation__partner_type", "motive_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (
            row["preparation__session_id"],
            row["preparation__organisation__partner_type"],
            codes[row["motive_id"]],
        )
        named[key] = row["n"]
    cases = [
        Case(
            session_id=session.pk,
            learning_community=session.community.name,
            sector=session.community.sector,
            education_orgs=organisations.get((session.pk, PartnerType.EDUCATION), 0),
            practice_orgs=organisations.get((session.pk, PartnerType.PRACTICE), 0),
            community_id=session.community_id,
            session_title=session.title,
            session_date=session.date,
            setting=session.community.setting,
        )
        for session in sessions
    ]
    return compute(cases, motives, named, threshold=threshold)


def percent_shown(mark: Mark, threshold: Fraction) -> int | Decimal:
    """The share as a whole percentage (int) that never seems to contradict the mark.

    Rounding 0.7496 to 75 next to an unmarked cell at threshold 0.75 would
    mislead; then one decimal is shown (a Decimal), rounded towards the truth: 74.9.
    """
    percent = mark.share * 100
    whole = math.floor(percent + Fraction(1, 2))
    if (whole >= threshold * 100) == mark.marked:
        return whole
    tenths = math.ceil(percent * 10) if mark.marked else math.floor(percent * 10)
    return Decimal(tenths) / 10


# --- grouping by setting (INTERCHANGE.md, "Research grouping") -------------------

GROUP_BY = ("sector", "setting")
SETTING_CSV_FIELDS = [
    "setting",
    "cases",
    "sectors",
    "motive",
    "side",
    "share",
    "marked",
    "named",
    "organisations",
    "offered",
    "threshold",
    "small_n",
]


@dataclass(frozen=True)
class SettingGroup:
    """The cases of one setting (public-public or public-private), taken together."""

    setting: str
    cases: tuple[Case, ...]

    def organisations(self, side: str) -> int:
        return sum(case.organisations(side) for case in self.cases)

    @property
    def education_orgs(self) -> int:
        return self.organisations(PartnerType.EDUCATION)

    @property
    def practice_orgs(self) -> int:
        return self.organisations(PartnerType.PRACTICE)

    def small_n(self, side: str) -> bool:
        return is_small_n(self.organisations(side))


@dataclass(frozen=True)
class SettingMark:
    """One motive for one side of one setting: over all that side's organisations in its cases."""

    motive: Motive
    group: SettingGroup
    side: str
    named: int
    organisations: int
    offered: bool
    marked: bool

    @property
    def small_n(self) -> bool:
        return is_small_n(self.organisations)

    @property
    def share(self) -> Fraction:
        if not self.offered or not self.organisations:
            return Fraction(0)
        return Fraction(self.named, self.organisations)


@dataclass
class BySetting:
    """The cross-case table grouped by setting: the article's main comparison."""

    threshold: Fraction
    cases: list[Case]
    groups: list[SettingGroup]  # in the order of partnerships.models.Setting
    motives: list[Motive]
    # [(motive, [SettingMark per group and side, in SIDES order])]
    rows: list[tuple[Motive, list[SettingMark]]]

    marks = CrossCase.marks
    marked_rows = CrossCase.marked_rows
    clusters = CrossCase.clusters

    def as_data(self) -> dict[str, Any]:
        """INTERCHANGE.md's JSON with ``"setting"`` in place of ``"sector"`` in every mark."""
        return {
            "threshold": float(self.threshold),
            "group_by": "setting",
            "cases": cases_data(self.cases),
            "groups": [
                {
                    "setting": group.setting,
                    "sessions": [case.session_id for case in group.cases],
                    "education_orgs": group.education_orgs,
                    "practice_orgs": group.practice_orgs,
                }
                for group in self.groups
            ],
            "marks": [
                {
                    "motive": mark.motive.code,
                    "setting": mark.group.setting,
                    "side": mark.side,
                    "share": share_value(mark.share),
                    "marked": mark.marked,
                    "named": mark.named,
                    "organisations": mark.organisations,
                    "offered": mark.offered,
                    "small_n": mark.small_n,
                    "cases": len(mark.group.cases),
                }
                for mark in self.marks()
            ],
        }

    def csv_rows(self) -> Iterator[Sequence[str | int | float]]:
        """One row per mark of a setting, header first (``--group-by setting --format csv``)."""
        text = {True: "true", False: "false"}
        threshold = share_value(self.threshold)
        yield SETTING_CSV_FIELDS
        for mark in self.marks():
            yield [
                mark.group.setting,
                len(mark.group.cases),
                spreadsheet_text("; ".join(case.sector for case in mark.group.cases)),
                mark.motive.code,
                mark.side,
                share_value(mark.share),
                text[mark.marked],
                mark.named,
                mark.organisations,
                text[mark.offered],
                threshold,
                text[mark.small_n],
            ]


def group_by_setting(result: CrossCase) -> BySetting:
    """The per-case table taken together per setting.

    A side's share in a setting is taken over all organisations of that side in the
    cases of that setting (INTERCHANGE.md), not as an average of the cases' shares:
    5 of 9 practice partners, not the mean of 3/5 and 2/4. Settings in the order of
    ``Setting``; a setting without cases has no columns.
    """
    order = {value: index for index, value in enumerate(Setting.values)}
    settings = sorted({case.setting for case in result.cases}, key=lambda s: (order.get(s, 99), s))
    groups = [
        SettingGroup(setting, tuple(c for c in result.cases if c.setting == setting))
        for setting in settings
    ]
    rows: list[tuple[Motive, list[SettingMark]]] = []
    for motive, case_marks in result.rows:
        marks: list[SettingMark] = []
        for group in groups:
            ids = {case.session_id for case in group.cases}
            for side in SIDES:
                own = [m for m in case_marks if m.side == side and m.case.session_id in ids]
                named = sum(m.named for m in own)
                organisations = group.organisations(side)
                offered = motive.offered_to(side)
                marks.append(
                    SettingMark(
                        motive=motive,
                        group=group,
                        side=side,
                        named=named,
                        organisations=organisations,
                        offered=offered,
                        marked=offered and is_marked(named, organisations, result.threshold),
                    )
                )
        rows.append((motive, marks))
    return BySetting(
        threshold=result.threshold,
        cases=result.cases,
        groups=groups,
        motives=result.motives,
        rows=rows,
    )


def grouped(result: CrossCase, group_by: str) -> CrossCase | BySetting:
    """The table as asked: per case ("sector", the default) or per setting."""
    if group_by not in GROUP_BY:
        raise CrossCaseError(f"Group by sector or setting, not {group_by!r}.")
    return group_by_setting(result) if group_by == "setting" else result
