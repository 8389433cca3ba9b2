import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions.models import DialogueSession, Phase
from tests import factories

SECRET_OUTCOME = "Geheime beoogde opbrengst 7731"


def submit(preparation, by=None):
    preparation.submitted_at = timezone.now()
    preparation.submitted_by = by
    preparation.save()


def edit_data(session, **changes):
    data = {
        "title": session.title,
        "date": "2026-03-12",
        "organisations": [p.organisation_id for p in session.preparations.all()],
        "facilitators": [p.pk for p in session.facilitators.all()],
        "version": session.version,
    }
    data.update(changes)
    return data


# --- who gets in ------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_everyone_with_a_role_in_the_session_sees_the_session_page(sign_in, session, name):
    response = sign_in(name).get(reverse("session_detail", args=[session.pk]))
    assert response.status_code == 200
    assert "Evaluatie voorjaar" in response.text


def test_an_outsider_gets_404_for_the_session_page_whatever_the_id(sign_in, session):
    client = sign_in("mallory")
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk + 999])).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, session):
    response = client.get(reverse("session_detail", args=[session.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "url_name"),
    [
        ("alice", "session_edit"),
        ("bob", "session_edit"),
        ("carol", "session_edit"),
        ("mallory", "session_edit"),
        ("alice", "session_phase"),
        ("bob", "session_phase"),
        ("mallory", "session_phase"),
    ],
)
def test_coordinator_pages_of_a_session_give_404_to_everyone_else(sign_in, session, name, url_name):
    client = sign_in(name)
    url = reverse(url_name, args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"expected_phase": "preparation", "title": "x"}).status_code == 404
    session.refresh_from_db()
    assert (session.phase, session.title) == (Phase.PREPARATION, "Evaluatie voorjaar")


@pytest.mark.parametrize("name", ["alice", "carol", "mallory"])
def test_only_a_coordinator_of_the_community_creates_sessions(sign_in, session, name):
    url = reverse("session_create", args=[session.community.pk])
    assert sign_in(name).get(url).status_code == 404
    assert sign_in(name).post(url, {"title": "x"}).status_code == 404
    assert DialogueSession.objects.count() == 1


# --- what each role sees ----------------------------------------------------


@pytest.mark.parametrize("name", ["dave", "carol"])
def test_coordinator_and_facilitator_see_progress_but_not_answers(sign_in, session, name):
    education = session.preparations.get(organisation=session.education)
    factories.AnswerFactory(preparation=education, intended_outcome=SECRET_OUTCOME)
    education.updated_by = session.people["alice"]
    education.save()
    submit(session.preparations.get(organisation=session.practice), by=session.people["bob"])

    response = sign_in(name).get(reverse("session_detail", args=[session.pk]))

    assert SECRET_OUTCOME not in response.text
    assert "Progress per organisation" in response.text
    assert "1 of 2 organisations have submitted." in response.text
    assert "In progress" in response.text
    assert "Submitted" in response.text
    assert "Hogeschool Zuid" in response.text
    assert "Bouwbedrijf Noord" in response.text
    assert "Alice" in response.text  # worked on it
    assert "Bob" in response.text  # submitted it


def test_a_member_sees_a_card_for_their_own_organisation_only(sign_in, session):
    alice_preparation = session.preparations.get(organisation=session.education)
    bob_preparation = session.preparations.get(organisation=session.practice)
    factories.AnswerFactory(preparation=bob_preparation, intended_outcome=SECRET_OUTCOME)

    response = sign_in("alice").get(reverse("session_detail", args=[session.pk]))

    assert "Hogeschool Zuid" in response.text
    assert "Bouwbedrijf Noord" not in response.text
    assert SECRET_OUTCOME not in response.text
    assert "Progress per organisation" not in response.text
    assert reverse("preparation_detail", args=[session.pk, alice_preparation.pk]) in response.text
    assert reverse("preparation_detail", args=[session.pk, bob_preparation.pk]) not in response.text
    assert "Fill in the format" in response.text
    assert "submit it" in response.text


