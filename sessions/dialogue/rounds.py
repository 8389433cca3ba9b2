"""Evaluation rounds: the next session of a learning community, and the review of the last one.

A closed session is followed by at most one next round: a new draft session of
the same community with the same organisations and facilitators, linked through
``previous``. In that round each organisation's format shows last round's
answer per motive, and the partners review whether the previous round's joint
intended outcomes and agreements were realised.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.services import validate_model
from sessions.dialogue.services import bump, check_length, lock_for_recording
from sessions.models import (
    REVIEW_NOTE_MAX_LENGTH,
    Agreement,
    DialogueSession,
    JointMotive,
    OutcomeReview,
    Phase,
    Preparation,
    Realised,
)
from sessions.policy import phases
from sms_tool.errors import DomainError


class NextRoundExists(DomainError):
    """The session already has a next round; ``existing`` is that session."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            _("This session already has a next round: “%(title)s”. Continue there.")
            % {"title": existing.title}
        )


class ReviewConflict(DomainError):
    """Someone saved the review of this item after this person opened it."""

    def __init__(self, current):
        self.current = current
        name = current.updated_by.get_full_name() if current.updated_by else _("someone")
        super().__init__(
            _(
                "%(name)s saved the review of this item while you were editing it. What you "
                "typed is still in the form and the saved review is shown next to it. "
                "Save again to replace it with yours."
            )
            % {"name": name}
        )


@transaction.atomic
def session_start_next_round(*, session, by, title, date=None):
    """A new draft session that follows ``session``: same community, organisations, facilitators."""
    locked = (
        DialogueSession.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=session.pk)
    )
    roles = phases.roles_for(by, locked)
    if not roles.coordinator:
        raise DomainError(_("Only a coordinator of this learning community can do this."))
    existing = locked.next_rounds.order_by("id").first()
    if existing is not None:
        raise NextRoundExists(existing)
    if not phases.can_start_next_round(roles, locked):
        raise DomainError(
            _(
                "A next round starts from a closed session; this session is in the phase "
                "“%(phase)s”. Close it first."
            )
            % {"phase": locked.get_phase_display()}
        )
    follow_up = DialogueSession(
        community=locked.community,
        title=(title or "").strip(),
        date=date,
        phase=Phase.DRAFT,
        previous=locked,
        catalogue=locked.catalogue,  # the same motives, so last round's answers carry over
    )
    validate_model(follow_up, exclude=("community", "previous"))
    follow_up.save()
    organisation_ids = (
        Preparation.objects.filter(session=locked)
        .order_by("organisation__partner_type", "organisation__name")
        .values_list("organisation_id", flat=True)
    )
    Preparation.objects.bulk_create(
        Preparation(session=follow_up, organisation_id=organisation_id)
        for organisation_id in organisation_ids
    )
    follow_up.facilitators.set(locked.facilitators.all())
    return follow_up


def review_targets(session):
    """The previous round's joint motives and agreements, each with this round's review."""
    if session.previous_id is None:
        return [], []
    reviews = {
        (review.joint_motive_id, review.agreement_id): review
        for review in OutcomeReview.objects.filter(session=session).select_related("updated_by")
    }
    joint_motives = list(
        JointMotive.objects.filter(session_id=session.previous_id).select_related("motive__cluster")
    )
    agreements = list(Agreement.objects.filter(session_id=session.previous_id))
    for joint_motive in joint_motives:
        joint_motive.review = reviews.get((joint_motive.pk, None))
    for agreement in agreements:
        agreement.review = reviews.get((None, agreement.pk))
    return joint_motives, agreements


@dataclass(frozen=True)
class ReviewInput:
    """One item of the review as typed: ``version`` is the review's version the person saw."""

    target: object  # a JointMotive or Agreement of the previous round
    realised: str | None
    note: str
    version: int | None = None


@dataclass
class ReviewsRecorded:
    saved: list = field(default_factory=list)  # OutcomeReview
    conflicts: list = field(default_factory=list)  # ReviewConflict, its ``target`` set


def _record_one(locked, by, target, realised, note, version):
    if not isinstance(target, JointMotive | Agreement) or target.session_id != locked.previous_id:
        raise DomainError(_("Only the previous round's joint motives and agreements are reviewed."))
    realised = realised or None
    if realised is not None and realised not in Realised.values:
        raise DomainError(
            _("Choose whether this was realised: no, partly or yes."), field="realised"
        )
    note = (note or "").strip()
    check_length(note, REVIEW_NOTE_MAX_LENGTH, _("The note"), "note")
    key = {"joint_motive": target} if isinstance(target, JointMotive) else {"agreement": target}
    review = (
        OutcomeReview.objects.filter(session=locked, **key).select_related("updated_by").first()
    )
    if review is None:
        review = OutcomeReview(session=locked, **key)
    elif version is None or str(version) != str(review.version):
        raise ReviewConflict(review)
    else:
        review.version += 1
    review.realised = realised
    review.note = note
    review.updated_by = by
    review.save()
    return review


def _lock_review(session, by):
    locked = lock_for_recording(session.pk, by)
    if locked.previous_id is None:
        raise DomainError(_("This session has no previous round to review."))
    return locked


@transaction.atomic
def review_record(*, session, by, target, realised, note, version=None):
    """Record whether ``target`` (a joint motive or agreement of the previous round) was realised.

    ``version`` is the version of the review the person saw, or None if there was
    none yet; if someone saved the review since, a ReviewConflict is raised.
    """
    locked = _lock_review(session, by)
    review = _record_one(locked, by, target, realised, note, version)
    bump(locked, session)
    return review


@transaction.atomic
def reviews_record(*, session, by, reviews):
    """Record several items of the review in one save (the review page's one form).

    Each item is checked against the version its person saw: an item someone else
    saved meanwhile is not written and comes back in ``conflicts``; the others are
    saved. Any other refusal (a closed session, a wrong item) saves nothing.
    """
    locked = _lock_review(session, by)
    result = ReviewsRecorded()
    for item in reviews:
        try:  # a conflict is raised before anything of the item is written
            result.saved.append(
                _record_one(locked, by, item.target, item.realised, item.note, item.version)
            )
        except ReviewConflict as conflict:
            conflict.target = item.target
            result.conflicts.append(conflict)
    if result.saved:
        bump(locked, session)
    return result
