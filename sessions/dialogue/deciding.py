"""Deciding together in the joint dialogue: votes, positions, offers and needs, what
agreements serve, and each organisation's review of its own outcomes (issue 14).

Writes are keyword-only services, one transaction each. Each locks the session row
first and asks ``sessions.policy.phases`` again on the locked row, so a phase change
or a membership that ended meanwhile cannot slip in. Ids that come from a form are
looked up within the session only: an id of another session or community is refused
in words and nothing is written. Every write raises ``DialogueSession.version``, so
the projector, which polls, shows it.
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from motives.models import Motive
from partnerships.models import Membership, User
from sessions.dialogue.selectors import joint_results
from sessions.dialogue.services import bump, lock_for_recording
from sessions.models import (
    DOTS_PER_PERSON,
    MAX_OFFERS,
    OFFER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
    Agreement,
    Answer,
    Consent,
    ConsentPosition,
    DialogueSession,
    JointMotive,
    OrganisationOutcomeReview,
    Preparation,
    PreparationExtra,
    ReviewStatus,
    Vote,
)
from sessions.policy import phases
from sms_tool.errors import DomainError, refuse_nul

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# --- candidates and votes --------------------------------------------------------


@dataclass
class Candidate:
    """A catalogue motive the comparison puts forward as a joint motive."""

    motive: Motive
    applies: int  # organisations that said it applies
    organisations: int  # organisations that submitted
    priorities: list[tuple[str, int]] = field(default_factory=list)  # (organisation name, 1-3)
    votes: int = 0
    mine: bool = False
    joint: bool = False

    @property
    def shared(self) -> bool:
        return self.applies == self.organisations

    @property
    def priority_points(self) -> int:
        """3 for a first priority, 2 for a second, 1 for a third."""
        return sum(4 - priority for _name, priority in self.priorities)


def submitted_preparations(session: DialogueSession) -> list[Preparation]:
    return list(
        session.preparations.filter(
            submitted_at__isnull=False, organisation__community_id=session.community_id
        ).select_related("organisation")
    )


def candidates(
    session: DialogueSession, person: "User | AnonymousUser | None" = None
) -> list[Candidate]:
    """Motives that apply to at least one organisation that submitted: shared ones first,
    then by priority points, then by how many organisations named them."""
    preparations = submitted_preparations(session)
    answers = (
        Answer.objects.filter(preparation__in=preparations, applies=True)
        .select_related("motive__cluster", "preparation__organisation")
        .order_by("motive__cluster__order", "motive__order")
    )
    found: dict[int, Candidate] = {}
    for answer in answers:
        candidate = found.setdefault(
            answer.motive_id, Candidate(motive=answer.motive, applies=0, organisations=0)
        )
        candidate.applies += 1
        if answer.priority:
            candidate.priorities.append((answer.preparation.organisation.name, answer.priority))
    counts = dict(
        Vote.objects.filter(session=session)
        .values("motive_id")
        .annotate(n=Count("id"))
        .values_list("motive_id", "n")
    )
    mine: set[int] = set()
    if person is not None and person.is_authenticated:
        mine = set(
            Vote.objects.filter(session=session, person=person).values_list("motive_id", flat=True)
        )
    joint = set(session.joint_motives.exclude(motive=None).values_list("motive_id", flat=True))
    for candidate in found.values():
        candidate.organisations = len(preparations)
        candidate.votes = counts.get(candidate.motive.pk, 0)
        candidate.mine = candidate.motive.pk in mine
        candidate.joint = candidate.motive.pk in joint
        candidate.priorities.sort(key=lambda item: (item[1], item[0].casefold()))
    return sorted(
        found.values(),
        key=lambda c: (
            not c.shared,
            -c.priority_points,
            -c.applies,
            c.motive.cluster.order,
            c.motive.order,
        ),
    )


def by_votes(items: list[Candidate]) -> list[Candidate]:
    """The projector's order: most dots first, ties in the candidates' order."""
    return sorted(items, key=lambda c: -c.votes)


def _lock_session(session_pk: int) -> DialogueSession:
    return (
        DialogueSession.objects.select_for_update().select_related("community").get(pk=session_pk)
    )


@transaction.atomic
def votes_set(*, session: DialogueSession, by: User, motive_codes: list[str]) -> list[Vote]:
    """Put this person's dots on ``motive_codes`` (at most DOTS_PER_PERSON), replacing
    the dots they had."""
    locked = _lock_session(session.pk)
    roles = phases.roles_for(by, locked)
    if not phases.can_vote(roles, locked):
        raise DomainError(
            _("Voting is open to the partners while the joint dialogue runs. Nothing was saved.")
        )
    codes = list(dict.fromkeys(motive_codes))
    if len(codes) > DOTS_PER_PERSON:
        raise DomainError(
            _("You have %(dots)d dots: choose at most %(dots)d motives. Nothing was saved.")
            % {"dots": DOTS_PER_PERSON}
        )
    offered = {c.motive.code: c.motive for c in candidates(locked)}
    unknown = [code for code in codes if code not in offered]
    if unknown:
        raise DomainError(
            _("%(codes)s cannot be voted on in this session. Nothing was saved.")
            % {"codes": ", ".join(unknown)}
        )
    Vote.objects.filter(session=locked, person=by).delete()
    votes = Vote.objects.bulk_create(
        Vote(session=locked, motive=offered[code], person=by) for code in codes
    )
    bump(locked, session)
    return votes


@transaction.atomic
def candidate_to_joint_motive(
    *, session: DialogueSession, by: User, motive_code: str
) -> JointMotive:
    """The facilitator turns a candidate into a joint motive; it keeps its number of dots."""
    locked = lock_for_recording(session.pk, by)
    offered = {c.motive.code: c for c in candidates(locked)}
    candidate = offered.get(motive_code)
    if candidate is None:
        raise DomainError(_("This motive is not a candidate in this session. Nothing was saved."))
    if candidate.joint:
        raise DomainError(
            _("“%(motive)s” is already a joint motive.") % {"motive": candidate.motive.label}
        )
    last = locked.joint_motives.order_by("-position").values_list("position", flat=True).first()
    joint = JointMotive.objects.create(
        session=locked,
        position=(last or 0) + 1,
        motive=candidate.motive,
        votes=candidate.votes,
        updated_by=by,
    )
    bump(locked, session)
    return joint


# --- positions (consent) ----------------------------------------------------------


@dataclass(frozen=True)
class PositionInput:
    position: str  # "" to take a position back
    reason: str = ""


def joint_key(joint: JointMotive) -> str:
    return f"joint_motive:{joint.pk}"


def agreement_key(agreement: Agreement) -> str:
    return f"agreement:{agreement.pk}"


def _require_member(preparation: Preparation, by: User | None) -> None:
    ok = (
        by is not None
        and by.is_active
        and Membership.objects.filter(
            person=by,
            organisation_id=preparation.organisation_id,
            organisation__community_id=preparation.session.community_id,
        ).exists()
    )
    if not ok:
        raise DomainError(
            _("Only members of %(organisation)s can state its position.")
            % {"organisation": preparation.organisation.name}
        )


@transaction.atomic
def positions_set(
    *, preparation: Preparation, by: User, positions: dict[str, PositionInput]
) -> list[Consent]:
    """The organisation's positions on joint motives and agreements of its own session.

    ``positions`` maps ``joint_motive:<id>`` or ``agreement:<id>`` to a position; an
    objection needs a reason. An id of another session is refused and nothing is written.
    """
    locked = _lock_session(preparation.session_id)
    current = Preparation.objects.select_related("organisation", "session").get(pk=preparation.pk)
    _require_member(current, by)
    roles = phases.roles_for(by, locked)
    if not phases.can_state_position(roles, locked, current):
        raise DomainError(
            _(
                "Positions can be stated while the joint dialogue and the agreements are open. "
                "Nothing was saved."
            )
        )
    joints = {joint_key(j): j for j in locked.joint_motives.all()}
    agreements = {agreement_key(a): a for a in locked.agreements.all()}
    unknown = [key for key in positions if key not in joints and key not in agreements]
    if unknown:
        raise DomainError(
            _(
                "Some items are not part of this session (perhaps deleted meanwhile). "
                "Nothing was saved."
            )
        )
    for key, given in positions.items():
        if given.position and given.position not in ConsentPosition.values:
            raise DomainError(_("Choose agree, abstain or object."))
        refuse_nul(given.reason)
        if given.position == ConsentPosition.OBJECT and not given.reason.strip():
            label = str(joints.get(key) or agreements.get(key))
            raise DomainError(
                _("Give the reason for your objection to “%(item)s”. Nothing was saved.")
                % {"item": label[:80]}
            )
        if len(given.reason) > REASON_MAX_LENGTH:
            raise DomainError(
                _("A reason is at most %(max)d characters. Nothing was saved.")
                % {"max": REASON_MAX_LENGTH}
            )
    stored: list[Consent] = []
    for key, given in positions.items():
        target: dict[str, Any] = (
            {"joint_motive": joints[key]} if key in joints else {"agreement": agreements[key]}
        )
        if not given.position:
            Consent.objects.filter(organisation=current.organisation, **target).delete()
            continue
        consent, _created = Consent.objects.update_or_create(
            organisation=current.organisation,
            **target,
            defaults={
                "position": given.position,
                "reason": given.reason.strip() if given.position != "agree" else "",
                "updated_by": by,
            },
        )
        stored.append(consent)
    bump(locked, preparation.session if preparation.session_id else None)
    return stored


def consent_state(consents: list[Consent], organisations: int) -> str:
    """``objected`` (an open objection: not yet agreed), ``agreed`` (every organisation
    agreed or abstained) or ``open`` (positions missing)."""
    if any(c.position == ConsentPosition.OBJECT for c in consents):
        return "objected"
    if organisations and len(consents) >= organisations:
        return "agreed"
    return "open"


def positions_overview(session: DialogueSession) -> dict[str, Any]:
    """Every organisation's position on every item, and whether each item is agreed."""
    results = joint_results(session, with_notes=False)
    joints, agreements = results["joint_motives"], results["agreements"]
    preparations = submitted_preparations(session)
    organisations = [p.organisation for p in preparations]
    consents = list(
        Consent.objects.filter(joint_motive__session=session).select_related("organisation")
    ) + list(Consent.objects.filter(agreement__session=session).select_related("organisation"))
    by_item: dict[tuple[int | None, int | None], dict[int, Consent]] = {}
    for consent in consents:
        if consent.organisation.community_id != session.community_id:
            continue
        by_item.setdefault((consent.joint_motive_id, consent.agreement_id), {})[
            consent.organisation_id
        ] = consent

    def rows(items: list[JointMotive] | list[Agreement], joint: bool) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for item in items:
            found = by_item.get((item.pk, None) if joint else (None, item.pk), {})
            cells = [{"organisation": o, "consent": found.get(o.pk)} for o in organisations]
            result.append(
                {
                    "item": item,
                    "cells": cells,
                    "state": consent_state(list(found.values()), len(organisations)),
                }
            )
        return result

    return {
        "organisations": organisations,
        "joint_rows": rows(joints, True),
        "agreement_rows": rows(agreements, False),
    }


