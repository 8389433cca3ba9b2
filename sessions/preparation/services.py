"""Writes to one organisation's format (Fase 1): save, submit, withdraw.

Every write locks the session row first, so a save or submission and a phase
change cannot interleave, then the preparation row.

A save names the version the person started from. When a colleague saved in
between, the save is merged field by field against that version (a three-way
merge, with the stored revision of that version as the base): a field only the
colleague changed keeps their value, a field only this person changed gets
theirs, and a field both changed to different values is a conflict. Conflicts
are never written over: the save is refused with ``PreparationConflict``, which
carries both texts. Without the base revision every differing field counts as a
conflict, so nothing is ever reverted silently.

The fields, as keys of a revision's ``values``: ``applies:<motive code>`` (True,
False or None), ``outcome:<motive code>``, and per other-motive slot (1 to 3)
``other_text:<slot>``, ``other_cluster:<slot>`` (a cluster code or None) and
``other_outcome:<slot>``; ``priority:<motive code>`` (1, 2, 3 or None) and
``open_motives`` (the organisation's motives in its own words) were added later,
so a revision without them reads them as empty.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motives.models import Cluster, Motive
from partnerships.models import User
from sessions.models import (
    MAX_OTHER_MOTIVES,
    MAX_PARTICIPANTS,
    PRIORITIES,
    REASON_MAX_LENGTH,
    REVISIONS_KEPT,
    Answer,
    DialogueSession,
    OtherMotive,
    Participant,
    ParticipantRole,
    Preparation,
    PreparationExtra,
    PreparationRevision,
)
from sessions.policy import phases
from sessions.preparation.selectors import previous_answers
from sms_tool.errors import DomainError

OTHER_SLOTS = range(1, MAX_OTHER_MOTIVES + 1)
OTHER_PARTS = ("other_text", "other_cluster", "other_outcome")


@dataclass(frozen=True)
class AnswerInput:
    applies: bool | None
    intended_outcome: str = ""
    priority: int | None = None

    @property
    def empty(self) -> bool:
        return self.applies is None and not self.intended_outcome.strip() and not self.priority


@dataclass(frozen=True)
class OtherMotiveInput:
    cluster: Cluster | None
    text: str
    intended_outcome: str = ""


# --- the fields of a format, as a flat dictionary ------------------------------


def applies_key(code: str) -> str:
    return f"applies:{code}"


def outcome_key(code: str) -> str:
    return f"outcome:{code}"


def other_key(part: str, slot: int) -> str:
    return f"{part}:{slot}"


def priority_key(code: str) -> str:
    return f"priority:{code}"


OPEN_MOTIVES_KEY = "open_motives"


def empty_value(key: str) -> str | None:
    return None if key.startswith(("applies:", "other_cluster:", "priority:")) else ""


def _prefetched(preparation: Preparation, name: str) -> bool:
    """Whether the view prefetched ``name`` for this row (the format page reads it three times)."""
    return name in getattr(preparation, "_prefetched_objects_cache", {})


def open_motives_of(preparation: Preparation) -> str:
    related = Preparation.extra.related
    extra: PreparationExtra | None
    if related.is_cached(preparation):  # prefetched by the format page (None: no row)
        extra = cast("PreparationExtra | None", related.get_cached_value(preparation))
    else:
        extra = PreparationExtra.objects.filter(preparation=preparation).first()
    return extra.open_motives if extra else ""


def stored_values(preparation: Preparation, motives: Iterable[Motive]) -> dict[str, Any]:
    """The format as stored now: every offered motive and every other-motive slot."""
    values: dict[str, Any] = {}
    codes: dict[int, str] = {}
    for motive in motives:
        codes[motive.pk] = motive.code
        values[applies_key(motive.code)] = None
        values[outcome_key(motive.code)] = ""
        values[priority_key(motive.code)] = None
    answers = (
        preparation.answers.all()
        if _prefetched(preparation, "answers")
        else preparation.answers.select_related("motive")
    )
    for answer in answers:
        code = codes.get(answer.motive_id) or answer.motive.code
        values[applies_key(code)] = answer.applies
        values[outcome_key(code)] = answer.intended_outcome
        values[priority_key(code)] = answer.priority
    values[OPEN_MOTIVES_KEY] = open_motives_of(preparation)
    for slot in OTHER_SLOTS:
        for part in OTHER_PARTS:
            key = other_key(part, slot)
            values[key] = empty_value(key)
    others = (
        preparation.other_motives.all()
        if _prefetched(preparation, "other_motives")
        else preparation.other_motives.select_related("cluster")
    )
    for other in others:
        values[other_key("other_text", other.position)] = other.text
        values[other_key("other_cluster", other.position)] = (
            other.cluster.code if other.cluster else None
        )
        values[other_key("other_outcome", other.position)] = other.intended_outcome
    return values


def _same(a: object, b: object) -> bool:
    """Equal as a person reads them: line endings and surrounding white space do not count."""
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()
    return a == b


def _value(values: Mapping[str, Any], key: str) -> Any:
    return values.get(key, empty_value(key))


@dataclass
class Merge:
    """The outcome of merging one save with what colleagues saved since its base."""

    values: dict[str, Any]  # what to store; on a conflicting field: this person's value
    conflicts: list[str] = field(default_factory=list)  # keys both changed differently
    kept_theirs: list[str] = field(default_factory=list)  # keys where a colleague's value was kept
    base_missing: bool = False


def merge(
    *,
    base: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    mine: Mapping[str, Any],
    changed_by_others: Callable[[str], bool],
) -> Merge:
    """Three-way merge per field. ``base`` is None when that revision is gone.

    ``changed_by_others(key)`` says whether anyone but the saving person changed
    the field since the base, so that a person's own earlier save (an autosave,
    a double click) never conflicts with their next one.
    """
    result = Merge(values=dict(current), base_missing=base is None)
    for key in sorted(set(current) | set(mine)):
        theirs, own = _value(current, key), _value(mine, key)
        if _same(own, theirs):
            result.values[key] = theirs
        elif base is not None and not changed_by_others(key):
            result.values[key] = own
        elif base is not None and _same(own, _value(base, key)):
            result.values[key] = theirs
            result.kept_theirs.append(key)
        else:
            result.values[key] = own
            result.conflicts.append(key)
    return result


class PreparationConflict(DomainError):
    """Someone saved the format after this person opened it, and changed the same fields.

    ``current`` is the stored preparation, ``theirs`` its values, ``merge`` the
    merged values with this person's value on each conflicting field.
    """

    def __init__(
        self,
        current: Preparation,
        merge: Merge | None = None,
        theirs: Mapping[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.current = current
        self.merge = merge or Merge(values={})
        self.theirs = theirs or {}
        if name is None:
            name = current.updated_by.get_full_name() if current.updated_by else _("someone")
        count = len(self.merge.conflicts)
        if merge is None:
            super().__init__(
                _("%(name)s changed this format after you opened it.") % {"name": name}
            )
            return
        if self.merge.base_missing:
            detail = _(
                "This page was opened before many later saves, so every field where your "
                "version differs from the saved one is shown."
            )
        else:
            detail = ngettext(
                "You both changed %(count)d field.",
                "You both changed %(count)d fields.",
                count,
            ) % {"count": count}
        super().__init__(
            _(
                "%(name)s saved this format while you were editing it. %(detail)s Your "
                "text is still in the form below, with the saved text next to it. Choose "
                "what to keep and save again, or discard your changes."
            )
            % {"name": name, "detail": detail}
        )

    @property
    def conflicts(self) -> list[str]:
        return self.merge.conflicts


def offered_motives(preparation: Preparation) -> list[Motive]:
    """The active motives of the session's catalogue (compact or extended) for the
    organisation's partner type, in catalogue order."""
    return list(
        Motive.objects.active()
        .in_catalogue(preparation.session.catalogue)
        .for_partner_type(preparation.organisation.partner_type)
        .in_catalogue_order()
    )


