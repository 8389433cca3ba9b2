"""Recording joint motives, agreements and notes (Fase 2 and 3) through the services."""

import datetime

import pytest
from django.utils import translation

from motives.models import Cluster, Motive
from sessions.dialogue import services as dialogue
from sessions.dialogue.services import JointResultConflict
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    Agreement,
    JointMotive,
    Note,
    Phase,
)
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in their English source, whatever the Dutch translation says."""
    translation.activate("en")


@pytest.fixture
def session(session_with_two_organisations):
    session = session_with_two_organisations
    session.phase = Phase.DIALOGUE
    session.save()
    return session


@pytest.fixture
def carol(session):
    return session.people["carol"]


def motive(code):
    return Motive.objects.get(code=code)


def version_of(session):
    session.refresh_from_db(fields=["version"])
    return session.version


# --- joint motives ---------------------------------------------------------------


def test_a_facilitator_adds_a_catalogue_motive_with_its_joint_outcome(session, carol):
    joint = dialogue.joint_motive_add(
        session=session,
        by=carol,
        motive=motive("capital.network"),
        intended_outcome="  Een regionaal netwerk van tien bedrijven  ",
    )
    joint.refresh_from_db()
    assert joint.session == session
    assert joint.motive.code == "capital.network"
    assert joint.text == ""
    assert joint.intended_outcome == "Een regionaal netwerk van tien bedrijven"
    assert joint.version == 1
    assert joint.updated_by == carol


def test_a_joint_motive_can_be_given_in_the_partners_own_words(session, carol):
    joint = dialogue.joint_motive_add(session=session, by=carol, text="Samen de wijk verbeteren")
    assert joint.motive is None
    assert str(joint) == "Samen de wijk verbeteren"


def test_a_joint_motive_needs_a_catalogue_motive_or_own_words(session, carol):
    with pytest.raises(DomainError) as refused:
        dialogue.joint_motive_add(session=session, by=carol, text="   ", intended_outcome="x")
    assert refused.value.field == "motive"
    assert "Choose a motive from the catalogue" in refused.value.message
    assert not JointMotive.objects.exists()


def test_a_catalogue_motive_becomes_a_joint_motive_only_once(session, carol):
    dialogue.joint_motive_add(session=session, by=carol, motive=motive("capital.network"))
    with pytest.raises(DomainError) as refused:
        dialogue.joint_motive_add(
            session=session, by=carol, motive=motive("capital.network"), text="Anders verwoord"
        )
    assert "is already a joint motive of this session" in refused.value.message
    assert JointMotive.objects.count() == 1


def test_the_same_catalogue_motive_may_be_a_joint_motive_in_another_session(session, carol):
    factories.JointMotiveFactory(motive=motive("capital.network"))  # another session
    dialogue.joint_motive_add(session=session, by=carol, motive=motive("capital.network"))
    assert session.joint_motives.count() == 1


def test_a_motive_that_left_the_catalogue_is_refused(session, carol):
    retired = factories.MotiveFactory(active=False)
    with pytest.raises(DomainError) as refused:
        dialogue.joint_motive_add(session=session, by=carol, motive=retired)
    assert "no longer part of the motive catalogue" in refused.value.message


@pytest.mark.parametrize(
    ("changes", "field", "limit"),
    [
        ({"text": "x" * (OTHER_MOTIVE_MAX_LENGTH + 1)}, "text", OTHER_MOTIVE_MAX_LENGTH),
        (
            {"text": "ok", "intended_outcome": "x" * (OUTCOME_MAX_LENGTH + 1)},
            "outcome",
            OUTCOME_MAX_LENGTH,
        ),
    ],
)
def test_too_long_texts_are_refused_with_the_limit(session, carol, changes, field, limit):
    with pytest.raises(DomainError) as refused:
        dialogue.joint_motive_add(session=session, by=carol, **changes)
    assert refused.value.field == field
    assert f"at most {limit} characters" in refused.value.message
    assert not JointMotive.objects.exists()


def test_new_items_go_to_the_end_even_after_a_deletion(session, carol):
    first = dialogue.joint_motive_add(session=session, by=carol, text="Eerste")
    second = dialogue.joint_motive_add(session=session, by=carol, text="Tweede")
    dialogue.joint_motive_delete(joint_motive=first, by=carol, version=first.version)
    third = dialogue.joint_motive_add(session=session, by=carol, text="Derde")
    assert (second.position, third.position) == (2, 3)
    assert [j.text for j in session.joint_motives.all()] == ["Tweede", "Derde"]


def test_a_coordinator_may_record_as_well(session):
    joint = dialogue.joint_motive_add(session=session, by=session.people["dave"], text="Samen")
    assert joint.pk


@pytest.mark.parametrize("name", ["alice", "mallory"])
def test_members_and_outsiders_cannot_record(session, name):
    with pytest.raises(DomainError) as refused:
        dialogue.joint_motive_add(session=session, by=session.people[name], text="Samen")
    assert "Only the facilitators and coordinators" in refused.value.message
    assert not JointMotive.objects.exists()


@pytest.mark.parametrize(
    ("phase", "reason"),
    [
        (Phase.DRAFT, "not yet in the joint dialogue"),
        (Phase.PREPARATION, "not yet in the joint dialogue"),
        (Phase.CLOSED, "The session is closed"),
    ],
)
def test_joint_results_are_recorded_only_in_the_dialogue_and_agreements_phases(
    session, carol, phase, reason
):
    session.phase = phase
    session.save()
    attempts = [
        lambda: dialogue.joint_motive_add(session=session, by=carol, text="Samen"),
        lambda: dialogue.agreement_add(session=session, by=carol, text="Kwartaaloverleg"),
        lambda: dialogue.note_add(session=session, by=carol, text="Een notitie"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert reason in refused.value.message
    assert not JointMotive.objects.exists()
    assert not Agreement.objects.exists()
    assert not Note.objects.exists()


def test_recording_goes_on_in_the_agreements_phase(session, carol):
    session.phase = Phase.AGREEMENTS
    session.save()
    assert dialogue.agreement_add(session=session, by=carol, text="Kwartaaloverleg").pk


def test_a_closed_session_refuses_edits_and_deletions(session, carol):
    joint = factories.JointMotiveFactory(session=session)
    session.phase = Phase.CLOSED
    session.save()
    with pytest.raises(DomainError, match="closed"):
        dialogue.joint_motive_update(joint_motive=joint, by=carol, version=1, text="Nieuw")
    with pytest.raises(DomainError, match="closed"):
        dialogue.joint_motive_delete(joint_motive=joint, by=carol, version=1)
    joint.refresh_from_db()
    assert (joint.text, joint.version) == ("", 1)


def test_an_edit_of_the_current_version_is_saved_and_raises_the_version(session, carol):
    joint = factories.JointMotiveFactory(session=session)
    saved = dialogue.joint_motive_update(
        joint_motive=joint,
        by=carol,
        version=1,
        motive=joint.motive,
        text="Studenten leren echt",
        intended_outcome="Twintig stageplekken",
    )
    joint.refresh_from_db()
    assert (joint.text, joint.intended_outcome, joint.version) == (
        "Studenten leren echt",
        "Twintig stageplekken",
        2,
    )
    assert saved.version == 2
    assert joint.updated_by == carol


def test_an_edit_of_a_stale_version_is_refused_and_nothing_changes(session, carol):
    dave = session.people["dave"]
    joint = factories.JointMotiveFactory(session=session, intended_outcome="Oud")
    dialogue.joint_motive_update(
        joint_motive=joint, by=dave, version=1, motive=joint.motive, intended_outcome="Van Dave"
    )
    before = version_of(session)
    with pytest.raises(JointResultConflict) as conflict:
        dialogue.joint_motive_update(
            joint_motive=joint, by=carol, version=1, motive=joint.motive, intended_outcome="Mijn"
        )
    assert "Dave changed this joint motive while you were editing it" in conflict.value.message
    assert conflict.value.current.intended_outcome == "Van Dave"
    assert conflict.value.current.version == 2
    joint.refresh_from_db()
    assert (joint.intended_outcome, joint.version) == ("Van Dave", 2)
    assert version_of(session) == before


def test_an_edit_of_a_deleted_joint_motive_says_it_is_gone(session, carol):
    joint = factories.JointMotiveFactory(session=session)
    JointMotive.objects.filter(pk=joint.pk).delete()
    with pytest.raises(JointResultConflict) as conflict:
        dialogue.joint_motive_update(joint_motive=joint, by=carol, version=1, text="Nieuw")
    assert conflict.value.current is None
    assert "deleted this joint motive" in conflict.value.message


def test_an_edit_may_not_turn_a_joint_motive_into_a_duplicate(session, carol):
    factories.JointMotiveFactory(session=session, motive=motive("capital.network"))
    other = factories.JointMotiveFactory(session=session, motive=motive("capital.knowledge"))
    with pytest.raises(DomainError, match="already a joint motive"):
        dialogue.joint_motive_update(
            joint_motive=other, by=carol, version=1, motive=motive("capital.network")
        )


def test_an_edit_keeps_a_catalogue_motive_that_left_the_catalogue_since(session, carol):
    retired = factories.MotiveFactory(active=False)
    joint = factories.JointMotiveFactory(session=session, motive=retired)
    saved = dialogue.joint_motive_update(
        joint_motive=joint, by=carol, version=1, motive=retired, intended_outcome="Nieuw doel"
    )
    assert saved.motive == retired


def test_a_deletion_of_a_stale_version_is_refused_and_keeps_the_item(session, carol):
    joint = factories.JointMotiveFactory(session=session, version=3)
    with pytest.raises(JointResultConflict) as conflict:
        dialogue.joint_motive_delete(joint_motive=joint, by=carol, version=2)
    assert "it was not deleted" in conflict.value.message
    assert JointMotive.objects.filter(pk=joint.pk).exists()


# --- agreements ------------------------------------------------------------------


def test_an_agreement_records_what_who_and_when(session, carol):
    agreement = dialogue.agreement_add(
        session=session,
        by=carol,
        text=" Elk kwartaal een intervisie ",
        owner="Hogeschool Zuid",
        due=datetime.date(2026, 9, 1),
    )
    agreement.refresh_from_db()
    assert (agreement.text, agreement.owner, agreement.due, agreement.position) == (
        "Elk kwartaal een intervisie",
        "Hogeschool Zuid",
        datetime.date(2026, 9, 1),
        1,
    )


def test_an_agreement_needs_to_say_what_was_agreed(session, carol):
    with pytest.raises(DomainError) as refused:
        dialogue.agreement_add(session=session, by=carol, text="  ", owner="Bob")
    assert refused.value.message == "Describe what was agreed."
    assert refused.value.field == "text"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "x" * (AGREEMENT_MAX_LENGTH + 1)}, "text"),
        ({"text": "ok", "owner": "x" * (OWNER_MAX_LENGTH + 1)}, "owner"),
    ],
)
def test_too_long_agreements_are_refused(session, carol, changes, field):
    with pytest.raises(DomainError) as refused:
        dialogue.agreement_add(session=session, by=carol, **changes)
    assert refused.value.field == field
    assert not Agreement.objects.exists()


def test_an_agreement_edit_of_a_stale_version_is_refused(session, carol):
    agreement = factories.AgreementFactory(session=session, version=2, owner="Bob")
    with pytest.raises(JointResultConflict) as conflict:
        dialogue.agreement_update(agreement=agreement, by=carol, version=1, text="Nieuw")
    assert conflict.value.current.owner == "Bob"
    agreement.refresh_from_db()
    assert agreement.text == "Elk kwartaal een gezamenlijke bijeenkomst"


def test_an_agreement_edit_and_deletion_of_the_current_version_succeed(session, carol):
    agreement = factories.AgreementFactory(session=session)
    saved = dialogue.agreement_update(
        agreement=agreement, by=carol, version=1, text="Nieuw", owner="", due=None
    )
    assert (saved.text, saved.owner, saved.due, saved.version) == ("Nieuw", "", None, 2)
    dialogue.agreement_delete(agreement=agreement, by=carol, version=2)
    assert not Agreement.objects.exists()


def test_an_agreement_deletion_of_a_stale_version_is_refused(session, carol):
    agreement = factories.AgreementFactory(session=session, version=2)
    with pytest.raises(JointResultConflict):
        dialogue.agreement_delete(agreement=agreement, by=carol, version=1)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


# --- notes -----------------------------------------------------------------------


def test_a_note_is_taken_about_a_cluster_or_the_whole_dialogue(session, carol):
    cluster = Cluster.objects.get(code="capital")
    about_cluster = dialogue.note_add(session=session, by=carol, text="Netwerk", cluster=cluster)
    about_all = dialogue.note_add(session=session, by=carol, text="Goede sfeer")
    assert (about_cluster.cluster, about_cluster.author) == (cluster, carol)
    assert about_all.cluster is None


def test_an_empty_or_too_long_note_is_refused(session, carol):
    with pytest.raises(DomainError, match="Write the note"):
        dialogue.note_add(session=session, by=carol, text=" ")
    with pytest.raises(DomainError, match=f"at most {NOTE_MAX_LENGTH} characters"):
        dialogue.note_add(session=session, by=carol, text="x" * (NOTE_MAX_LENGTH + 1))
    assert not Note.objects.exists()


def test_a_note_deletion_of_a_stale_version_is_refused(session, carol):
    note = factories.NoteFactory(session=session, version=2)
    with pytest.raises(JointResultConflict, match="it was not deleted"):
        dialogue.note_delete(note=note, by=carol, version=1)
    dialogue.note_delete(note=note, by=carol, version=2)
    assert not Note.objects.exists()


# --- the session's version ---------------------------------------------------------


def _writes(session, by):
    joint = factories.JointMotiveFactory(session=session)
    agreement = factories.AgreementFactory(session=session)
    note = factories.NoteFactory(session=session)
    return [
        lambda: dialogue.joint_motive_add(session=session, by=by, text="Samen"),
        lambda: dialogue.joint_motive_update(
            joint_motive=joint, by=by, version=1, motive=joint.motive, intended_outcome="Nieuw"
        ),
        lambda: dialogue.joint_motive_delete(joint_motive=joint, by=by, version=2),
        lambda: dialogue.agreement_add(session=session, by=by, text="Afspraak"),
        lambda: dialogue.agreement_update(agreement=agreement, by=by, version=1, text="Anders"),
        lambda: dialogue.agreement_delete(agreement=agreement, by=by, version=2),
        lambda: dialogue.note_add(session=session, by=by, text="Notitie"),
        lambda: dialogue.note_delete(note=note, by=by, version=1),
    ]


def test_every_write_raises_the_session_version_so_screens_can_poll(session, carol):
    for write in _writes(session, carol):
        before = version_of(session)
        write()
        assert version_of(session) == before + 1


def test_the_session_passed_in_learns_its_new_version(session, carol):
    before = version_of(session)
    dialogue.agreement_add(session=session, by=carol, text="Afspraak")
    assert session.version == before + 1


def test_a_refused_write_leaves_the_session_version_alone(session, carol):
    before = version_of(session)
    with pytest.raises(DomainError):
        dialogue.agreement_add(session=session, by=carol, text="")
    assert version_of(session) == before