def serving(session: DialogueSession) -> list[dict[str, Any]]:
    """For each joint motive and each catalogue motive an agreement serves: the agreements.

    Lists of ``{"motive": label, "agreements": [...]}``, joint motives first.
    """
    served = served_by(session)
    rows: list[dict[str, Any]] = []
    for joint in session.joint_motives.select_related("motive"):
        rows.append(
            {"label": str(joint), "joint": True, "agreements": served["joint"].get(joint.pk, [])}
        )
    motives = Motive.objects.filter(pk__in=served["motives"]).select_related("cluster")
    for motive in sorted(motives, key=lambda m: (m.cluster.order, m.order)):
        rows.append(
            {"label": motive.label, "joint": False, "agreements": served["motives"][motive.pk]}
        )
    return rows


# --- offers and needs --------------------------------------------------------------


def _lines(items: list[str], label: str) -> list[str]:
    refuse_nul(*items)
    cleaned = [item.strip() for item in items if item.strip()]
    if len(cleaned) > MAX_OFFERS:
        raise DomainError(
            _("At most %(max)d lines for %(what)s. Nothing was saved.")
            % {"max": MAX_OFFERS, "what": label}
        )
    for item in cleaned:
        if len(item) > OFFER_MAX_LENGTH:
            raise DomainError(
                _("Each line is at most %(max)d characters. Nothing was saved.")
                % {"max": OFFER_MAX_LENGTH}
            )
    return cleaned


