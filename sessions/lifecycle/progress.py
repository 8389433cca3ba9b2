"""How far each organisation is with its preparation: status, who, when — never content.

Coordinators and facilitators see this for every organisation (see
``phases.can_see_progress``); members see it for their own organisation.
Whatever the number of organisations, it costs two queries.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sessions.models import Preparation


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


# Status is never shown by colour alone: a symbol and the text go with it.
SYMBOLS = {Status.NOT_STARTED: "○", Status.IN_PROGRESS: "◐", Status.SUBMITTED: "✓"}
BADGES = {
    Status.NOT_STARTED: "text-bg-light border",
    Status.IN_PROGRESS: "text-bg-warning",
    Status.SUBMITTED: "text-bg-success",
}


def with_work_counts(preparations: QuerySet[Preparation]) -> QuerySet[Preparation]:
    """Annotate how much was filled in (counts only), for the status of each preparation.

    An answer counts as work once it says yes or no or has an intended outcome.
    """
    return preparations.annotate(
        answered_count=Count("answers", filter=Q(answers__applies__isnull=False), distinct=True),
        outcome_count=Count("answers", filter=~Q(answers__intended_outcome=""), distinct=True),
        other_count=Count("other_motives", distinct=True),
    )


def status_of(preparation: Any) -> str:
    """The status of a preparation annotated by ``with_work_counts``."""
    if preparation.submitted_at is not None:
        return Status.SUBMITTED
    if preparation.answered_count or preparation.outcome_count or preparation.other_count:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


@dataclass(frozen=True)
class PreparationProgress:
    preparation: Preparation
    status: str
    members: list

    @property
    def organisation(self):
        return self.preparation.organisation

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def symbol(self):
        return SYMBOLS[self.status]

    @property
    def badge(self):
        return BADGES[self.status]

    @property
    def answered_count(self):
        return self.preparation.answered_count

    @property
    def started(self):
        return self.status != Status.NOT_STARTED

    @property
    def submitted(self):
        return self.status == Status.SUBMITTED

    @property
    def last_edited_by(self):
        return self.preparation.updated_by if self.started else None

    @property
    def last_edited_at(self):
        return self.preparation.updated_at if self.started else None


def session_progress(session, *, organisation_ids=None):
    """One ``PreparationProgress`` per organisation of the session, education first.

    ``organisation_ids`` limits the rows, for a member who sees only their own.
    """
    User = get_user_model()
    preparations = Preparation.objects.filter(session=session)
    if organisation_ids is not None:
        preparations = preparations.filter(organisation_id__in=organisation_ids)
    preparations = (
        with_work_counts(preparations)
        .select_related("organisation", "updated_by", "submitted_by")
        .prefetch_related(
            Prefetch(
                "organisation__members",
                queryset=User.objects.only("id", "name", "email", "anonymised_at").order_by(
                    "name", "email"
                ),
            )
        )
        .order_by("organisation__partner_type", "organisation__name")
    )
    return [
        PreparationProgress(
            preparation=preparation,
            status=status_of(preparation),
            members=list(preparation.organisation.members.all()),
        )
        for preparation in preparations
    ]
