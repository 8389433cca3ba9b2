"""Evaluation rounds: starting the next round, last round's answers, reviewing outcomes."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from motives.models import Motive
from sessions.dialogue import rounds
from sessions.models import TITLE_MAX_LENGTH, DialogueSession, OutcomeReview, Phase
from sessions.preparation.selectors import previous_answers
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in their English source, whatever the Dutch translation says."""
    translation.activate("en")


@pytest.fixture
def closed(session_with_two_organisations):
    session = session_with_two_organisations
    session.phase = Phase.CLOSED
    session.save()
    return session


def start(session, by=None, title="Evaluatie najaar", date=None):
    return rounds.session_start_next_round(
        session=session, by=by or session.people["dave"], title=title, date=date
    )


# --- the next round ------------------------------------------------------------------


def test_the_next_round_has_the_same_community_organisations_and_facilitators(closed):
    follow_up = start(closed, date=datetime.date(2026, 11, 5))
    follow_up.refresh_from_db()
    assert follow_up.community == closed.community
    assert follow_up.previous == closed
    assert follow_up.phase == Phase.DRAFT
    assert (follow_up.title, follow_up.date) == ("Evaluatie najaar", datetime.date(2026, 11, 5))
    assert set(follow_up.preparations.values_list("organisation__name", flat=True)) == {
        "Hogeschool Zuid",
        "Bouwbedrijf Noord",
    }
    assert not follow_up.preparations.filter(submitted_at__isnull=False).exists()
    assert list(follow_up.facilitators.all()) == [closed.people["carol"]]
    assert list(closed.next_rounds.all()) == [follow_up]


def test_the_next_round_keeps_the_sessions_choice_of_motives(closed):
    closed.catalogue = "compact"
    closed.save()
    follow_up = start(closed)
    follow_up.refresh_from_db()
    assert follow_up.catalogue == "compact"


def test_a_session_has_at_most_one_next_round(closed):
    first = start(closed)
    with pytest.raises(rounds.NextRoundExists) as refused:
        start(closed, title="Nog een ronde")
    assert refused.value.existing == first
    assert "already has a next round: “Evaluatie najaar”" in refused.value.message
    assert DialogueSession.objects.filter(previous=closed).count() == 1


@pytest.mark.parametrize(
    "phase", [Phase.DRAFT, Phase.PREPARATION, Phase.DIALOGUE, Phase.AGREEMENTS]
)
def test_only_a_closed_session_gets_a_next_round(closed, phase):
    closed.phase = phase
    closed.save()
    with pytest.raises(DomainError) as refused:
        start(closed)
    assert "starts from a closed session" in refused.value.message
    assert not closed.next_rounds.exists()


@pytest.mark.parametrize("name", ["alice", "carol", "mallory"])
def test_only_a_coordinator_starts_the_next_round(closed, name):
    with pytest.raises(DomainError, match="Only a coordinator"):
        start(closed, by=closed.people[name])
    assert not closed.next_rounds.exists()


@pytest.mark.parametrize("title", ["   ", "x" * (TITLE_MAX_LENGTH + 1)])
def test_the_next_round_needs_a_proper_title(closed, title):
    with pytest.raises(DomainError) as refused:
        start(closed, title=title)
    assert refused.value.field == "title"
    assert not closed.next_rounds.exists()


# --- last round's answers ------------------------------------------------------------


@pytest.fixture
def follow_up(closed):
    return start(closed)


def _answer(session, organisation, code, applies, outcome="", submitted=True):
    preparation = session.preparations.get(organisation=organisation)
    if submitted and not preparation.submitted:
        preparation.submitted_at = timezone.now()
        preparation.save()
    return factories.AnswerFactory(
        preparation=preparation,
        motive=Motive.objects.get(code=code),
        applies=applies,
        intended_outcome=outcome,
    )


def test_previous_answers_are_last_rounds_answers_of_the_same_organisation(closed, follow_up):
    network = _answer(closed, closed.education, "capital.network", True, "Meer stages")
    financial = _answer(closed, closed.education, "capital.financial", False)
    _answer(closed, closed.practice, "capital.innovation", True, "Van Bouwbedrijf")
    preparation = follow_up.preparations.get(organisation=closed.education)
    with CaptureQueriesContext(connection) as queries:
        answers = previous_answers(preparation)
    assert len(queries) == 1
    assert answers == {network.motive_id: network, financial.motive_id: financial}


def test_a_format_not_submitted_last_round_gives_no_previous_answers(closed, follow_up):
    _answer(closed, closed.education, "capital.network", True, "Concept", submitted=False)
    preparation = follow_up.preparations.get(organisation=closed.education)
    assert previous_answers(preparation) == {}


def test_a_first_round_has_no_previous_answers(closed):
    assert previous_answers(closed.preparations.first()) == {}


# --- reviewing the previous round ----------------------------------------------------