@transaction.atomic
def offers_save(*, preparation: Preparation, by: User, offers: list[str], needs: list[str]) -> None:
    locked = _lock_session(preparation.session_id)
    current = Preparation.objects.select_related("organisation", "session").get(pk=preparation.pk)
    if not current.organisation.memberships.filter(person=by).exists() or not by.is_active:
        raise DomainError(
            _("Only members of %(organisation)s can change what it offers and needs.")
            % {"organisation": current.organisation.name}
        )
    roles = phases.roles_for(by, locked)
    if not phases.can_edit_offers(roles, locked, current):
        raise DomainError(
            _(
                "Offers and needs can be changed from the preparation until the agreements "
                "are closed. Nothing was saved."
            )
        )
    PreparationExtra.objects.update_or_create(
        preparation=current,
        defaults={
            "offers": _lines(offers, _("offers")),
            "needs": _lines(needs, _("needs")),
            "updated_by": by,
        },
    )
    bump(locked)


WORD = re.compile(r"\w{4,}", re.UNICODE)
STOP_WORDS = {
    "voor", "door", "over", "onze", "naar", "van", "met", "zijn", "hebben", "kunnen", "die",
    "een", "het", "and", "with", "from", "that", "this", "have", "your", "their", "ons",
    "wij", "willen", "graag", "andere", "meer", "elkaar", "partners",
}  # fmt: skip


