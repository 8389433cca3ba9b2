"""Evaluation rounds in the browser: start the next round, last round in the format, review."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motives.models import Motive
from sessions.dialogue import rounds
from sessions.models import DialogueSession, OutcomeReview, Phase
from tests import factories


@pytest.fixture
def closed(session_with_two_organisations):
    session = session_with_two_organisations
    session.phase = Phase.CLOSED
    session.save()
    return session


@pytest.fixture
def sign_in(client, closed):
    """Sign in one of the personas; pages are read in English."""

    def sign_in(name):
        client.force_login(closed.people[name])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


def next_round_url(session):
    return reverse("session_next_round", args=[session.pk])


# --- starting the next round -------------------------------------------------------


def test_the_coordinator_starts_the_next_round_from_a_closed_session(sign_in, closed):
    client = sign_in("dave")
    page = client.get(next_round_url(closed))
    assert page.status_code == 200
    assert 'value="Evaluatie voorjaar (follow-up)"' in page.text
    response = client.post(
        next_round_url(closed), {"title": "Evaluatie najaar", "date": "2026-11-05"}
    )
    follow_up = DialogueSession.objects.get(previous=closed)
    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[follow_up.pk])
    assert (follow_up.title, follow_up.phase) == ("Evaluatie najaar", Phase.DRAFT)
    assert follow_up.preparations.count() == 2
    detail = client.get(response.url).text
    assert "Follow-up of" in detail
    assert reverse("session_detail", args=[closed.pk]) in detail
    # the closed session now links to its next round instead of offering another
    detail = client.get(reverse("session_detail", args=[closed.pk])).text
    assert "Next round: Evaluatie najaar" in detail
    assert next_round_url(closed) not in detail


def test_a_second_next_round_is_refused_with_a_link_to_the_first(sign_in, closed):
    first = rounds.session_start_next_round(
        session=closed, by=closed.people["dave"], title="Eerste vervolg"
    )
    client = sign_in("dave")
    response = client.get(next_round_url(closed))
    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[first.pk])
    response = client.post(next_round_url(closed), {"title": "Tweede vervolg"}, follow=True)
    assert "already has a next round" in response.text
    assert DialogueSession.objects.filter(previous=closed).count() == 1


def test_a_next_round_needs_a_title_and_keeps_the_date_typed(sign_in, closed):
    response = sign_in("dave").post(next_round_url(closed), {"title": "", "date": "2026-11-05"})
    assert response.status_code == 400
    assert 'value="2026-11-05"' in response.text
    assert not closed.next_rounds.exists()


@pytest.mark.parametrize("name", ["alice", "carol", "mallory"])
def test_only_the_coordinator_reaches_the_next_round_page(sign_in, closed, name):
    client = sign_in(name)
    assert client.get(next_round_url(closed)).status_code == 404
    assert client.post(next_round_url(closed), {"title": "Vervolg"}).status_code == 404
    assert not closed.next_rounds.exists()


@pytest.mark.parametrize(
    "phase", [Phase.DRAFT, Phase.PREPARATION, Phase.DIALOGUE, Phase.AGREEMENTS]
)
def test_a_session_that_is_not_closed_has_no_next_round_page(sign_in, closed, phase):
    closed.phase = phase
    closed.save()
    assert sign_in("dave").get(next_round_url(closed)).status_code == 404


# --- last round in the format ------------------------------------------------------------


@pytest.fixture
def follow_up(closed):
    education = closed.preparations.get(organisation=closed.education)
    factories.AnswerFactory(
        preparation=education,
        motive=Motive.objects.get(code="capital.network"),
        applies=True,
        intended_outcome="Vijf nieuwe stagebedrijven",
    )
    factories.AnswerFactory(
        preparation=education, motive=Motive.objects.get(code="capital.financial"), applies=False
    )
    education.submitted_at = timezone.now()
    education.save()
    follow_up = rounds.session_start_next_round(
        session=closed, by=closed.people["dave"], title="Evaluatie najaar"
    )
    follow_up.phase = Phase.PREPARATION
    follow_up.save()
    return follow_up


def format_url(session, organisation):
    preparation = session.preparations.get(organisation=organisation)
    return reverse("preparation_detail", args=[session.pk, preparation.pk])


def test_the_format_of_a_follow_up_round_shows_last_rounds_answer(sign_in, closed, follow_up):
    response = sign_in("alice").get(format_url(follow_up, closed.education))
    assert response.status_code == 200
    text = response.text
    assert "Last round:" in text
    assert "✓</span> yes — Vijf nieuwe stagebedrijven" in text
    assert "✗</span> no" in text
    assert "–</span> not answered" in text  # a motive not answered last round


def test_the_read_only_format_of_a_follow_up_round_shows_last_round_too(sign_in, closed, follow_up):
    preparation = follow_up.preparations.get(organisation=closed.education)
    preparation.submitted_at = timezone.now()
    preparation.save()
    text = sign_in("alice").get(format_url(follow_up, closed.education)).text
    assert "Withdraw submission" in text  # the read-only page, not the form
    assert "yes — Vijf nieuwe stagebedrijven" in text


def test_a_first_round_format_has_no_last_round_line(sign_in, closed):
    closed.phase = Phase.PREPARATION
    closed.save()
    text = sign_in("alice").get(format_url(closed, closed.education)).text
    assert "Last round:" not in text


def test_last_round_of_another_organisation_stays_private(sign_in, closed, follow_up):
    text = sign_in("bob").get(format_url(follow_up, closed.practice)).text
    assert "Last round:" in text
    assert "Vijf nieuwe stagebedrijven" not in text


# --- reviewing the previous round ------------------------------------------------------


@pytest.fixture
def reviewing(closed, follow_up):
    follow_up.phase = Phase.DIALOGUE
    follow_up.save()
    follow_up.joint = factories.JointMotiveFactory(
        session=closed, intended_outcome="Twintig studenten per jaar"
    )
    follow_up.agreement = factories.AgreementFactory(session=closed, text="Kwartaaloverleg")
    return follow_up


def review_url(session):
    return reverse("review_list", args=[session.pk])


def review_data(target_key, realised, note="", version=""):
    return {
        "item": target_key,
        f"{target_key}-realised": realised,
        f"{target_key}-note": note,
        f"{target_key}-version": version,
    }


def test_the_facilitator_reviews_the_previous_rounds_outcomes(sign_in, reviewing):
    client = sign_in("carol")
    page = client.get(review_url(reviewing))
    assert page.status_code == 200
    assert "Twintig studenten per jaar" in page.text
    assert "Kwartaaloverleg" in page.text
    assert page.text.count("Not reviewed yet") >= 2
    key = f"motive-{reviewing.joint.pk}"
    response = client.post(review_url(reviewing), review_data(key, "partly", "Vijftien gehaald"))
    assert response.status_code == 302
    assert response.url.endswith(f"#{key}")
    review = OutcomeReview.objects.get()
    assert (review.joint_motive, review.realised, review.note) == (
        reviewing.joint,
        "partly",
        "Vijftien gehaald",
    )
    page = client.get(review_url(reviewing)).text
    assert "Partly realised" in page
    assert "Vijftien gehaald" in page


def test_a_member_reads_the_review_without_forms(sign_in, reviewing):
    OutcomeReview.objects.create(
        session=reviewing, agreement=reviewing.agreement, realised="yes", note="Loopt goed"
    )
    client = sign_in("alice")
    page = client.get(review_url(reviewing))
    assert page.status_code == 200
    assert "Realised" in page.text
    assert "Loopt goed" in page.text
    assert 'name="item"' not in page.text
    key = f"agreement-{reviewing.agreement.pk}"
    assert client.post(review_url(reviewing), review_data(key, "no")).status_code == 404
    assert OutcomeReview.objects.get().realised == "yes"


def test_a_review_saved_meanwhile_is_shown_and_the_typed_one_kept(sign_in, reviewing):
    OutcomeReview.objects.create(
        session=reviewing, agreement=reviewing.agreement, realised="yes", note="Van Dave"
    )
    key = f"agreement-{reviewing.agreement.pk}"
    response = sign_in("carol").post(
        review_url(reviewing), review_data(key, "no", "Van Carol", version="")
    )
    assert response.status_code == 409
    assert "Van Dave" in response.text
    assert "Van Carol" in response.text
    assert f'name="{key}-version" value="1"' in response.text
    assert OutcomeReview.objects.get().note == "Van Dave"


def test_a_closed_follow_up_shows_the_review_read_only(sign_in, reviewing):
    reviewing.phase = Phase.CLOSED
    reviewing.save()
    client = sign_in("carol")
    page = client.get(review_url(reviewing))
    assert page.status_code == 200
    assert 'name="item"' not in page.text
    key = f"motive-{reviewing.joint.pk}"
    response = client.post(review_url(reviewing), review_data(key, "yes", "Te laat"))
    assert response.status_code == 409
    assert "Te laat" in response.text
    assert not OutcomeReview.objects.exists()


def test_an_item_outside_the_previous_round_cannot_be_reviewed(sign_in, reviewing):
    elsewhere = factories.AgreementFactory()
    key = f"agreement-{elsewhere.pk}"
    response = sign_in("carol").post(review_url(reviewing), review_data(key, "yes"))
    assert response.status_code == 302
    assert not OutcomeReview.objects.exists()


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
def test_the_review_opens_with_the_joint_dialogue(sign_in, reviewing, phase):
    reviewing.phase = phase
    reviewing.save()
    assert sign_in("carol").get(review_url(reviewing)).status_code == 404


def test_a_first_round_has_no_review_page(sign_in, closed):
    assert sign_in("carol").get(review_url(closed)).status_code == 404


def test_an_outsider_gets_404_for_the_review(sign_in, reviewing):
    assert sign_in("mallory").get(review_url(reviewing)).status_code == 404


def test_the_session_page_links_to_the_review_of_a_follow_up_round(sign_in, reviewing):
    text = sign_in("alice").get(reverse("session_detail", args=[reviewing.pk])).text
    assert review_url(reviewing) in text
    assert reverse("session_results", args=[reviewing.pk]) in text


# --- the review is one form: every item in one save ---------------------------------


def review_page_data(page):
    from tests.helpers import form_data

    return form_data(page, "review-form")


def test_filling_in_two_items_and_saving_once_stores_both(sign_in, reviewing):
    client = sign_in("carol")
    data = review_page_data(client.get(review_url(reviewing)).text)
    motive, agreement = f"motive-{reviewing.joint.pk}", f"agreement-{reviewing.agreement.pk}"
    data.update(
        {
            f"{motive}-realised": "yes",
            f"{motive}-note": "Gehaald",
            f"{agreement}-realised": "partly",
            f"{agreement}-note": "Twee keer overlegd",
        }
    )
    response = client.post(review_url(reviewing), data, follow=True)
    assert response.status_code == 200
    assert "The reviews of 2 items were saved." in response.text
    reviews = {
        (review.joint_motive_id, review.agreement_id): (review.realised, review.note)
        for review in OutcomeReview.objects.all()
    }
    assert reviews == {
        (reviewing.joint.pk, None): ("yes", "Gehaald"),
        (None, reviewing.agreement.pk): ("partly", "Twee keer overlegd"),
    }


def test_the_review_page_has_one_form_and_one_save_button(sign_in, reviewing):
    page = sign_in("carol").get(review_url(reviewing)).text
    assert page.count('<form method="post" novalidate id="review-form">') == 1
    assert "Save the review" in page
    assert f'name="motive-{reviewing.joint.pk}-note"' in page
    assert f'name="agreement-{reviewing.agreement.pk}-note"' in page


def test_an_item_someone_saved_meanwhile_comes_back_typed_and_the_other_is_saved(
    sign_in, closed, reviewing
):
    client = sign_in("carol")
    data = review_page_data(client.get(review_url(reviewing)).text)
    # Dave reviews the agreement after Carol opened the page.
    rounds.review_record(
        session=reviewing,
        by=closed.people["dave"],
        target=reviewing.agreement,
        realised="yes",
        note="Van Dave",
    )
    motive, agreement = f"motive-{reviewing.joint.pk}", f"agreement-{reviewing.agreement.pk}"
    data.update(
        {
            f"{motive}-realised": "no",
            f"{motive}-note": "Van Carol over het motief",
            f"{agreement}-realised": "no",
            f"{agreement}-note": "Van Carol over de afspraak",
        }
    )
    response = client.post(review_url(reviewing), data)

    assert response.status_code == 409
    assert "Van Dave" in response.text  # the saved review, next to hers
    assert "Van Carol over de afspraak" in response.text  # her typed text, kept
    assert OutcomeReview.objects.get(agreement=reviewing.agreement).note == "Van Dave"
    assert (
        OutcomeReview.objects.get(joint_motive=reviewing.joint).note == "Van Carol over het motief"
    )
    # Saving the page as shown now knowingly replaces Dave's review with hers.
    again = review_page_data(response.text)
    assert client.post(review_url(reviewing), again).status_code == 302
    assert (
        OutcomeReview.objects.get(agreement=reviewing.agreement).note
        == "Van Carol over de afspraak"
    )


def test_an_untouched_item_never_conflicts_with_someone_elses_save(sign_in, closed, reviewing):
    client = sign_in("carol")
    data = review_page_data(client.get(review_url(reviewing)).text)
    rounds.review_record(
        session=reviewing,
        by=closed.people["dave"],
        target=reviewing.agreement,
        realised="yes",
        note="Van Dave",
    )
    data[f"motive-{reviewing.joint.pk}-realised"] = "partly"
    response = client.post(review_url(reviewing), data)
    assert response.status_code == 302
    assert OutcomeReview.objects.get(agreement=reviewing.agreement).note == "Van Dave"
    assert OutcomeReview.objects.get(joint_motive=reviewing.joint).realised == "partly"


def test_an_invalid_item_saves_nothing_and_keeps_every_typed_text(sign_in, reviewing):
    client = sign_in("carol")
    data = review_page_data(client.get(review_url(reviewing)).text)
    data[f"motive-{reviewing.joint.pk}-note"] = "Bewaar mij"
    data[f"agreement-{reviewing.agreement.pk}-note"] = "x" * 2001
    response = client.post(review_url(reviewing), data)
    assert response.status_code == 400
    assert "Bewaar mij" in response.text
    assert "x" * 2001 in response.text
    assert not OutcomeReview.objects.exists()
