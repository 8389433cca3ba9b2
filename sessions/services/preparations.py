"""Writes to one organisation's format (Fase 1): save, submit, withdraw.

Every write locks the session row first, so a save or submission and a phase
change cannot interleave, then checks the version the person started from:
two saves of the same version never silently overwrite each other.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motives.models import Motive
from partnerships.errors import DomainError
from sessions.models import (
    MAX_OTHER_MOTIVES,
    Answer,
    DialogueSession,
    OtherMotive,
    Phase,
    Preparation,
)


@dataclass(frozen=True)
class AnswerInput:
    applies: bool | None
    intended_outcome: str = ""

    @property
    def empty(self):
        return self.applies is None and not self.intended_outcome.strip()


@dataclass(frozen=True)
class OtherMotiveInput:
    cluster: object  # Cluster or None
    text: str
    intended_outcome: str = ""


class PreparationConflict(DomainError):
    """Someone saved the format after this person opened it; ``current`` is what is stored now."""

    def __init__(self, current):
        self.current = current
        name = current.updated_by.get_full_name() if current.updated_by else _("someone")
        super().__init__(
            _(
                "%(name)s saved this format while you were editing it. Your version is "
                "still in the form below; where the saved version differs, it is shown "
                "next to yours. Save again to keep your version, or discard yours."
            )
            % {"name": name}
        )


def offered_motives(preparation):
    """The active catalogue motives for the organisation's partner type, in catalogue order."""
    return list(
        Motive.objects.active()
        .for_partner_type(preparation.organisation.partner_type)
        .in_catalogue_order()
    )


def _lock(preparation, base_version=None):
    session = DialogueSession.objects.select_for_update().get(pk=preparation.session_id)
    current = (
        Preparation.objects.select_for_update(of=("self",))
        .select_related("organisation", "updated_by")
        .get(pk=preparation.pk)
    )
    if base_version is not None and current.version != base_version:
        raise PreparationConflict(current)
    return session, current


def _require_open(session, current):
    if session.phase != Phase.PREPARATION:
        raise DomainError(
            _(
                "The format can only be changed while the session is in preparation; it is now in %(phase)s."
            )
            % {"phase": session.get_phase_display().lower()}
        )
    if current.submitted:
        raise DomainError(
            _("Your organisation has submitted this format. Withdraw the submission to change it.")
        )


@transaction.atomic
def preparation_save(*, preparation, by, answers, other_motives, base_version):
    """Store the format as typed: ``answers`` maps motive code to AnswerInput.

    Raises PreparationConflict when the stored version is newer than ``base_version``.
    """
    session, current = _lock(preparation, base_version)
    _require_open(session, current)
    if len(other_motives) > MAX_OTHER_MOTIVES:
        raise DomainError(_("At most three other motives can be given."))

    motives = {motive.code: motive for motive in offered_motives(current)}
    unknown = set(answers) - set(motives)
    if unknown:
        raise DomainError(
            _("These motives are not part of your format: %(codes)s")
            % {"codes": ", ".join(sorted(unknown))}
        )
    existing = {answer.motive.code: answer for answer in current.answers.select_related("motive")}
    to_create, to_update, to_delete = [], [], []
    for code, given in answers.items():
        stored = existing.get(code)
        if given.empty:
            if stored:
                to_delete.append(stored.pk)
        elif stored is None:
            to_create.append(
                Answer(
                    preparation=current,
                    motive=motives[code],
                    applies=given.applies,
                    intended_outcome=given.intended_outcome,
                )
            )
        elif (stored.applies, stored.intended_outcome) != (given.applies, given.intended_outcome):
            stored.applies = given.applies
            stored.intended_outcome = given.intended_outcome
            to_update.append(stored)
    Answer.objects.filter(pk__in=to_delete).delete()
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["applies", "intended_outcome"])

    current.other_motives.all().delete()
    OtherMotive.objects.bulk_create(
        OtherMotive(
            preparation=current,
            position=position,
            cluster=other.cluster,
            text=other.text,
            intended_outcome=other.intended_outcome,
        )
        for position, other in enumerate(other_motives, start=1)
    )
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["version", "updated_by", "updated_at"])
    return current


def unanswered_motives(preparation):
    answered = set(preparation.answers.exclude(applies=None).values_list("motive__code", flat=True))
    return [motive for motive in offered_motives(preparation) if motive.code not in answered]


@transaction.atomic
def preparation_submit(*, preparation, by, base_version):
    session, current = _lock(preparation, base_version)
    _require_open(session, current)
    current.submitted_at = timezone.now()
    current.submitted_by = by
    current.version += 1
    current.save(update_fields=["submitted_at", "submitted_by", "version", "updated_at"])
    return current


@transaction.atomic
def preparation_withdraw(*, preparation, by):
    session, current = _lock(preparation)
    if session.phase != Phase.PREPARATION:
        raise DomainError(
            _("A submission can only be withdrawn while the session is in preparation.")
        )
    if not current.submitted:
        raise DomainError(_("This format has not been submitted."))
    current.submitted_at = None
    current.submitted_by = None
    current.version += 1
    current.updated_by = by
    current.save(
        update_fields=["submitted_at", "submitted_by", "version", "updated_by", "updated_at"]
    )
    return current