def _words(text: str) -> set[str]:
    # A crude stem: "studenten" and "student" meet, "programmeren" and "programmeert" too.
    return {word[:6] for word in WORD.findall(text.casefold()) if word not in STOP_WORDS}


@dataclass(frozen=True)
class Match:
    need_organisation: str
    need: str
    offer_organisation: str
    offer: str


def exchange(session: DialogueSession) -> dict[str, Any]:
    """Every submitting organisation's offers and needs, and the matches between one
    organisation's need and another's offer (lines that share a word of four letters
    or more: a prompt for the room, not a verdict)."""
    rows: list[dict[str, Any]] = []
    for preparation in submitted_preparations(session):
        extra = PreparationExtra.objects.filter(preparation=preparation).first()
        rows.append(
            {
                "organisation": preparation.organisation,
                "offers": list(extra.offers) if extra else [],
                "needs": list(extra.needs) if extra else [],
            }
        )
    matches: list[Match] = []
    for needing in rows:
        for need in needing["needs"]:
            need_words = _words(need)
            for offering in rows:
                if offering["organisation"] == needing["organisation"]:
                    continue
                for offer in offering["offers"]:
                    if need_words & _words(offer):
                        matches.append(
                            Match(
                                needing["organisation"].name,
                                need,
                                offering["organisation"].name,
                                offer,
                            )
                        )
    return {"rows": rows, "matches": matches}


# --- what an agreement serves -----------------------------------------------------


@transaction.atomic
def serves_set(
    *, agreement: Agreement, by: User, joint_ids: list[int], motive_codes: list[str]
) -> Agreement:
    """The motives an agreement serves: joint motives of its session, catalogue motives."""
    locked = lock_for_recording(agreement.session_id, by)
    current = Agreement.objects.filter(pk=agreement.pk, session=locked).first()
    if current is None:
        raise DomainError(_("This agreement no longer exists. Nothing was saved."))
    joints = list(locked.joint_motives.filter(pk__in=joint_ids))
    if len(joints) != len(set(joint_ids)):
        raise DomainError(_("Some joint motives are not part of this session. Nothing was saved."))
    # A code with a NUL is no motive's, and PostgreSQL refuses NUL even as a parameter.
    motives = list(Motive.objects.filter(code__in=[c for c in motive_codes if "\x00" not in c]))
    if len(motives) != len(set(motive_codes)):
        raise DomainError(_("Some motives are unknown. Nothing was saved."))
    current.serves_joint.set(joints)
    current.serves_motives.set(motives)
    bump(locked, agreement)
    return current


def served_by(session: DialogueSession) -> dict[str, dict[int, list[Agreement]]]:
    """For the report: per joint motive and per catalogue motive, the agreements serving it."""
    joint: dict[int, list[Agreement]] = {}
    motives: dict[int, list[Agreement]] = {}
    for agreement in session.agreements.prefetch_related("serves_joint", "serves_motives"):
        for item in agreement.serves_joint.all():
            joint.setdefault(item.pk, []).append(agreement)
        for motive in agreement.serves_motives.all():
            motives.setdefault(motive.pk, []).append(agreement)
    return {"joint": joint, "motives": motives}


# --- each organisation reviews its own intended outcomes -------------------------


def reviewable_answers(preparation: Preparation) -> list[Answer]:
    """The organisation's motives of the previous round that applied, with an intended outcome."""
    previous = preparation.session.previous
    if previous is None:
        return []
    return list(
        Answer.objects.filter(
            preparation__session=previous,
            preparation__organisation_id=preparation.organisation_id,
            preparation__submitted_at__isnull=False,
            applies=True,
        )
        .exclude(intended_outcome="")
        .select_related("motive__cluster")
        .order_by("motive__cluster__order", "motive__order")
    )


