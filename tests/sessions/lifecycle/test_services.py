import datetime

import pytest
from django.utils import timezone, translation

from sessions.lifecycle import services
from sessions.lifecycle.progress import Status, session_progress
from sessions.models import DialogueSession, Phase, Preparation
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    translation.activate("en")


@pytest.fixture
def dave(session):
    return session.people["dave"]


def submit(preparation, by=None):
    preparation.submitted_at = timezone.now()
    preparation.submitted_by = by
    preparation.save()


def update(session, by, **changes):
    values = {
        "title": session.title,
        "date": session.date,
        "organisations": [p.organisation for p in session.preparations.all()],
        "facilitators": list(session.facilitators.all()),
        "version": session.version,
    }
    values.update(changes)
    return services.session_update(session=session, by=by, **values)


# --- session_create ---------------------------------------------------------


def test_a_new_session_starts_as_draft_with_a_preparation_per_organisation(session, dave):
    created = services.session_create(
        community=session.community,
        by=dave,
        title="  Evaluatie najaar ",
        date=datetime.date(2026, 10, 1),
        organisations=[session.education, session.practice],
        facilitators=[session.people["carol"]],
    )
    assert created.title == "Evaluatie najaar"
    assert created.phase == Phase.DRAFT
    assert set(created.preparations.values_list("organisation__name", flat=True)) == {
        "Hogeschool Zuid",
        "Bouwbedrijf Noord",
    }
    assert list(created.facilitators.all()) == [session.people["carol"]]


@pytest.mark.parametrize("count", [0, 1])
def test_a_session_needs_two_organisations_to_be_created(session, dave, count):
    before = DialogueSession.objects.count()
    with pytest.raises(DomainError, match="at least 2 participating organisations") as refused:
        services.session_create(
            community=session.community,
            by=dave,
            title="Later",
            date=None,
            organisations=[session.education][:count],
            facilitators=[],
        )
    assert refused.value.field == "organisations"
    assert DialogueSession.objects.count() == before


def test_a_draft_with_one_organisation_cannot_open_the_preparation(session, dave):
    session.phase = Phase.DRAFT
    session.save()
    session.preparations.exclude(organisation=session.education).delete()
    with pytest.raises(DomainError, match="at least 2 participating organisations"):
        services.session_advance_phase(session=session, by=dave, expected_phase=Phase.DRAFT)
    session.refresh_from_db()
    assert session.phase == Phase.DRAFT


def test_an_organisation_outside_the_community_cannot_take_part(session, dave):
    stranger = factories.OrganisationFactory(name="Elders BV")
    with pytest.raises(DomainError, match="One chosen organisation is not a partner") as refused:
        services.session_create(
            community=session.community,
            by=dave,
            title="X",
            date=None,
            organisations=[session.education, stranger],
            facilitators=[],
        )
    assert refused.value.field == "organisations"
    assert "Elders BV" not in refused.value.message  # another community's name stays there
    assert DialogueSession.objects.count() == 1


def test_a_facilitator_must_be_a_coordinator_or_an_earlier_facilitator(session, dave):
    with pytest.raises(DomainError, match="invitations page"):
        services.session_create(
            community=session.community,
            by=dave,
            title="X",
            date=None,
            organisations=[session.education, session.practice],
            facilitators=[session.people["mallory"]],
        )
    created = services.session_create(
        community=session.community,
        by=dave,
        title="X",
        date=None,
        organisations=[session.education, session.practice],
        facilitators=[dave, session.people["carol"]],
    )
    assert set(created.facilitators.all()) == {dave, session.people["carol"]}


def test_a_session_title_is_required(session, dave):
    with pytest.raises(DomainError) as refused:
        services.session_create(
            community=session.community,
            by=dave,
            title="   ",
            date=None,
            organisations=[session.education, session.practice],
            facilitators=[],
        )
    assert refused.value.field == "title"


def test_only_a_coordinator_of_the_community_creates_sessions(session):
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.session_create(
            community=session.community,
            by=session.people["carol"],
            title="X",
            date=None,
            organisations=[session.education, session.practice],
            facilitators=[],
        )


# --- session_update ---------------------------------------------------------


def test_an_update_saves_the_details_and_raises_the_version(session, dave):
    version = session.version
    updated = update(session, dave, title="Evaluatie voorjaar 2026")
    assert updated.title == "Evaluatie voorjaar 2026"
    assert updated.version == version + 1


def test_an_update_from_a_stale_form_is_refused(session, dave):
    stale = session.version
    update(session, dave, title="First")
    session.refresh_from_db()
    with pytest.raises(DomainError, match="Someone else changed this session meanwhile"):
        update(session, dave, title="Second", version=stale)
    session.refresh_from_db()
    assert session.title == "First"


def test_an_organisation_that_has_not_started_can_leave_and_a_new_one_join(session, dave):
    newcomer = factories.OrganisationFactory(name="Zorggroep Oost", community=session.community)
    update(session, dave, organisations=[session.education, newcomer])
    assert set(session.preparations.values_list("organisation__name", flat=True)) == {
        "Hogeschool Zuid",
        "Zorggroep Oost",
    }