def _lock(preparation: Preparation) -> tuple[DialogueSession, Preparation]:
    session = DialogueSession.objects.select_for_update().get(pk=preparation.session_id)
    current = (
        Preparation.objects.select_for_update(of=("self",))
        .select_related("organisation", "updated_by")
        .get(pk=preparation.pk)
    )
    current.session = session
    return session, current


def _require_member(session: DialogueSession, current: Preparation, by: User) -> None:
    """Checked on the locked row: a membership ended meanwhile no longer writes."""
    if by is None or not phases.works_on_preparation(phases.roles_for(by, session), current):
        raise DomainError(
            _("Only members of %(organisation)s can change its format.")
            % {"organisation": current.organisation.name}
        )


def _require_helper(session: DialogueSession, current: Preparation, by: User) -> None:
    """A member or the organisation's Fase 1 guide: they may change the draft (not submit it)."""
    if by is None or not phases.helps_with_preparation(phases.roles_for(by, session), current):
        raise DomainError(
            _("Only members of %(organisation)s and its process guide can change its format.")
            % {"organisation": current.organisation.name}
        )


def _require_open(session: DialogueSession, current: Preparation) -> None:
    reason = phases.preparation_closed_reason(session, current)
    if reason:
        raise DomainError(reason)


def _snapshot(current: Preparation, motives: Iterable[Motive]) -> PreparationRevision:
    """The revision of the stored version, written first if it is missing (a new or imported format)."""
    revision = PreparationRevision.objects.filter(
        preparation=current, version=current.version
    ).first()
    if revision is None:
        revision = PreparationRevision.objects.create(
            preparation=current,
            version=current.version,
            values=stored_values(current, motives),
            saved_by=current.updated_by,
        )
    return revision