@dataclass(frozen=True)
class OwnReviewInput:
    status: str  # "" for not reviewed
    evidence: str = ""


@transaction.atomic
def own_reviews_save(
    *, preparation: Preparation, by: User, reviews: dict[str, OwnReviewInput]
) -> list[OrganisationOutcomeReview]:
    locked = _lock_session(preparation.session_id)
    current = Preparation.objects.select_related("organisation", "session__previous").get(
        pk=preparation.pk
    )
    if not by.is_active or not current.organisation.memberships.filter(person=by).exists():
        raise DomainError(
            _("Only members of %(organisation)s can review its outcomes.")
            % {"organisation": current.organisation.name}
        )
    roles = phases.roles_for(by, locked)
    if not phases.can_review_own_outcomes(roles, locked, current):
        raise DomainError(_("The outcomes cannot be reviewed in this phase. Nothing was saved."))
    allowed = {answer.motive.code: answer.motive for answer in reviewable_answers(current)}
    unknown = [code for code in reviews if code not in allowed]
    if unknown:
        raise DomainError(
            _("%(codes)s had no intended outcome of yours last round. Nothing was saved.")
            % {"codes": ", ".join(unknown)}
        )
    stored: list[OrganisationOutcomeReview] = []
    for given in reviews.values():
        if given.status and given.status not in ReviewStatus.values:
            raise DomainError(_("Choose realised, partly or not."))
        refuse_nul(given.evidence)
        if len(given.evidence) > REVIEW_NOTE_MAX_LENGTH:
            raise DomainError(
                _("Evidence is at most %(max)d characters. Nothing was saved.")
                % {"max": REVIEW_NOTE_MAX_LENGTH}
            )
    for code, given in reviews.items():
        if not given.status:
            OrganisationOutcomeReview.objects.filter(
                preparation=current, motive=allowed[code]
            ).delete()
            continue
        review, _created = OrganisationOutcomeReview.objects.update_or_create(
            preparation=current,
            motive=allowed[code],
            defaults={"status": given.status, "evidence": given.evidence.strip(), "updated_by": by},
        )
        stored.append(review)
    bump(locked)
    return stored


# --- how motives moved over the rounds ---------------------------------------------

MAX_ROUNDS_SHOWN = 10


def rounds_of(session: DialogueSession) -> list[DialogueSession]:
    """This round and the ones before it (oldest first), within the same community."""
    chain: list[DialogueSession] = []
    current: DialogueSession | None = session
    seen: set[int] = set()
    while current is not None and current.pk not in seen and len(chain) < MAX_ROUNDS_SHOWN:
        if current.community_id != session.community_id:
            break
        chain.append(current)
        seen.add(current.pk)
        current = current.previous
    return list(reversed(chain))


def history(session: DialogueSession) -> dict[str, Any]:
    """Per organisation and motive, per round: applies, priority and the organisation's own
    review of that round's outcome (given in the round after it). Submitted formats only."""
    rounds = rounds_of(session)
    answers = (
        Answer.objects.filter(
            preparation__session__in=rounds,
            preparation__submitted_at__isnull=False,
            preparation__organisation__community_id=session.community_id,
        )
        .select_related("motive__cluster", "preparation__organisation")
        .order_by("motive__cluster__order", "motive__order")
    )
    reviews = OrganisationOutcomeReview.objects.filter(
        preparation__session__in=rounds,
        preparation__organisation__community_id=session.community_id,
    ).select_related("preparation")
    index = {r.pk: i for i, r in enumerate(rounds)}
    reviewed: dict[tuple[int, int, int], OrganisationOutcomeReview] = {}
    for review in reviews:
        # A review in round i is about round i - 1.
        about = index[review.preparation.session_id] - 1
        if about >= 0:
            reviewed[(review.preparation.organisation_id, review.motive_id, about)] = review
    table: dict[tuple[str, int, int], dict[str, Any]] = {}
    for answer in answers:
        organisation = answer.preparation.organisation
        key = (organisation.name.casefold(), organisation.pk, answer.motive_id)
        row = table.setdefault(
            key,
            {"organisation": organisation, "motive": answer.motive, "cells": [None] * len(rounds)},
        )
        i = index[answer.preparation.session_id]
        row["cells"][i] = {
            "applies": answer.applies,
            "priority": answer.priority,
            "review": reviewed.get((organisation.pk, answer.motive_id, i)),
        }
    rows = [table[key] for key in sorted(table, key=lambda k: (k[0], k[1]))]
    return {"rounds": rounds, "rows": rows}


