"""A member submits while the coordinator opens the joint dialogue, at the same moment (issue 7).

Both lock the session row first, so one goes before the other, never in between.
Whatever the order, the end state is consistent: the dialogue opens only when the
submissions the service counted meet the rule (at least two), no submission is
recorded after it opened, and a submission that came too late is refused with
the reason.
"""

from functools import partial

import pytest
from django.utils import timezone

from partnerships.models import PartnerType
from sessions.lifecycle.services import session_advance_phase
from sessions.models import DialogueSession, Phase, Preparation
from sessions.policy import phases
from sessions.preparation.services import preparation_submit
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10
# (submit, open) delays: either may be held back a little, or neither.
ORDERINGS = [(0.1, 0), (0, 0.1), (0, 0)]
LATE_SUBMISSION = (
    "The format can only be changed while the session is in preparation; "
    "it is now in joint dialogue."
)


@pytest.fixture
def counted(monkeypatch):
    """The number of submitted organisations the phase service saw, per session."""
    seen = {}
    real = phases.can_open_next_phase

    def recording(roles, session, *, submitted_count):
        seen[session.pk] = submitted_count
        return real(roles, session, submitted_count=submitted_count)

    monkeypatch.setattr(phases, "can_open_next_phase", recording)
    return seen


def session_in_preparation(round_number, *, already_submitted):
    """Three organisations; ``already_submitted`` of them have submitted, the last one not yet."""
    community = factories.LearningCommunityFactory(name=f"Race {round_number}")
    dave = factories.UserFactory(email=f"dave{round_number}@example.org", name="Dave")
    community.coordinators.add(dave)
    session = factories.DialogueSessionFactory(community=community, phase=Phase.PREPARATION)
    preparations = []
    for number, partner_type in enumerate([PartnerType.EDUCATION, *[PartnerType.PRACTICE] * 2]):
        organisation = factories.OrganisationFactory(
            name=f"Race {round_number} organisation {number}",
            partner_type=partner_type,
            community=community,
        )
        preparations.append(
            factories.PreparationFactory(
                session=session,
                organisation=organisation,
                submitted_at=timezone.now() if number < already_submitted else None,
            )
        )
    last = preparations[-1]
    member = factories.UserFactory(email=f"member{round_number}@example.org", name="Erin")
    factories.MembershipFactory(person=member, organisation=last.organisation)
    return session, dave, last, member


@pytest.mark.parametrize("already_submitted", [1, 2])
def test_a_submission_racing_the_opening_of_the_dialogue_ends_consistent(
    counted, already_submitted
):
    orders_seen = set()
    for round_number in range(ROUNDS):
        submit_delay, open_delay = ORDERINGS[round_number % len(ORDERINGS)]
        session, dave, last, member = session_in_preparation(
            f"{already_submitted}-{round_number}", already_submitted=already_submitted
        )

        submit, opening = run_at_once(
            partial(preparation_submit, preparation=last, by=member, base_version=last.version),
            partial(
                session_advance_phase, session=session, by=dave, expected_phase=Phase.PREPARATION
            ),
            delays=[submit_delay, open_delay],
        )

        stored = DialogueSession.objects.get(pk=session.pk)
        submitted = Preparation.objects.filter(session=session, submitted_at__isnull=False)
        last.refresh_from_db()
        if stored.phase == Phase.DIALOGUE:
            assert opening.value == Phase.DIALOGUE
            # The rule held for what the service counted, and nothing came in after.
            assert counted[session.pk] >= phases.MIN_SUBMITTED_FOR_DIALOGUE
            assert counted[session.pk] == submitted.count()
            assert all(p.submitted_at <= stored.updated_at for p in submitted)
            if submit.succeeded:
                assert last.submitted_by == member
                orders_seen.add("submitted, then opened")
            else:
                assert submit.error.message == LATE_SUBMISSION
                assert last.submitted_at is None
                orders_seen.add("opened, then refused the submission")
        else:
            # The dialogue stayed closed: too few had submitted when the service counted.
            assert stored.phase == Phase.PREPARATION
            assert counted[session.pk] < phases.MIN_SUBMITTED_FOR_DIALOGUE
            assert "needs at least 2 submitted organisations" in opening.error.message
            assert submit.succeeded and last.submitted_by == member
            assert submitted.count() == counted[session.pk] + 1
            orders_seen.add("refused to open, then submitted")

    # Both orders of the race really happened.
    assert len(orders_seen) == 2, orders_seen