def _record(current: Preparation, values: Mapping[str, Any], by: User | None) -> None:
    """Raise the version and keep its revision; drop revisions beyond REVISIONS_KEPT."""
    current.version += 1
    PreparationRevision.objects.create(
        preparation=current, version=current.version, values=values, saved_by=by
    )
    PreparationRevision.objects.filter(
        preparation=current, version__lte=current.version - REVISIONS_KEPT
    ).delete()


def _mine(
    current_values: Mapping[str, Any],
    answers: Mapping[str, AnswerInput],
    other_motives: Sequence[OtherMotiveInput],
    open_motives: str | None = None,
) -> dict[str, Any]:
    """What this person's save asks for, over the stored values (absent motives stay as stored)."""
    mine = dict(current_values)
    for code, given in answers.items():
        mine[applies_key(code)] = given.applies
        mine[outcome_key(code)] = given.intended_outcome
        mine[priority_key(code)] = given.priority
    if open_motives is not None:
        mine[OPEN_MOTIVES_KEY] = open_motives
    slots = list(other_motives) + [None] * (MAX_OTHER_MOTIVES - len(other_motives))
    for slot, other in zip(OTHER_SLOTS, slots, strict=True):
        text = other.text if other else ""
        mine[other_key("other_text", slot)] = text
        mine[other_key("other_cluster", slot)] = (
            other.cluster.code if other and text and other.cluster else None
        )
        mine[other_key("other_outcome", slot)] = other.intended_outcome if other and text else ""
    return mine