def test_a_member_in_draft_is_told_the_coordinator_is_preparing(sign_in, session):
    session.phase = Phase.DRAFT
    session.save()
    response = sign_in("bob").get(reverse("session_detail", args=[session.pk]))
    assert "The coordinator is preparing the session" in response.text


def test_the_phase_stepper_marks_the_current_phase_in_text(sign_in, session):
    response = sign_in("alice").get(reverse("session_detail", args=[session.pk]))
    assert response.text.count('aria-current="step"') == 1
    assert "current phase" in response.text
    assert "5. Closed" in response.text


def test_the_coordinator_gets_the_actions_for_the_phase(sign_in, session):
    response = sign_in("dave").get(reverse("session_detail", args=[session.pk]))
    assert reverse("session_edit", args=[session.pk]) in response.text
    assert reverse("invitation_list", args=[session.pk]) in response.text
    assert reverse("session_phase", args=[session.pk]) in response.text
    assert "Move to the next phase: Joint dialogue" in response.text


def test_members_and_facilitators_get_no_coordinator_actions(sign_in, session):
    for name in ("alice", "carol"):
        response = sign_in(name).get(reverse("session_detail", args=[session.pk]))
        assert reverse("session_edit", args=[session.pk]) not in response.text
        assert reverse("invitation_list", args=[session.pk]) not in response.text
    member_page = sign_in("alice").get(reverse("session_detail", args=[session.pk]))
    assert reverse("session_phase", args=[session.pk]) not in member_page.text
    # The facilitator runs the joint dialogue and may move the session on.
    facilitator_page = sign_in("carol").get(reverse("session_detail", args=[session.pk]))
    assert reverse("session_phase", args=[session.pk]) in facilitator_page.text


