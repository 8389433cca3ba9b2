import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_start_page_loads_in_chromium_in_dutch(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name="Strategische motieven voor samenwerking").is_visible()
    # Bootstrap is served locally: its stylesheet must have loaded.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    assert screenshot("start-nl").stat().st_size > 10_000


def test_the_language_switch_shows_the_site_in_english(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Strategic motives for collaboration").is_visible()
    screenshot("start-en")


def test_a_person_signs_in_from_the_login_page(live_server, page, screenshot):
    from tests.factories import PASSWORD, UserFactory

    UserFactory(email="alice@example.org", name="Alice de Vries")
    page.goto(live_server.url + "/accounts/login/")
    screenshot("login-nl")
    page.get_by_label("E-mailadres").fill("alice@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Mijn sessies").is_visible()
    assert page.get_by_text("Alice de Vries").is_visible()
    screenshot("signed-in-nl")