def _merge_with_colleagues(
    current: Preparation,
    base_version: int,
    current_values: Mapping[str, Any],
    mine: Mapping[str, Any],
    by: User | None,
) -> tuple[Merge, str | None]:
    revisions = {
        revision.version: revision
        for revision in PreparationRevision.objects.filter(
            preparation=current, version__gte=base_version, version__lte=current.version
        )
    }
    base = revisions.get(base_version)
    # Revisions, or None where one is gone; read only when complete (none is None).
    chain: list[Any] = [
        revisions.get(version) for version in range(base_version, current.version + 1)
    ]
    complete = None not in chain
    by_pk = by.pk if by is not None else None

    def changed_by_others(key: str) -> bool:
        if not complete:
            return True
        return any(
            not _same(_value(later.values, key), _value(earlier.values, key))
            and later.saved_by_id != by_pk
            for earlier, later in zip(chain, chain[1:], strict=False)
        )

    result = merge(
        base=base.values if base else None,
        current=current_values,
        mine=mine,
        changed_by_others=changed_by_others,
    )
    name = None
    if complete and result.conflicts:
        for revision in reversed(chain[1:]):
            if revision.saved_by_id not in (None, by_pk) and revision.saved_by:
                name = revision.saved_by.get_full_name()
                break
    return result, name


def _apply(
    current: Preparation,
    motives: Iterable[Motive],
    current_values: Mapping[str, Any],
    values: Mapping[str, Any],
) -> None:
    """Write the fields of ``values`` that differ from what is stored."""
    stored = {answer.motive.code: answer for answer in current.answers.select_related("motive")}
    to_create, to_update, to_delete = [], [], []
    for motive in motives:
        code = motive.code
        applies = _value(values, applies_key(code))
        outcome = _value(values, outcome_key(code))
        priority = _value(values, priority_key(code))
        answer = stored.get(code)
        if applies is None and not outcome.strip() and not priority:
            if answer:
                to_delete.append(answer.pk)
        elif answer is None:
            to_create.append(
                Answer(
                    preparation=current,
                    motive=motive,
                    applies=applies,
                    intended_outcome=outcome,
                    priority=priority,
                )
            )
        elif (answer.applies, answer.intended_outcome, answer.priority) != (
            applies,
            outcome,
            priority,
        ):
            answer.applies, answer.intended_outcome = applies, outcome
            answer.priority = priority
            answer.copied_from_previous = False  # changed and saved: confirmed
            to_update.append(answer)
    Answer.objects.filter(pk__in=to_delete).delete()
    # Priorities are unique per format: clear the moved ones first, so that swapping
    # 1 and 2 never meets the database rule halfway.
    Answer.objects.filter(pk__in=[a.pk for a in to_update]).update(priority=None)
    Answer.objects.bulk_update(
        to_update, ["applies", "intended_outcome", "priority", "copied_from_previous"]
    )
    Answer.objects.bulk_create(to_create)
    open_motives = _value(values, OPEN_MOTIVES_KEY)
    if open_motives != _value(current_values, OPEN_MOTIVES_KEY):
        PreparationExtra.objects.update_or_create(
            preparation=current, defaults={"open_motives": open_motives}
        )

    clusters = {cluster.code: cluster for cluster in Cluster.objects.all()}
    others = {other.position: other for other in current.other_motives.all()}
    for slot in OTHER_SLOTS:
        parts = [other_key(part, slot) for part in OTHER_PARTS]
        if all(_value(values, key) == _value(current_values, key) for key in parts):
            continue
        text, cluster, outcome = (_value(values, key) for key in parts)
        existing = others.get(slot)
        if not text:
            if existing:
                existing.delete()
            continue
        other = existing or OtherMotive(preparation=current, position=slot)
        other.text = text
        other.cluster = clusters.get(cluster)
        other.intended_outcome = outcome
        other.save()


def priority_problem(values: Mapping[str, Any], motives: Iterable[Motive]) -> str | None:
    """Why the priorities in ``values`` cannot be stored, or None: 1, 2 and 3 each at
    most once, and only on a motive that applies."""
    given: dict[int, Motive] = {}
    for motive in motives:
        priority = values.get(priority_key(motive.code))
        if priority is None:
            continue
        if priority not in PRIORITIES:
            return _("A priority is 1, 2 or 3.")
        if values.get(applies_key(motive.code)) is not True:
            return _(
                "“%(motive)s” has priority %(priority)d but does not apply: only a motive "
                "that applies can be one of your three most important."
            ) % {"motive": motive.label, "priority": priority}
        if priority in given:
            return _(
                "Priority %(priority)d is given to both “%(first)s” and “%(second)s”; "
                "each priority can be given once."
            ) % {"priority": priority, "first": given[priority].label, "second": motive.label}
        given[priority] = motive
    return None


