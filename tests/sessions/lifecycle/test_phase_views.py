import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from sessions.models import DialogueSession, Phase
from tests import factories


@pytest.fixture
def dave(client, session):
    """The coordinator, reading the pages in English."""
    client.force_login(session.people["dave"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def submit(preparation):
    preparation.submitted_at = timezone.now()
    preparation.save()


def set_phase(session, phase):
    DialogueSession.objects.filter(pk=session.pk).update(phase=phase)
    session.refresh_from_db()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_opening_the_preparation_explains_who_can_do_what(dave, session):
    set_phase(session, Phase.DRAFT)
    response = dave.get(reverse("session_phase", args=[session.pk]))
    assert response.status_code == 200
    assert "Move from “Draft” to “Preparation”?" in response.text
    assert "can fill in and submit their organisation's format" in response.text
    assert 'name="expected_phase" value="draft"' in response.text


def test_opening_the_preparation_warns_about_organisations_without_members(dave, session):
    set_phase(session, Phase.DRAFT)
    lonely = factories.OrganisationFactory(name="Zorggroep Oost", community=session.community)
    factories.PreparationFactory(session=session, organisation=lonely)
    response = dave.get(reverse("session_phase", args=[session.pk]))
    assert "have no members yet" in response.text
    assert "Zorggroep Oost" in response.text


def test_the_dialogue_confirmation_names_the_organisations_that_have_not_submitted(dave, session):
    submit(session.preparations.get(organisation=session.education))
    third = factories.OrganisationFactory(name="Zorggroep Oost", community=session.community)
    submit(factories.PreparationFactory(session=session, organisation=third))

    response = dave.get(reverse("session_phase", args=[session.pk]))

    assert "2 of 3 organisations have submitted." in response.text
    not_submitted = response.text[response.text.index('id="not-submitted"') :]
    not_submitted = not_submitted[: not_submitted.index("</ul>")]
    assert "Bouwbedrijf Noord" in not_submitted
    assert "Hogeschool Zuid" not in not_submitted
    assert "become visible to everyone in the session" in response.text
    assert "Submissions are locked" in response.text
    assert "Yes, move to “Joint dialogue”" in response.text


def test_the_dialogue_cannot_be_confirmed_with_fewer_than_two_submitted(dave, session):
    submit(session.preparations.get(organisation=session.education))
    response = dave.get(reverse("session_phase", args=[session.pk]))
    assert "needs at least 2 submitted organisations" in response.text
    assert "Bouwbedrijf Noord" in response.text
    assert "Yes, move to" not in response.text
    assert 'name="expected_phase"' not in response.text


def test_confirming_moves_the_session_and_says_so(dave, session):
    for preparation in session.preparations.all():
        submit(preparation)
    response = dave.post(
        reverse("session_phase", args=[session.pk]), {"expected_phase": "preparation"}
    )
    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.phase == Phase.DIALOGUE
    assert messages_of(response) == ["The session is now in the phase “Joint dialogue”."]


def test_a_refused_move_explains_and_returns_to_the_confirmation(dave, session):
    submit(session.preparations.get(organisation=session.education))
    response = dave.post(
        reverse("session_phase", args=[session.pk]), {"expected_phase": "preparation"}
    )
    assert response.url == reverse("session_phase", args=[session.pk])
    assert "1 organisation has submitted so far" in messages_of(response)[0]
    session.refresh_from_db()
    assert session.phase == Phase.PREPARATION


def test_a_confirmation_from_a_stale_page_does_not_move_the_session_twice(dave, session):
    set_phase(session, Phase.DIALOGUE)
    response = dave.post(
        reverse("session_phase", args=[session.pk]), {"expected_phase": "preparation"}
    )
    assert "Someone else moved this session" in messages_of(response)[0]
    session.refresh_from_db()
    assert session.phase == Phase.DIALOGUE


def test_closing_says_the_session_becomes_read_only(dave, session):
    set_phase(session, Phase.AGREEMENTS)
    response = dave.get(reverse("session_phase", args=[session.pk]))
    assert "becomes read-only for everyone" in response.text
    dave.post(reverse("session_phase", args=[session.pk]), {"expected_phase": "agreements"})
    session.refresh_from_db()
    assert session.phase == Phase.CLOSED
    assert dave.get(reverse("session_phase", args=[session.pk])).status_code == 404


@pytest.mark.parametrize("name", ["alice", "mallory"])
def test_members_and_outsiders_do_not_move_the_session(client, session, name):
    client.force_login(session.people[name])
    url = reverse("session_phase", args=[session.pk])
    for preparation in session.preparations.all():
        submit(preparation)
    assert client.get(url).status_code == 404
    assert client.post(url, {"expected_phase": "preparation"}).status_code == 404
    session.refresh_from_db()
    assert session.phase == Phase.PREPARATION


def test_the_facilitator_moves_the_session_from_the_preparation_on_but_does_not_start_it(
    client, session
):
    client.force_login(session.people["carol"])
    url = reverse("session_phase", args=[session.pk])
    for preparation in session.preparations.all():
        submit(preparation)
    client.post(url, {"expected_phase": "preparation"})
    session.refresh_from_db()
    assert session.phase == Phase.DIALOGUE

    session.phase = Phase.DRAFT
    session.save()
    assert client.get(url).status_code == 404
    assert client.post(url, {"expected_phase": "draft"}).status_code == 404
    session.refresh_from_db()
    assert session.phase == Phase.DRAFT
