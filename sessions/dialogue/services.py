"""Writes to a session's joint results (Fase 2 and 3): joint motives, agreements, notes.

Keyword-only, one transaction each. Every write locks the session row first, so
two facilitators recording at once are serialised and a phase change cannot
slip in between, then asks ``sessions.phases`` again on the locked row.
Edits and deletes name the version the person started from: a stale version is
refused with a ``JointResultConflict`` that carries what is stored now. Adds
never conflict. Each successful write raises ``DialogueSession.version``, so a
screen that shows the session can poll for changes.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from motives.models import Motive
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    Agreement,
    DialogueSession,
    JointMotive,
    Note,
    Phase,
)
from sessions.policy import phases
from sms_tool.errors import DomainError


class JointResultConflict(DomainError):
    """Someone changed or deleted the item after this person opened it.

    ``current`` is the stored item, or None when it no longer exists.
    """

    def __init__(self, message, *, current=None):
        super().__init__(message)
        self.current = current


def _name_of(person):
    return person.get_full_name() if person else _("someone")


def lock_for_recording(session_pk, by):
    """The locked session row, if ``by`` may record joint results in it now."""
    locked = DialogueSession.objects.select_for_update().get(pk=session_pk)
    if locked.phase == Phase.CLOSED:
        raise DomainError(
            _("The session is closed: its joint results can no longer change. Nothing was saved.")
        )
    if locked.phase not in phases.RECORDING_PHASES:
        raise DomainError(
            _(
                "The session is not yet in the joint dialogue: joint results can be recorded "
                "once the dialogue has started."
            )
        )
    roles = phases.roles_for(by, locked)
    if not phases.can_record_joint_results(roles, locked):
        raise DomainError(
            _("Only the facilitators and coordinators of this session can record joint results.")
        )
    return locked


def bump(locked, given=None):
    """Raise the session's version: its joint results changed.

    ``given`` is the session or item the caller passed in; its copy of the session
    learns the new version too.
    """
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    if isinstance(given, DialogueSession):
        given.version = locked.version
    elif given is not None and type(given).session.is_cached(given):
        given.session.version = locked.version


def check_length(value, limit, label, field):
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is too long: at most %(limit)d characters, now %(length)d.")
            % {"label": label, "limit": limit, "length": len(value)},
            field=field,
        )


def _next_position(queryset):
    return (queryset.aggregate(highest=Max("position"))["highest"] or 0) + 1


def _current(model, item, locked, *, version, deleted_message, changed_message, by_field):
    """The stored item, if it still exists in this session at ``version``."""
    current = (
        model.objects.select_related(by_field).filter(pk=item.pk, session_id=locked.pk).first()
    )
    if current is None:
        raise JointResultConflict(deleted_message)
    if str(current.version) != str(version):
        raise JointResultConflict(
            changed_message % {"name": _name_of(getattr(current, by_field))}, current=current
        )
    return current


# --- joint motives -----------------------------------------------------------


def _clean_joint_motive(locked, *, motive, text, intended_outcome, keep=None):
    text = (text or "").strip()
    intended_outcome = (intended_outcome or "").strip()
    if motive is None and not text:
        raise DomainError(
            _("Choose a motive from the catalogue or describe the joint motive in your own words."),
            field="motive",
        )
    check_length(text, OTHER_MOTIVE_MAX_LENGTH, _("The own wording"), "text")
    check_length(intended_outcome, OUTCOME_MAX_LENGTH, _("The joint intended outcome"), "outcome")
    if motive is not None:
        unchanged = keep is not None and keep.motive_id == motive.pk
        if not unchanged and not Motive.objects.active().filter(pk=motive.pk).exists():
            raise DomainError(
                _("“%(motive)s” is no longer part of the motive catalogue.")
                % {"motive": motive.label},
                field="motive",
            )
        duplicates = JointMotive.objects.filter(session=locked, motive=motive)
        if keep is not None:
            duplicates = duplicates.exclude(pk=keep.pk)
        if duplicates.exists():
            raise DomainError(
                _("“%(motive)s” is already a joint motive of this session.")
                % {"motive": motive.label},
                field="motive",
            )
    return text, intended_outcome


@transaction.atomic
def joint_motive_add(*, session, by, motive=None, text="", intended_outcome=""):
    """A joint motive at the end of the list: a catalogue motive, own wording, or both."""
    locked = lock_for_recording(session.pk, by)
    text, intended_outcome = _clean_joint_motive(
        locked, motive=motive, text=text, intended_outcome=intended_outcome
    )
    joint_motive = JointMotive.objects.create(
        session=locked,
        position=_next_position(locked.joint_motives),
        motive=motive,
        text=text,
        intended_outcome=intended_outcome,
        updated_by=by,
    )
    bump(locked, session)
    return joint_motive


@transaction.atomic
def joint_motive_update(*, joint_motive, by, version, motive=None, text="", intended_outcome=""):
    locked = lock_for_recording(joint_motive.session_id, by)
    current = _current(
        JointMotive,
        joint_motive,
        locked,
        version=version,
        by_field="updated_by",
        deleted_message=_(
            "Someone deleted this joint motive while you were editing it. "
            "What you typed is still in the form: add it again if it is still needed."
        ),
        changed_message=_(
            "%(name)s changed this joint motive while you were editing it. What you typed "
            "is still in the form and the saved version is shown next to it. "
            "Save again to replace it with yours."
        ),
    )
    text, intended_outcome = _clean_joint_motive(
        locked, motive=motive, text=text, intended_outcome=intended_outcome, keep=current
    )
    current.motive = motive
    current.text = text
    current.intended_outcome = intended_outcome
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["motive", "text", "intended_outcome", "version", "updated_by"])
    bump(locked, joint_motive)
    return current


@transaction.atomic
def joint_motive_delete(*, joint_motive, by, version):
    locked = lock_for_recording(joint_motive.session_id, by)
    current = _current(
        JointMotive,
        joint_motive,
        locked,
        version=version,
        by_field="updated_by",
        deleted_message=_("This joint motive had already been deleted."),
        changed_message=_(
            "%(name)s changed this joint motive after you opened it; it was not deleted. "
            "Check the saved version below and delete it again if you still want to."
        ),
    )
    current.delete()
    bump(locked, joint_motive)


# --- agreements ---------------------------------------------------------------


def _clean_agreement(*, text, owner):
    text = (text or "").strip()
    owner = (owner or "").strip()
    if not text:
        raise DomainError(_("Describe what was agreed."), field="text")
    check_length(text, AGREEMENT_MAX_LENGTH, _("The agreement"), "text")
    check_length(owner, OWNER_MAX_LENGTH, _("Who"), "owner")
    return text, owner


@transaction.atomic
def agreement_add(*, session, by, text, owner="", due=None):
    """An agreement (what, who, when) at the end of the list."""
    locked = lock_for_recording(session.pk, by)
    text, owner = _clean_agreement(text=text, owner=owner)
    agreement = Agreement.objects.create(
        session=locked,
        position=_next_position(locked.agreements),
        text=text,
        owner=owner,
        due=due,
        updated_by=by,
    )
    bump(locked, session)
    return agreement


@transaction.atomic
def agreement_update(*, agreement, by, version, text, owner="", due=None):
    locked = lock_for_recording(agreement.session_id, by)
    current = _current(
        Agreement,
        agreement,
        locked,
        version=version,
        by_field="updated_by",
        deleted_message=_(
            "Someone deleted this agreement while you were editing it. "
            "What you typed is still in the form: add it again if it is still needed."
        ),
        changed_message=_(
            "%(name)s changed this agreement while you were editing it. What you typed "
            "is still in the form and the saved version is shown next to it. "
            "Save again to replace it with yours."
        ),
    )
    current.text, current.owner = _clean_agreement(text=text, owner=owner)
    current.due = due
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["text", "owner", "due", "version", "updated_by"])
    bump(locked, agreement)
    return current


@transaction.atomic
def agreement_delete(*, agreement, by, version):
    locked = lock_for_recording(agreement.session_id, by)
    current = _current(
        Agreement,
        agreement,
        locked,
        version=version,
        by_field="updated_by",
        deleted_message=_("This agreement had already been deleted."),
        changed_message=_(
            "%(name)s changed this agreement after you opened it; it was not deleted. "
            "Check the saved version below and delete it again if you still want to."
        ),
    )
    current.delete()
    bump(locked, agreement)


# --- notes --------------------------------------------------------------------


@transaction.atomic
def note_add(*, session, by, text, cluster=None):
    """A note about the dialogue, about one cluster or about the whole."""
    locked = lock_for_recording(session.pk, by)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the note before saving it."), field="text")
    check_length(text, NOTE_MAX_LENGTH, _("The note"), "text")
    note = Note.objects.create(session=locked, cluster=cluster, text=text, author=by)
    bump(locked, session)
    return note


@transaction.atomic
def note_delete(*, note, by, version):
    locked = lock_for_recording(note.session_id, by)
    current = _current(
        Note,
        note,
        locked,
        version=version,
        by_field="author",
        deleted_message=_("This note had already been deleted."),
        changed_message=_(
            "This note was changed after you opened it (last by %(name)s); it was not "
            "deleted. Check it below and delete it again if you still want to."
        ),
    )
    current.delete()
    bump(locked, note)
