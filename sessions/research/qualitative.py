"""The texts behind the marks, for qualitative coding: intended outcomes and other motives.

One row per text, per case, side and motive, from the cases of the research page (so
from consenting learning communities only; ``build_cross_case``'s rule, checked again
here). Only submitted formats; no organisation names, no people: a researcher codes
what a side wrote, not who wrote it. Empty texts are left out. Text that a spreadsheet
would run as a formula gets a leading apostrophe.
"""

from collections.abc import Iterator, Sequence
from typing import cast

from motives.models import Cluster
from partnerships.models import PartnerType
from sessions.models import Answer, DialogueSession, OtherMotive
from sessions.research.cross_case import CrossCaseError, spreadsheet_text

QUALITATIVE_FIELDS = [
    "learning_community",
    "sector",
    "setting",
    "session",
    "side",
    "kind",
    "motive",
    "cluster",
    "applies",
    "text",
    "intended_outcome",
]
SIDE_ORDER: dict[str, int] = {PartnerType.PRACTICE: 0, PartnerType.EDUCATION: 1}


def qualitative_rows(sessions: list[DialogueSession]) -> Iterator[Sequence[str | int]]:
    """The header, then per case (in the order given), side (practice first) and motive
    (catalogue order) the intended outcomes, then that side's other motives. Three queries."""
    if any(not session.community.research_consent for session in sessions):
        raise CrossCaseError("Only sessions of consenting learning communities can be exported.")
    yield QUALITATIVE_FIELDS
    by_id = {session.pk: session for session in sessions}
    order = {session.pk: index for index, session in enumerate(sessions)}
    submitted = {
        "preparation__session_id__in": list(by_id),
        "preparation__submitted_at__isnull": False,
    }
    rows = []
    for answer in (
        Answer.objects.filter(**submitted)
        .exclude(intended_outcome="")
        .select_related("motive__cluster", "preparation__organisation")
        .order_by("motive__cluster__order", "motive__order", "motive__code", "id")
    ):
        preparation = answer.preparation
        side = preparation.organisation.partner_type
        key = (order[preparation.session_id], SIDE_ORDER.get(side, 9), 0)
        rows.append(
            (
                key,
                preparation.session_id,
                side,
                "intended_outcome",
                answer.motive.code,
                answer.motive.cluster.code,
                {True: "true", False: "false", None: ""}[answer.applies],
                "",
                answer.intended_outcome,
            )
        )
    for other in (
        OtherMotive.objects.filter(**submitted)
        .select_related("cluster", "preparation__organisation")
        .order_by("position", "id")
    ):
        preparation = other.preparation
        side = preparation.organisation.partner_type
        key = (order[preparation.session_id], SIDE_ORDER.get(side, 9), 1)
        rows.append(
            (
                key,
                preparation.session_id,
                side,
                "other_motive",
                "",
                cast(Cluster, other.cluster).code if other.cluster_id else "",
                "",
                other.text,
                other.intended_outcome,
            )
        )
    rows.sort(key=lambda row: row[0])  # stable: catalogue order within each key
    for _key, session_id, side, kind, motive, cluster, applies, text, outcome in rows:
        session = by_id[session_id]
        yield [
            spreadsheet_text(session.community.name),
            spreadsheet_text(session.community.sector),
            session.community.setting,
            session_id,
            side,
            kind,
            motive,
            cluster,
            applies,
            spreadsheet_text(text),
            spreadsheet_text(outcome),
        ]