@transaction.atomic
def preparation_save(
    *,
    preparation: Preparation,
    by: User,
    answers: Mapping[str, AnswerInput],
    other_motives: Sequence[OtherMotiveInput],
    base_version: int,
    open_motives: str | None = None,
) -> Preparation:
    """Store the format as typed, merged with what colleagues saved since ``base_version``.

    ``answers`` maps motive code to AnswerInput (motives left out stay as stored);
    ``other_motives`` lists the other-motive slots in order, an empty text being an
    empty slot. Raises PreparationConflict when a colleague changed a field this
    person changed too. The returned preparation has ``kept_theirs``: the keys of the
    fields a colleague changed whose value was kept (this person had not changed them).
    A save that changes nothing (a form sent twice) keeps the version as it is.
    """
    session, current = _lock(preparation)
    _require_helper(session, current, by)
    _require_open(session, current)
    if len(other_motives) > MAX_OTHER_MOTIVES:
        raise DomainError(_("At most three other motives can be given."))

    motives = offered_motives(current)
    unknown = set(answers) - {motive.code for motive in motives}
    if unknown:
        raise DomainError(
            _("These motives are not part of your format: %(codes)s")
            % {"codes": ", ".join(sorted(unknown))}
        )
    current_values = stored_values(current, motives)
    _snapshot(current, motives)
    mine = _mine(current_values, answers, other_motives, open_motives)
    if base_version == current.version:
        result = Merge(values=mine)
    else:
        result, name = _merge_with_colleagues(current, base_version, current_values, mine, by)
        if result.conflicts:
            raise PreparationConflict(current, result, current_values, name)
    problem = priority_problem(result.values, motives)
    if problem:
        raise DomainError(problem)
    cast(Any, current).kept_theirs = list(result.kept_theirs)
    if all(_same(_value(result.values, k), _value(current_values, k)) for k in result.values):
        return current
    _apply(current, motives, current_values, result.values)
    _record(current, result.values, by)
    current.updated_by = by
    current.save(update_fields=["version", "updated_by", "updated_at"])
    return current


def unanswered_motives(preparation: Preparation) -> list[Motive]:
    answered = set(preparation.answers.exclude(applies=None).values_list("motive__code", flat=True))
    return [motive for motive in offered_motives(preparation) if motive.code not in answered]


def _record_unchanged(current: Preparation, by: User | None) -> None:
    """Submitting and withdrawing raise the version without changing a field."""
    motives = offered_motives(current)
    revision = _snapshot(current, motives)
    _record(current, revision.values, by)


@transaction.atomic
def preparation_submit(
    *,
    preparation: Preparation,
    by: User,
    base_version: int,
    participants_reason: str | None = None,
    confirm_copied: bool = False,
) -> Preparation:
    """Submit the format. Without a manager and a staff member among its participants it
    needs ``participants_reason`` (why not); a submission with them keeps no reason.

    Answers copied from the previous round that nobody confirmed yet are refused with
    ``UnconfirmedCopies`` (which lists them) unless ``confirm_copied``: the person
    then confirms them all by submitting."""
    session, current = _lock(preparation)
    if current.version != base_version:
        raise PreparationConflict(current)
    _require_member(session, current, by)
    _require_open(session, current)
    unconfirmed = unconfirmed_copied_motives(current)
    if unconfirmed and not confirm_copied:
        raise UnconfirmedCopies(unconfirmed)
    missing = missing_participant_roles(current)
    reason = (participants_reason or "").strip()
    if missing and not reason:
        raise DomainError(participants_message(missing))
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        )
    PreparationExtra.objects.update_or_create(
        preparation=current, defaults={"participants_reason": reason if missing else ""}
    )
    if unconfirmed:
        current.answers.filter(copied_from_previous=True).update(copied_from_previous=False)
    _record_unchanged(current, by)
    current.submitted_at = timezone.now()
    current.submitted_by = by
    current.save(update_fields=["submitted_at", "submitted_by", "version", "updated_at"])
    return current