def test_a_closed_session_is_read_only(sign_in, session):
    session.phase = Phase.CLOSED
    session.save()
    client = sign_in("dave")
    response = client.get(reverse("session_detail", args=[session.pk]))
    assert "This session is closed" in response.text
    assert reverse("session_edit", args=[session.pk]) not in response.text
    assert reverse("session_phase", args=[session.pk]) not in response.text
    assert client.get(reverse("session_edit", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_phase", args=[session.pk])).status_code == 404


def test_the_session_page_costs_the_same_queries_for_2_and_10_organisations(
    sign_in, session, django_assert_max_num_queries
):
    client = sign_in("dave")
    url = reverse("session_detail", args=[session.pk])
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for _number in range(8):
        organisation = factories.OrganisationFactory(community=session.community)
        factories.MembershipFactory(organisation=organisation)
        preparation = factories.PreparationFactory(session=session, organisation=organisation)
        factories.AnswerFactory(preparation=preparation)
    with django_assert_max_num_queries(len(two)):
        response = client.get(url)
    assert response.text.count('<th scope="row">') == 10


# --- creating and editing ---------------------------------------------------


def test_a_coordinator_creates_a_session_for_chosen_organisations(sign_in, session):
    client = sign_in("dave")
    url = reverse("session_create", args=[session.community.pk])
    form = client.get(url)
    assert "Hogeschool Zuid (education partner)" in form.text
    assert 'type="date"' in form.text
    assert "At most 200 characters." in form.text

    response = client.post(
        url,
        {
            "title": "Evaluatie najaar",
            "date": "2026-10-01",
            "organisations": [session.education.pk, session.practice.pk],
            "facilitators": [session.people["carol"].pk],
        },
    )

    created = DialogueSession.objects.get(title="Evaluatie najaar")
    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[created.pk])
    assert created.phase == Phase.DRAFT
    assert sorted(created.preparations.values_list("organisation", flat=True)) == sorted(
        [session.education.pk, session.practice.pk]
    )


def test_the_facilitator_choice_offers_coordinators_and_earlier_facilitators_only(sign_in, session):
    response = sign_in("dave").get(reverse("session_create", args=[session.community.pk]))
    assert "carol@example.org" in response.text
    assert "dave@example.org" in response.text
    assert "mallory@example.org" not in response.text
    assert "alice@example.org" not in response.text


def test_a_coordinator_edits_the_session(sign_in, session):
    client = sign_in("dave")
    url = reverse("session_edit", args=[session.pk])
    assert f'name="version" value="{session.version}"' in client.get(url).text
    response = client.post(url, edit_data(session, title="Evaluatie voorjaar 2026"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Evaluatie voorjaar 2026"


def test_an_edit_that_crosses_another_keeps_the_typed_data_and_says_why(sign_in, session):
    client = sign_in("dave")
    stale = edit_data(session, title="Mijn nieuwe titel")
    DialogueSession.objects.filter(pk=session.pk).update(title="Hun titel", version=2)

    response = client.post(reverse("session_edit", args=[session.pk]), stale)

    assert response.status_code == 200
    assert "Someone else changed this session meanwhile" in response.text
    assert 'value="Mijn nieuwe titel"' in response.text
    session.refresh_from_db()
    assert session.title == "Hun titel"


def test_an_organisation_that_started_cannot_be_dropped_in_the_edit_form(sign_in, session):
    preparation = session.preparations.get(organisation=session.practice)
    factories.AnswerFactory(preparation=preparation)
    response = sign_in("dave").post(
        reverse("session_edit", args=[session.pk]),
        edit_data(session, organisations=[session.education.pk]),
    )
    assert response.status_code == 200
    assert "“Bouwbedrijf Noord” has already started" in response.text
    assert session.preparations.count() == 2


# --- a flow that leads (issue 13) ---------------------------------------------


def test_creating_a_session_with_one_organisation_is_refused_with_the_form_kept(sign_in, session):
    client = sign_in("dave")
    url = reverse("session_create", args=[session.community.pk])
    response = client.post(
        url,
        {"title": "Met één partner", "date": "2026-10-01", "organisations": [session.education.pk]},
    )
    assert response.status_code == 200
    assert "at least 2 participating organisations" in response.text
    assert 'value="Met één partner"' in response.text  # nothing lost
    assert not DialogueSession.objects.filter(title="Met één partner").exists()


def test_the_phase_page_refuses_the_preparation_for_one_organisation_and_links_to_the_fix(
    sign_in, session
):
    session.phase = Phase.DRAFT
    session.save()
    session.preparations.exclude(organisation=session.education).delete()
    page = sign_in("dave").get(reverse("session_phase", args=[session.pk])).text
    assert 'id="too-few-organisations"' in page
    assert reverse("session_edit", args=[session.pk]) in page
    assert 'name="expected_phase"' not in page  # no confirm button


def test_in_the_dialogue_the_comparison_and_presentation_are_the_primary_actions(sign_in, session):
    session.phase = Phase.DIALOGUE
    session.save()
    page = sign_in("dave").get(reverse("session_detail", args=[session.pk])).text
    comparison = reverse("session_comparison", args=[session.pk])
    present = reverse("session_present", args=[session.pk])
    assert f'class="btn btn-sms" href="{comparison}"' in page
    assert f'class="btn btn-sms" href="{present}"' in page
    assert (
        f'class="btn btn-outline-secondary" href="{reverse("session_phase", args=[session.pk])}"'
        in page
    )
    assert "answers are visible only to its own members" not in page  # shared now
    assert "Now: the joint dialogue." in page


def test_before_the_dialogue_the_progress_says_answers_are_private(sign_in, session):
    page = sign_in("dave").get(reverse("session_detail", args=[session.pk])).text
    assert "answers are visible only to its own members" in page
    assert reverse("session_present", args=[session.pk]) not in page


def test_the_agreements_phase_says_what_it_adds_to_the_dialogue(sign_in, session):
    session.phase = Phase.AGREEMENTS
    session.save()
    page = sign_in("dave").get(reverse("session_detail", args=[session.pk])).text
    assert "Now: agreements." in page
    assert "what, who and when" in page


def test_times_on_the_session_page_are_valid_html_datetimes(sign_in, session):
    import re

    preparation = session.preparations.first()
    preparation.submitted_at = timezone.now().replace(microsecond=123456)
    preparation.save()
    page = sign_in("dave").get(reverse("session_detail", args=[session.pk])).text
    stamps = re.findall(r'<time[^>]*datetime="([^"]+)"', page)
    assert stamps
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d{4})?", stamp), stamp