MOVEMENT_FROM_ROUNDS = 3  # the movement chart needs at least this many rounds
MOVEMENT_ON_PAGE = 24  # rows the page's chart shows (those that moved most); the table has all
MOVEMENT_IN_REPORT = 8  # and the report's, which must stay short


def movement_level(cell: dict[str, Any] | None) -> int | None:
    """Where a round's answer sits on the chart: 0 does not apply, 1 applies, 2-4 applies
    with priority 3, 2 or 1; None when the organisation gave no answer that round."""
    if cell is None or cell["applies"] is None:
        return None
    if not cell["applies"]:
        return 0
    priority = cell["priority"]
    return 1 if not priority else 5 - int(priority)


def movement(session: DialogueSession, *, limit: int = MOVEMENT_ON_PAGE) -> dict[str, Any]:
    """Per organisation and motive that moved over the rounds (applies or priority changed,
    or the organisation reviewed its outcome), the level in every round and the reviews.

    ``enough`` is False with fewer than three rounds; ``rows`` are the ``limit`` rows with
    the most changes (spread over the organisations), in organisation and catalogue
    order, ``hidden`` how many more
    moved, ``unchanged`` how many organisation-motive pairs stayed the same throughout."""
    found = history(session)
    rounds = found["rounds"]
    if len(rounds) < MOVEMENT_FROM_ROUNDS:
        return {"enough": False, "rounds": rounds, "rows": [], "hidden": 0, "unchanged": 0}
    moved: list[dict[str, Any]] = []
    unchanged = 0
    for order, row in enumerate(found["rows"]):
        levels = [movement_level(cell) for cell in row["cells"]]
        given = [level for level in levels if level is not None]
        changes = sum(1 for a, b in zip(given, given[1:], strict=False) if a != b)
        reviews = [cell["review"] if cell else None for cell in row["cells"]]
        if not changes and not any(reviews):
            unchanged += 1
            continue
        moved.append(
            {
                "organisation": row["organisation"],
                "motive": row["motive"],
                "levels": levels,
                "reviews": [review.status if review else None for review in reviews],
                "changes": changes,
                "order": order,
            }
        )
    # The most changes first; among equals, one row per organisation before a second one,
    # so a short chart shows several organisations rather than all motives of the first.
    moved.sort(key=lambda r: (-r["changes"], r["order"]))
    taken: dict[int, int] = {}
    for row in moved:
        row["turn"] = taken.get(row["organisation"].pk, 0)
        taken[row["organisation"].pk] = row["turn"] + 1
    moved.sort(key=lambda r: (-r["changes"], r["turn"], r["order"]))
    shown = sorted(moved[:limit], key=lambda r: r["order"])
    return {
        "enough": True,
        "rounds": rounds,
        "rows": shown,
        "hidden": len(moved) - len(shown),
        "unchanged": unchanged,
    }


# --- the positions as one projector slide ------------------------------------------

SLIDE_REASONS = 3  # objections shown per item on the slide; the positions page has all


def positions_slide(session: DialogueSession) -> dict[str, Any]:
    """The positions in a form that fits one projector screen whatever the number of
    organisations: per item the counts, its state, and the reasons of the first objections."""
    overview = positions_overview(session)
    total = len(overview["organisations"])

    def compact(row: dict[str, Any], joint: bool) -> dict[str, Any]:
        consents = [c["consent"] for c in row["cells"] if c["consent"] is not None]
        objections = [c for c in consents if c.position == ConsentPosition.OBJECT]
        counts = dict.fromkeys(ConsentPosition.values, 0)
        for consent in consents:
            counts[consent.position] += 1
        item = row["item"]
        return {
            "key": joint_key(item) if joint else agreement_key(item),
            "label": str(item) if joint else item.text,
            "joint": joint,
            "state": row["state"],
            "agree": counts[ConsentPosition.AGREE],
            "abstain": counts[ConsentPosition.ABSTAIN],
            "object": counts[ConsentPosition.OBJECT],
            "missing": total - len(consents),
            "objections": [
                {"organisation": c.organisation.name, "reason": c.reason}
                for c in objections[:SLIDE_REASONS]
            ],
            "more_objections": max(len(objections) - SLIDE_REASONS, 0),
        }

    joints = [compact(r, True) for r in overview["joint_rows"]]
    agreements = [compact(r, False) for r in overview["agreement_rows"]]
    return {
        "organisation_count": total,
        "items": joints + agreements,
        "joint_items": joints,
        "agreement_items": agreements,
    }
