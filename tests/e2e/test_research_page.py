"""A researcher reads the article's Tables 3-6 from the demo cases in a real browser.

The five cases of fixtures/research are imported; the researcher signs in, opens
the research view from the navigation, sees one column group per case with the
article's marks, narrows it down, changes the threshold and downloads the CSV.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from motives.models import Motive
from sessions.interchange.format import import_session
from tests.factories import PASSWORD, ResearcherFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESEARCH_DIR = Path(settings.BASE_DIR) / "fixtures" / "research"
PAGE = "/research/cross-case/"


def load_cases():
    for path in sorted(RESEARCH_DIR.glob("*.json")):
        import_session(json.loads(path.read_text(encoding="utf-8")))


def sign_in(page, base, email):
    page.set_default_timeout(10_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def row_of(page, code):
    label = Motive.objects.get(code=code).label_nl
    return page.locator("tbody tr", has=page.locator("th.rc-motive", has_text=label))


def marked_columns(row):
    cells = row.locator("td")
    return [i for i in range(cells.count()) if "rc-marked" in cells.nth(i).get_attribute("class")]


def test_a_researcher_reads_the_articles_tables_and_downloads_them(live_server, page, screenshot):
    load_cases()
    ResearcherFactory(email="rita@example.org", name="Rita Onderzoeker")
    sign_in(page, live_server.url, "rita@example.org")
    errors = []  # a blocked stylesheet (Content-Security-Policy) shows up here
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.click(f"nav a[href='{PAGE}']")
    page.wait_for_load_state()
    groups = page.locator("thead th[scope=colgroup]")
    assert [groups.nth(i).locator(".rc-sector").inner_text() for i in range(groups.count())] == [
        "ICT",
        "Techniek",
        "Educatie",
        "Economie",
        "Zorg",
    ]
    # Table 3, "Imago": the practice partners (WV) of ICT, Techniek and Zorg.
    assert marked_columns(row_of(page, "legitimising.image")) == [0, 2, 8]
    # Table 4, "Ontwikkelen student": every side of every case.
    assert marked_columns(row_of(page, "development.students")) == list(range(10))
    imago = row_of(page, "legitimising.image").locator("td").first
    assert "organisaties" in imago.get_attribute("title") or "organisations" in (
        imago.get_attribute("title")
    )
    screenshot("research-cross-case-nl")
    assert errors == []
    assert (
        page.evaluate("getComputedStyle(document.querySelector('td.rc-marked')).backgroundColor")
        == "rgb(209, 231, 221)"
    )  # research.css has loaded

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="main")
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [v["id"] for v in serious]

    # As in the article: only the motives marked for some case.
    page.check("#id_marked_only")
    page.click("main form button[name=apply]")
    page.wait_for_load_state()
    assert page.locator("tbody th.rc-motive").count() == 13
    screenshot("research-cross-case-article-rows-nl")

    # The two public-public cases only, at a threshold of 1 (every respondent).
    for index in (0, 1, 3):
        page.uncheck(f"#id_cases_{index}")
    page.fill("#id_threshold", "1")
    page.click("main form button[name=apply]")
    page.wait_for_load_state()
    assert page.locator("thead th[scope=colgroup]").count() == 2
    assert "threshold=1" in page.url
    screenshot("research-cross-case-public-public-nl")

    with page.expect_download() as download_info:
        page.click("main a[download]")
    download = download_info.value
    assert download.suggested_filename == "sms-cross-case.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("learning_community,sector,session,motive,side,share,marked")
    assert len(lines) == 1 + 22 * 2 * 2
    assert {line.split(",")[1] for line in lines[1:]} == {"Educatie", "Zorg"}


def test_a_bad_threshold_is_explained_on_the_page(live_server, page, screenshot):
    load_cases()
    ResearcherFactory(email="rita@example.org")
    sign_in(page, live_server.url, "rita@example.org")
    page.goto(live_server.url + PAGE + "?threshold=0")
    assert page.locator("#id_threshold").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_threshold_error").is_visible()
    assert page.locator("table").count() == 0
    screenshot("research-cross-case-bad-threshold-nl")