@transaction.atomic
def preparation_withdraw(*, preparation: Preparation, by: User) -> Preparation:
    session, current = _lock(preparation)
    _require_member(session, current, by)
    reason = phases.withdraw_closed_reason(session, current)
    if reason:
        raise DomainError(reason)
    _record_unchanged(current, by)
    current.submitted_at = None
    current.submitted_by = None
    current.updated_by = by
    current.save(
        update_fields=["submitted_at", "submitted_by", "version", "updated_by", "updated_at"]
    )
    return current


# --- who took part in the internal discussion -------------------------------------

REQUIRED_ROLES = (ParticipantRole.MANAGER, ParticipantRole.STAFF)


@dataclass(frozen=True)
class ParticipantInput:
    name: str
    role: str


def missing_participant_roles(preparation: Preparation) -> list[str]:
    """The roles the seed asks for ("in elk geval de leidinggevende en medewerker") that no
    participant has."""
    roles = set(preparation.participants.values_list("role", flat=True))
    return [role for role in REQUIRED_ROLES if role not in roles]


def participants_message(missing: Sequence[str]) -> str:
    if len(missing) == len(REQUIRED_ROLES):
        return _(
            "Nobody is listed as manager or as staff member among the people who took part. "
            "The format asks that at least the manager and a staff member who takes part "
            "discuss it. Add them, or give the reason why not to submit anyway."
        )
    if ParticipantRole.MANAGER in missing:
        return _(
            "No manager is listed among the people who took part. The format asks that at "
            "least the manager and a staff member discuss it. Add the manager, or give the "
            "reason why not to submit anyway."
        )
    return _(
        "No staff member is listed among the people who took part. The format asks that at "
        "least the manager and a staff member discuss it. Add the staff member, or give the "
        "reason why not to submit anyway."
    )


@transaction.atomic
def participants_save(
    *, preparation: Preparation, by: User, participants: list[ParticipantInput]
) -> Preparation:
    """Replace the list of people who took part; only while the format can be changed."""
    session, current = _lock(preparation)
    _require_member(session, current, by)
    _require_open(session, current)
    people = [p for p in participants if p.name.strip()]
    if len(people) > MAX_PARTICIPANTS:
        raise DomainError(_("At most %(max)d people can be listed.") % {"max": MAX_PARTICIPANTS})
    for person in people:
        if person.role not in ParticipantRole.values:
            raise DomainError(_("Choose a role for %(name)s.") % {"name": person.name.strip()})
    current.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(preparation=current, position=position, name=p.name.strip(), role=p.role)
        for position, p in enumerate(people, start=1)
    )
    current.updated_by = by
    current.save(update_fields=["updated_by", "updated_at"])
    return current


# --- a next round starts from the previous one --------------------------------------


def unconfirmed_copied_motives(preparation: Preparation) -> list[Motive]:
    """The motives whose answer was copied from the previous round and not confirmed yet."""
    return [
        answer.motive
        for answer in preparation.answers.filter(copied_from_previous=True).select_related(
            "motive__cluster"
        )
    ]


class UnconfirmedCopies(DomainError):
    """Submitting while answers copied from the previous round are not confirmed."""

    def __init__(self, motives: Sequence[Motive]) -> None:
        self.motives = list(motives)
        super().__init__(
            ngettext(
                "%(count)d answer was copied from the previous round and nobody confirmed it "
                "yet: %(motives)s. Check it and confirm it to submit.",
                "%(count)d answers were copied from the previous round and nobody confirmed "
                "them yet: %(motives)s. Check them and confirm them to submit.",
                len(self.motives),
            )
            % {
                "count": len(self.motives),
                "motives": ", ".join(f"“{motive.label}”" for motive in self.motives),
            },
            field="confirm_copied",
        )


