"""Round 2 starts from round 1, in a browser: copy, see the marks, Enter saves, confirm one.

A member of Hogeschool Zuid opens the format of the next round, copies last
round's answers, sees each copied one marked, presses Enter in a text field
(which saves, it does not confirm or copy) and confirms one answer.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from motives.models import Motive
from sessions.dialogue import rounds
from sessions.models import Answer, Phase
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def preparation(session):
    zuid = session.preparations.get(organisation=session.education)
    for code, applies, outcome in [
        ("capital.network", True, "Meer stageplaatsen"),
        ("capital.financial", False, ""),
    ]:
        factories.AnswerFactory(
            preparation=zuid,
            motive=Motive.objects.get(code=code),
            applies=applies,
            intended_outcome=outcome,
        )
    zuid.submitted_at = timezone.now()
    zuid.save()
    session.phase = Phase.CLOSED
    session.save()
    second = rounds.session_start_next_round(
        session=session, by=session.people["dave"], title="Evaluatie najaar"
    )
    second.phase = Phase.PREPARATION
    second.save()
    return second.preparations.get(organisation=session.education)


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"copy-previous-{name}.png"), full_page=True)


def test_a_member_copies_last_rounds_answers_and_confirms_one(live_server, page, preparation):
    page.set_default_timeout(10_000)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(
        live_server.url
        + reverse("preparation_detail", args=[preparation.session_id, preparation.pk])
    )
    shot(page, "offered")

    page.get_by_role("button", name="Copy the answers of the previous round").click()
    page.wait_for_load_state()
    assert page.get_by_text("2 answers were copied from the previous round").is_visible()
    assert page.locator(".copied-marker").count() == 2
    shot(page, "copied")

    # Enter in a text field saves the draft; it neither confirms nor copies
    page.fill("[name=other_1_text]", "Eigen motief")
    page.press("[name=other_1_text]", "Enter")
    page.wait_for_load_state()
    assert page.get_by_text("Your draft was saved").is_visible()
    assert Answer.objects.filter(preparation=preparation, copied_from_previous=True).count() == 2

    page.locator(".copied-marker button").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("1 copied answer is confirmed").is_visible()
    assert page.locator(".copied-marker").count() == 1
    shot(page, "confirmed")