@pytest.fixture
def reviewing(closed, follow_up):
    """The follow-up round in the dialogue, with the previous round's results."""
    previous = closed
    follow_up.phase = Phase.DIALOGUE
    follow_up.save()
    follow_up.joint = factories.JointMotiveFactory(session=previous)
    follow_up.agreement = factories.AgreementFactory(session=previous)
    follow_up.people = previous.people
    return follow_up


def review(session, target, realised="yes", note="", version=None, by=None):
    return rounds.review_record(
        session=session,
        by=by or session.people["carol"],
        target=target,
        realised=realised,
        note=note,
        version=version,
    )


def test_a_review_records_whether_an_outcome_was_realised(reviewing):
    saved = review(reviewing, reviewing.joint, "partly", " Twee van de drie ")
    saved.refresh_from_db()
    assert (saved.joint_motive, saved.agreement) == (reviewing.joint, None)
    assert (saved.realised, saved.note, saved.version) == ("partly", "Twee van de drie", 1)
    assert saved.updated_by == reviewing.people["carol"]


def test_an_agreement_is_reviewed_and_the_review_can_be_changed(reviewing):
    first = review(reviewing, reviewing.agreement, "no")
    second = review(reviewing, reviewing.agreement, "yes", "Toch gelukt", version=first.version)
    assert second.pk == first.pk
    assert (second.realised, second.version) == ("yes", 2)
    assert OutcomeReview.objects.count() == 1


def test_a_review_without_a_verdict_keeps_realised_empty(reviewing):
    assert review(reviewing, reviewing.joint, "", "Nog bespreken").realised is None


def test_a_review_of_a_stale_version_is_refused_and_nothing_changes(reviewing):
    theirs = review(reviewing, reviewing.joint, "yes", "Van Dave", by=reviewing.people["dave"])
    with pytest.raises(rounds.ReviewConflict) as conflict:
        review(reviewing, reviewing.joint, "no", "Van Carol", version=None)
    assert "Dave saved the review of this item" in conflict.value.message
    assert conflict.value.current == theirs
    theirs.refresh_from_db()
    assert (theirs.realised, theirs.note, theirs.version) == ("yes", "Van Dave", 1)
    with pytest.raises(rounds.ReviewConflict):
        review(reviewing, reviewing.joint, "no", version=7)


def test_only_the_previous_rounds_items_are_reviewed(reviewing):
    elsewhere = factories.JointMotiveFactory()
    own = factories.AgreementFactory(session=reviewing)
    for target in (elsewhere, own, factories.NoteFactory(session=reviewing.previous)):
        with pytest.raises(DomainError, match="Only the previous round's"):
            review(reviewing, target)
    assert not OutcomeReview.objects.exists()


def test_a_first_round_has_nothing_to_review(session_with_two_organisations):
    session = session_with_two_organisations
    session.phase = Phase.DIALOGUE
    session.save()
    with pytest.raises(DomainError, match="no previous round"):
        review(session, factories.JointMotiveFactory())


@pytest.mark.parametrize(
    ("phase", "reason"),
    [(Phase.PREPARATION, "not yet in the joint dialogue"), (Phase.CLOSED, "closed")],
)
def test_reviews_are_recorded_only_during_the_dialogue_and_agreements(reviewing, phase, reason):
    reviewing.phase = phase
    reviewing.save()
    with pytest.raises(DomainError, match=reason):
        review(reviewing, reviewing.joint)
    assert not OutcomeReview.objects.exists()


def test_a_member_cannot_record_a_review(reviewing):
    with pytest.raises(DomainError, match="Only the facilitators and coordinators"):
        review(reviewing, reviewing.joint, by=reviewing.people["alice"])


def test_an_unknown_verdict_and_a_too_long_note_are_refused(reviewing):
    with pytest.raises(DomainError, match="no, partly or yes"):
        review(reviewing, reviewing.joint, "maybe")
    with pytest.raises(DomainError, match="at most 2000 characters"):
        review(reviewing, reviewing.joint, note="x" * 2001)


def test_a_review_raises_the_session_version(reviewing):
    before = reviewing.version
    review(reviewing, reviewing.joint)
    reviewing.refresh_from_db()
    assert reviewing.version == before + 1


def test_a_review_is_about_exactly_one_item(reviewing):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeReview.objects.create(session=reviewing)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeReview.objects.create(
            session=reviewing, joint_motive=reviewing.joint, agreement=reviewing.agreement
        )


@pytest.mark.parametrize("target", ["joint_motive", "agreement"])
def test_each_item_has_one_review_per_session(reviewing, target):
    item = reviewing.joint if target == "joint_motive" else reviewing.agreement
    OutcomeReview.objects.create(session=reviewing, **{target: item})
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeReview.objects.create(session=reviewing, **{target: item})


def test_review_targets_list_the_previous_round_with_this_rounds_reviews(reviewing):
    saved = review(reviewing, reviewing.agreement, "yes")
    joint_motives, agreements = rounds.review_targets(reviewing)
    assert joint_motives == [reviewing.joint]
    assert joint_motives[0].review is None
    assert agreements == [reviewing.agreement]
    assert agreements[0].review == saved