@dataclass(frozen=True)
class CopyResult:
    """How many of last round's answers were copied, and how many were skipped because
    the motive already has an answer this round."""

    copied: int
    skipped: int


def _copyable(answer: Answer) -> bool:
    return answer.applies is not None or bool(answer.intended_outcome.strip())


def copyable_previous_count(
    preparation: Preparation,
    motives: Iterable[Motive] | None = None,
    *,
    previous: dict[int, Answer] | None = None,
    answered: set[int] | None = None,
) -> int:
    """How many answers of the previous round would fill an empty answer now (0 without one).

    ``motives`` (the offered motives), ``previous`` (``previous_answers``) and ``answered``
    (the motive ids answered this round) are read here unless the caller has them already.
    """
    if preparation.session.previous_id is None:
        return 0
    if previous is None:
        previous = previous_answers(preparation)
    if answered is None:
        answered = set(preparation.answers.values_list("motive_id", flat=True))
    offered = {
        motive.pk for motive in (offered_motives(preparation) if motives is None else motives)
    }
    return sum(
        1
        for motive_id, answer in previous.items()
        if motive_id in offered and motive_id not in answered and _copyable(answer)
    )


@transaction.atomic
def preparation_copy_previous(*, preparation: Preparation, by: User) -> CopyResult:
    """Copy the organisation's submitted answers of the previous round into this format.

    Only motives without an answer this round are filled, so nothing a partner typed
    is overwritten; each copied answer is marked until a partner confirms it. A copied
    priority is kept only when no answer of this round has that priority already.
    """
    session, current = _lock(preparation)
    _require_member(session, current, by)
    _require_open(session, current)
    previous = previous_answers(current) if session.previous_id is not None else {}
    if not previous:
        raise DomainError(
            _("%(organisation)s has no submitted format in a previous round to copy from.")
            % {"organisation": current.organisation.name}
        )
    motives = offered_motives(current)
    _snapshot(current, motives)
    stored = {answer.motive_id: answer for answer in current.answers.all()}
    used = {answer.priority for answer in stored.values() if answer.priority}
    to_create: list[Answer] = []
    skipped = 0
    for motive in motives:
        last = previous.get(motive.pk)
        if last is None or not _copyable(last):
            continue
        if motive.pk in stored:
            skipped += 1
            continue
        priority = last.priority if last.applies is True and last.priority not in used else None
        if priority:
            used.add(priority)
        to_create.append(
            Answer(
                preparation=current,
                motive=motive,
                applies=last.applies,
                intended_outcome=last.intended_outcome,
                priority=priority,
                copied_from_previous=True,
            )
        )
    if to_create:
        Answer.objects.bulk_create(to_create)
        # The revision is nobody's save: a page of this person opened before the copy
        # (another tab) then merges as with a colleague's save and keeps the copies,
        # instead of emptying them as its own older save would.
        _record(current, stored_values(current, motives), None)
        current.updated_by = by
        current.save(update_fields=["version", "updated_by", "updated_at"])
    return CopyResult(copied=len(to_create), skipped=skipped)


@transaction.atomic
def copied_answers_confirm(
    *, preparation: Preparation, by: User, codes: Collection[str] | None = None
) -> int:
    """Confirm copied answers (those of ``codes``, or all): the mark goes, the answer stays.

    Returns how many were confirmed.
    """
    session, current = _lock(preparation)
    _require_member(session, current, by)
    _require_open(session, current)
    answers = current.answers.filter(copied_from_previous=True)
    if codes is not None:
        answers = answers.filter(motive__code__in=list(codes))
    return answers.update(copied_from_previous=False)