def test_leaving_revokes_the_open_invitations_of_that_organisation(session, dave):
    invitation = factories.InvitationFactory(session=session, organisation=session.practice)
    update(session, dave, organisations=[session.education])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_organisation_with_answers_cannot_leave_the_session(session, dave):
    preparation = session.preparations.get(organisation=session.practice)
    factories.AnswerFactory(preparation=preparation, applies=False, intended_outcome="")
    with pytest.raises(DomainError, match="“Bouwbedrijf Noord” has already started"):
        update(session, dave, organisations=[session.education])
    assert session.preparations.count() == 2


def test_a_submitted_organisation_cannot_leave_the_session(session, dave):
    submit(session.preparations.get(organisation=session.education))
    with pytest.raises(DomainError, match="“Hogeschool Zuid” has already started or submitted"):
        update(session, dave, organisations=[session.practice])


def test_session_details_cannot_change_once_the_dialogue_opened(session, dave):
    session.phase = Phase.DIALOGUE
    session.save()
    with pytest.raises(DomainError, match="can no longer change"):
        update(session, dave, title="Nieuw")


def test_a_facilitator_cannot_update_the_session(session):
    with pytest.raises(DomainError, match="Only a coordinator"):
        update(session, session.people["carol"], title="Nieuw")


# --- session_advance_phase --------------------------------------------------


def test_the_phases_follow_each_other_up_to_closed(session, dave):
    session.phase = Phase.DRAFT
    session.save()
    assert services.session_advance_phase(session=session, by=dave, expected_phase="draft") == (
        Phase.PREPARATION
    )
    for preparation in session.preparations.all():
        submit(preparation)
    for expected, target in [
        (Phase.PREPARATION, Phase.DIALOGUE),
        (Phase.DIALOGUE, Phase.AGREEMENTS),
        (Phase.AGREEMENTS, Phase.CLOSED),
    ]:
        assert (
            services.session_advance_phase(session=session, by=dave, expected_phase=expected)
            == target
        )
    session.refresh_from_db()
    assert session.phase == Phase.CLOSED


def test_a_closed_session_has_no_next_phase(session, dave):
    session.phase = Phase.CLOSED
    session.save()
    with pytest.raises(DomainError, match="closed"):
        services.session_advance_phase(session=session, by=dave, expected_phase="closed")


def test_the_dialogue_needs_two_submitted_organisations_and_says_how_many_did(session, dave):
    submit(session.preparations.get(organisation=session.education))
    with pytest.raises(DomainError, match="at least 2 submitted.*1 organisation has submitted"):
        services.session_advance_phase(session=session, by=dave, expected_phase="preparation")
    session.refresh_from_db()
    assert session.phase == Phase.PREPARATION


def test_a_phase_change_from_a_stale_page_is_refused(session, dave):
    session.phase = Phase.DRAFT
    session.save()
    services.session_advance_phase(session=session, by=dave, expected_phase="draft")
    with pytest.raises(DomainError, match="Someone else moved this session to the phase"):
        services.session_advance_phase(session=session, by=dave, expected_phase="draft")
    session.refresh_from_db()
    assert session.phase == Phase.PREPARATION


def test_a_facilitator_cannot_start_the_preparation(session):
    session.phase = "draft"
    session.save()
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.session_advance_phase(
            session=session, by=session.people["carol"], expected_phase="draft"
        )
    session.refresh_from_db()
    assert session.phase == "draft"


def test_a_member_cannot_move_the_session(session):
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.session_advance_phase(
            session=session, by=session.people["alice"], expected_phase="preparation"
        )


# --- session_progress -------------------------------------------------------


def test_progress_tells_not_started_in_progress_and_submitted(session):
    alice, bob = session.people["alice"], session.people["bob"]
    education = session.preparations.get(organisation=session.education)
    practice = session.preparations.get(organisation=session.practice)
    factories.AnswerFactory(preparation=education, applies=None, intended_outcome="")
    assert {row.organisation.name: row.status for row in session_progress(session)} == {
        "Hogeschool Zuid": Status.NOT_STARTED,
        "Bouwbedrijf Noord": Status.NOT_STARTED,
    }
    factories.OtherMotiveFactory(preparation=education)
    Preparation.objects.filter(pk=education.pk).update(updated_by=alice)
    submit(practice, by=bob)
    rows = {row.organisation.name: row for row in session_progress(session)}
    assert rows["Hogeschool Zuid"].status == Status.IN_PROGRESS
    assert rows["Hogeschool Zuid"].last_edited_by == alice
    assert rows["Hogeschool Zuid"].members == [alice]
    assert rows["Bouwbedrijf Noord"].status == Status.SUBMITTED
    assert rows["Bouwbedrijf Noord"].preparation.submitted_by == bob


def test_progress_costs_the_same_queries_for_many_organisations(
    session, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        session_progress(session)
    for _number in range(8):
        organisation = factories.OrganisationFactory(community=session.community)
        factories.MembershipFactory(organisation=organisation)
        preparation = factories.PreparationFactory(session=session, organisation=organisation)
        factories.AnswerFactory(preparation=preparation)
    with django_assert_max_num_queries(len(few)):
        assert len(session_progress(session)) == 10
