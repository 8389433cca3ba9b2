"""Two facilitators record the joint results of one dialogue at the same moment (issue 7).

Edits and deletes start from the version each facilitator saw: one wins, the other
is refused with a ``JointResultConflict`` carrying what is stored now, and nothing
is discarded without the person being told. Adds never conflict: both items are
kept, each with its own position.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motives.models import Motive
from sessions.dialogue import services as dialogue
from sessions.dialogue.services import JointResultConflict
from sessions.models import Agreement, DialogueSession, JointMotive, Phase
from sms_tool.errors import DomainError
from tests import factories
from tests.concurrency import run_at_once, split

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(session_with_two_organisations):
    """The session in the joint dialogue, with Dave as a second facilitator next to Carol."""
    session = session_with_two_organisations
    session.phase = Phase.DIALOGUE
    session.save()
    session.facilitators.add(session.people["dave"])
    return session


@pytest.fixture
def facilitators(session):
    return session.people["carol"], session.people["dave"]


def session_version(session):
    return DialogueSession.objects.get(pk=session.pk).version


def test_of_two_edits_of_one_joint_motive_one_wins_and_the_other_is_told(session, facilitators):
    joint = factories.JointMotiveFactory(session=session, intended_outcome="Origineel")
    before = session_version(session)
    texts = {person: f"Opbrengst volgens {person.name}" for person in facilitators}

    def edit_as(person):
        return lambda: dialogue.joint_motive_update(
            joint_motive=joint,
            by=person,
            version=1,
            motive=joint.motive,
            intended_outcome=texts[person],
        )

    saved, refused = split(run_at_once(*(edit_as(person) for person in facilitators)))

    assert len(saved) == 1 and len(refused) == 1
    winner = saved[0].value.updated_by
    loser = next(person for person in facilitators if person != winner)
    conflict = refused[0].error
    assert isinstance(conflict, JointResultConflict)
    assert f"{winner.name} changed this joint motive while you were editing it" in conflict.message
    assert (conflict.current.intended_outcome, conflict.current.version) == (texts[winner], 2)
    joint.refresh_from_db()
    assert (joint.intended_outcome, joint.version, joint.updated_by) == (texts[winner], 2, winner)
    assert not JointMotive.objects.filter(intended_outcome=texts[loser]).exists()
    assert session_version(session) == before + 1


def test_of_two_edits_of_one_agreement_one_wins_and_the_other_is_told(session, facilitators):
    agreement = factories.AgreementFactory(session=session, text="Origineel", owner="")
    texts = {person: f"Afspraak volgens {person.name}" for person in facilitators}

    def edit_as(person):
        return lambda: dialogue.agreement_update(
            agreement=agreement, by=person, version=1, text=texts[person], owner=person.name
        )

    saved, refused = split(run_at_once(*(edit_as(person) for person in facilitators)))

    assert len(saved) == 1 and len(refused) == 1
    winner = saved[0].value.updated_by
    loser = next(person for person in facilitators if person != winner)
    conflict = refused[0].error
    assert isinstance(conflict, JointResultConflict)
    assert f"{winner.name} changed this agreement while you were editing it" in conflict.message
    assert (conflict.current.text, conflict.current.owner) == (texts[winner], winner.name)
    agreement.refresh_from_db()
    assert (agreement.text, agreement.owner, agreement.version) == (texts[winner], winner.name, 2)
    assert not Agreement.objects.filter(text=texts[loser]).exists()


def test_an_edit_and_a_delete_at_once_never_lose_the_edit_silently(session, facilitators):
    carol, dave = facilitators
    agreement = factories.AgreementFactory(session=session, text="Origineel")

    edit, delete = run_at_once(
        lambda: dialogue.agreement_update(
            agreement=agreement, by=carol, version=1, text="Aangescherpt door Carol"
        ),
        lambda: dialogue.agreement_delete(agreement=agreement, by=dave, version=1),
    )

    remaining = list(Agreement.objects.filter(session=session))
    if edit.succeeded:
        # The delete came second: Dave is told the agreement changed, and it stays.
        assert isinstance(delete.error, JointResultConflict)
        assert "it was not deleted" in delete.error.message
        assert delete.error.current.text == "Aangescherpt door Carol"
        assert [(a.text, a.version) for a in remaining] == [("Aangescherpt door Carol", 2)]
    else:
        # The edit came second: Carol is told it was deleted; her text is in her form.
        assert delete.succeeded
        assert isinstance(edit.error, JointResultConflict)
        assert "Someone deleted this agreement while you were editing it" in edit.error.message
        assert remaining == []


def test_two_facilitators_adding_agreements_at_once_keep_all_with_distinct_positions(
    session, facilitators
):
    per_person = 5

    def add_as(person):
        def add():
            return [
                dialogue.agreement_add(
                    session=session, by=person, text=f"Afspraak {number} van {person.name}"
                )
                for number in range(1, per_person + 1)
            ]

        return add

    outcomes = run_at_once(*(add_as(person) for person in facilitators))

    assert all(outcome.succeeded for outcome in outcomes)
    stored = list(Agreement.objects.filter(session=session).order_by("position"))
    assert sorted(a.text for a in stored) == sorted(
        f"Afspraak {number} van {person.name}"
        for person in facilitators
        for number in range(1, per_person + 1)
    )
    assert [a.position for a in stored] == list(range(1, 2 * per_person + 1))


def test_two_facilitators_adding_joint_motives_at_once_keep_both_with_distinct_positions(
    session, facilitators
):
    carol, dave = facilitators
    network = Motive.objects.get(code="capital.network")

    outcomes = run_at_once(
        lambda: dialogue.joint_motive_add(session=session, by=carol, motive=network),
        lambda: dialogue.joint_motive_add(
            session=session, by=dave, text="Samen de wijk verbeteren"
        ),
    )

    assert all(outcome.succeeded for outcome in outcomes)
    stored = list(JointMotive.objects.filter(session=session).order_by("position"))
    assert {(j.motive_id, j.text) for j in stored} == {
        (network.pk, ""),
        (None, "Samen de wijk verbeteren"),
    }
    assert [j.position for j in stored] == [1, 2]


def test_two_facilitators_adding_the_same_catalogue_motive_at_once_get_it_once(
    session, facilitators
):
    network = Motive.objects.get(code="capital.network")

    def add_as(person):
        return lambda: dialogue.joint_motive_add(
            session=session, by=person, motive=network, intended_outcome=f"Van {person.name}"
        )

    saved, refused = split(run_at_once(*(add_as(person) for person in facilitators)))

    assert len(saved) == 1 and len(refused) == 1
    assert isinstance(refused[0].error, DomainError)
    assert "is already a joint motive of this session" in refused[0].error.message
    stored = JointMotive.objects.get(session=session)
    assert stored.pk == saved[0].value.pk
    assert stored.intended_outcome == f"Van {saved[0].value.updated_by.name}"


def test_two_browsers_editing_one_agreement_at_once_show_the_loser_both_texts(
    session, facilitators
):
    agreement = factories.AgreementFactory(session=session, text="Origineel", owner="")
    url = reverse("agreement_edit", args=[session.pk, agreement.pk])
    texts = {person: f"Afspraak zoals {person.name} die typte" for person in facilitators}
    clients = {}
    for person in facilitators:
        clients[person] = Client()
        clients[person].force_login(person)
        clients[person].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def post_as(person):
        def post():
            data = {"text": texts[person], "owner": person.name, "version": 1}
            return person, clients[person].post(url, data)

        return post

    responses = dict(outcome.value for outcome in run_at_once(*map(post_as, facilitators)))

    assert sorted(r.status_code for r in responses.values()) == [302, 409]
    winner = next(p for p, r in responses.items() if r.status_code == 302)
    loser = next(p for p, r in responses.items() if r.status_code == 409)
    page = responses[loser].text
    assert f"{winner.name} changed this agreement while you were editing it" in page
    assert texts[loser] in page
    assert texts[winner] in page
    assert 'name="version" value="2"' in page
    agreement.refresh_from_db()
    assert (agreement.text, agreement.version) == (texts[winner], 2)
