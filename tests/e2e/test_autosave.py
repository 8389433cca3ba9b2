"""The format keeps what is typed: autosave, the leave warning, no JavaScript, a failed save.

A member types in the format. After a short pause the text is saved by itself and
the status line says so; after a reload it is there. Following a link with
unsaved text asks first, and staying keeps the text. Without JavaScript the Save
button saves. When the server cannot save (the database is down), the error page
says nothing was saved, and going back shows the typed text again.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse

from motives.models import Motive
from sessions.models import Answer
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


@pytest.fixture
def new_page(browser):
    """Opens pages in new browser contexts, closed at the end (and their connections with them)."""
    contexts = []

    def open_page(base, *, language="nl", javascript=True):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"autosave-{name}.png"), full_page=True)


def sign_in(page, base, email):
    page.goto(base + reverse("login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def outcome_field(code="capital.network"):
    return f"#id_outcome_{Motive.objects.get(code=code).pk}"


def stored_outcome(preparation, code="capital.network"):
    answer = Answer.objects.filter(preparation=preparation, motive__code=code).first()
    return answer.intended_outcome if answer else None


def format_url(base, preparation):
    return base + reverse("preparation_detail", args=[preparation.session_id, preparation.pk])


def test_typed_text_is_saved_by_itself_and_is_there_after_a_reload(
    live_server, new_page, session, education
):
    page = new_page(live_server.url)
    sign_in(page, live_server.url, "alice@example.org")
    page.goto(format_url(live_server.url, education))
    page.fill(outcome_field(), "Meer stageplekken in de regio")

    status = page.locator("#autosave-status")
    assert status.get_attribute("aria-live") == "polite"
    status.filter(has_text="Opgeslagen om").wait_for()
    assert stored_outcome(education) == "Meer stageplekken in de regio"

    page.reload()
    assert page.input_value(outcome_field()) == "Meer stageplekken in de regio"
    # Saved and unchanged: leaving asks nothing.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.click("a.navbar-brand")
    page.wait_for_load_state()
    assert dialogs == []


def test_following_a_link_with_unsaved_text_asks_first_and_staying_keeps_the_text(
    live_server, new_page, session, education
):
    page = new_page(live_server.url)
    sign_in(page, live_server.url, "alice@example.org")
    url = format_url(live_server.url, education)
    page.goto(url)
    page.click(outcome_field())
    page.keyboard.type("Nog niet opgeslagen tekst")  # and at once away, before the autosave

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", stay)
    page.click("a.navbar-brand", no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == url
    assert page.input_value(outcome_field()) == "Nog niet opgeslagen tekst"

    # Pressing Save with the unsaved text asks nothing, and saves.
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]
    assert "Uw concept is opgeslagen" in page.content()
    assert stored_outcome(education) == "Nog niet opgeslagen tekst"


def test_without_javascript_the_save_button_saves_merged_with_a_colleagues_save(
    live_server, new_page, session, education
):
    from sessions.preparation.services import AnswerInput, preparation_save
    from tests import factories

    erin = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=erin, organisation=session.education)
    page = new_page(live_server.url, language="en", javascript=False)
    sign_in(page, live_server.url, "alice@example.org")
    page.goto(format_url(live_server.url, education))
    assert page.locator("#autosave-status").inner_text() == ""  # no script ran
    preparation_save(  # Erin saves another motive meanwhile
        preparation=education,
        by=erin,
        answers={"capital.financial": AnswerInput(False, "Van Erin")},
        other_motives=[],
        base_version=education.version,
    )
    page.fill(outcome_field(), "Zonder JavaScript")
    page.check(f"input[name=applies_{Motive.objects.get(code='capital.network').pk}][value=yes]")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Your draft was saved at" in page.content()
    assert "combined with the changes of a colleague: 2 fields they changed were kept" in (
        page.content()
    )
    assert stored_outcome(education) == "Zonder JavaScript"
    assert stored_outcome(education, "capital.financial") == "Van Erin"
    assert page.input_value(outcome_field()) == "Zonder JavaScript"
    assert page.input_value(outcome_field("capital.financial")) == "Van Erin"


def test_when_the_save_fails_the_page_says_so_and_going_back_shows_the_text(
    live_server, new_page, session, education, monkeypatch
):
    def database_down(**kwargs):
        raise OperationalError("could not connect to server")

    page = new_page(live_server.url)
    sign_in(page, live_server.url, "alice@example.org")
    url = format_url(live_server.url, education)
    page.goto(url)
    monkeypatch.setattr("sessions.preparation.services.preparation_save", database_down)
    page.fill(outcome_field(), "Tekst die niet verloren mag gaan")
    page.fill(outcome_field("capital.innovation"), "En deze ook")
    page.click("button[name=save]")
    page.wait_for_load_state()

    body = page.locator("main").inner_text()
    assert "Er is niets opgeslagen." in body
    assert "uw tekst staat nog in het formulier" in body
    shot(page, "save-failed-nl")

    page.go_back()
    page.wait_for_load_state()
    assert page.url == url
    assert page.input_value(outcome_field()) == "Tekst die niet verloren mag gaan"
    assert page.input_value(outcome_field("capital.innovation")) == "En deze ook"
    shot(page, "save-failed-back-nl")

    # The database is back: saving now stores it, and the copy in the tab is dropped.
    monkeypatch.undo()
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert stored_outcome(education) == "Tekst die niet verloren mag gaan"
    assert stored_outcome(education, "capital.innovation") == "En deze ook"
    kept = page.evaluate("Object.keys(window.sessionStorage)")
    assert kept == []


def test_text_of_a_failed_save_comes_back_marked_when_the_format_is_opened_again(
    live_server, new_page, session, education, monkeypatch
):
    """Not the back button (the browser may restore the form itself): a fresh page load."""

    def database_down(**kwargs):
        raise OperationalError("could not connect to server")

    page = new_page(live_server.url, language="en")
    sign_in(page, live_server.url, "alice@example.org")
    url = format_url(live_server.url, education)
    page.goto(url)
    monkeypatch.setattr("sessions.preparation.services.preparation_save", database_down)
    page.fill(outcome_field(), "Bewaard in het tabblad")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Nothing was saved." in page.locator("main").inner_text()
    monkeypatch.undo()

    page.goto(url)  # a new load of the page, from the server
    assert page.input_value(outcome_field()) == "Bewaard in het tabblad"
    notice = page.locator("#restore-notice")
    assert notice.is_visible()
    assert "This browser tab kept text you typed that was not saved" in notice.inner_text()
    assert page.locator(".restored-mark").count() == 1
    shot(page, "restored-text-en")
    assert stored_outcome(education) is None  # restored in the form, not saved by itself
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert stored_outcome(education) == "Bewaard in het tabblad"
    assert page.evaluate("Object.keys(window.sessionStorage)") == []
    assert not page.locator("#restore-notice").is_visible()


def test_text_saved_through_save_and_submit_is_not_offered_back_later(
    live_server, new_page, session, education
):
    """The copy in the tab is dropped once saved, even when a colleague changes it after."""
    from sessions.preparation.services import AnswerInput, preparation_save
    from tests import factories

    erin = factories.UserFactory(email="erin@example.org", name="Erin")
    factories.MembershipFactory(person=erin, organisation=session.education)
    page = new_page(live_server.url, language="en")
    sign_in(page, live_server.url, "alice@example.org")
    url = format_url(live_server.url, education)
    page.goto(url)
    page.fill(outcome_field(), "Van Alice")
    page.click("button[name=submit]")  # saves, then asks to confirm the submission
    page.wait_for_load_state()
    assert page.url.endswith("/submit/")
    assert stored_outcome(education) == "Van Alice"
    current = type(education).objects.get(pk=education.pk)
    preparation_save(
        preparation=current,
        by=erin,
        answers={"capital.network": AnswerInput(True, "Van Erin")},
        other_motives=[],
        base_version=current.version,
    )

    page.goto(url)
    assert page.input_value(outcome_field()) == "Van Erin"
    assert not page.locator("#restore-notice").is_visible()
    assert page.locator(".not-restored").count() == 0
