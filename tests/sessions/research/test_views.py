"""The cross-case research page and its CSV download: who gets in, the table, the parameters."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import LearningCommunity, User
from sessions.interchange.format import import_session
from sessions.management.commands.load_demo import DEMO_PASSWORD, RESEARCHER_EMAIL
from sessions.models import Phase
from tests import factories

NETWORK = "capital.network"
STUDENTS = "development.students"
PAGE = "research_cross_case"
CSV = "research_cross_case_csv"
XLSX = "research_cross_case_xlsx"


def url(name=PAGE, **query):
    path = reverse(name)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


@pytest.fixture
def researcher(db):
    return factories.ResearcherFactory(email="rita@example.org", name="Rita Researcher")


@pytest.fixture
def as_researcher(client, researcher):
    client.force_login(researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def cases(db):
    """ICT: 4 practice partners (3 name the network), 2 education partners (1 does).
    Zorg: 2 practice partners and no education partner."""
    ict = factories.research_case(
        sector="ICT",
        name="LC ICT",
        practice=[{NETWORK, STUDENTS}] * 3 + [{STUDENTS}],
        education=[{STUDENTS}, {NETWORK, STUDENTS}],
    )
    care = factories.research_case(
        sector="Zorg", name="LC Zorg", practice=[{STUDENTS}, {STUDENTS}], phase=Phase.DIALOGUE
    )
    return ict, care


def cell(html, title):
    """The text of the first table cell with this title attribute."""
    start = html.index(f'title="{title}"')
    return html[html.index(">", start) + 1 : html.index("</td>", start)]


# --- who gets in --------------------------------------------------------------


@pytest.mark.parametrize("name", [PAGE, CSV, XLSX])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [PAGE, CSV, XLSX])
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave", "mallory"])
def test_people_who_are_not_researchers_get_404_even_in_a_session_in_the_dialogue(
    sign_in, session, name, person
):
    session.phase = Phase.DIALOGUE
    session.save()
    assert sign_in(person).get(url(name)).status_code == 404


def test_a_coordinator_in_the_coordinators_group_is_no_researcher(sign_in, session):
    Group.objects.get(name="Coordinators").user_set.add(session.people["dave"])
    assert sign_in("dave").get(url()).status_code == 404


@pytest.mark.parametrize("name", [PAGE, CSV, XLSX])
def test_researchers_and_superusers_get_in(as_researcher, client, cases, name):
    assert as_researcher.get(url(name)).status_code == 200
    admin = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(url(name)).status_code == 200


def test_the_navigation_shows_research_to_researchers_only(as_researcher, client, sign_in, cases):
    link = f'href="{reverse(PAGE)}"'
    assert link in as_researcher.get(reverse("home")).content.decode()
    assert link not in sign_in("alice").get(reverse("home")).content.decode()


# --- the table ----------------------------------------------------------------------


def test_each_case_is_a_column_group_by_sector_with_practice_and_education_columns(
    as_researcher, cases
):
    html = as_researcher.get(url()).content.decode()
    assert '<th scope="colgroup" colspan="2"' in html
    assert html.index("LC ICT") < html.index("LC Zorg")
    assert html.count('<colgroup span="2">') == 2
    assert html.count(">Practice") == 2 and html.count(">Education") == 2
    assert "n = 4" in html and "n = 2" in html and "n = 0" in html


def test_a_share_at_the_threshold_is_marked_with_its_share_and_counts_on_hover(
    as_researcher, cases
):
    html = as_researcher.get(url()).content.decode()
    assert "✓ 75%" not in html  # the tick is hidden from screen readers, the word is not
    marked = cell(html, "3 of 4 organisations")
    assert "✓" in marked and "marked" in marked and "75%" in marked
    unmarked = cell(html, "1 of 2 organisations")
    assert "50%" in unmarked and "✓" not in unmarked


def test_a_side_without_organisations_shows_a_dash_and_says_so_to_screen_readers(
    as_researcher, cases
):
    html = as_researcher.get(url()).content.decode()
    empty = cell(html, "no organisations")
    assert '<span aria-hidden="true">–</span>' in empty
    assert '<span class="visually-hidden">no organisations</span>' in empty


def test_motives_are_grouped_by_cluster_in_catalogue_order(as_researcher, cases):
    html = as_researcher.get(url()).content.decode()
    clusters = ["Legitimising motives", "Development", "Capital", "Societal"]
    positions = [html.index(f'<span class="rc-cluster-label">{name}') for name in clusters]
    assert positions == sorted(positions)


def test_a_session_in_preparation_is_no_case_until_its_dialogue_opens(as_researcher, cases):
    early = factories.research_case(
        sector="Economie", name="LC Economie", practice=[{NETWORK}], phase=Phase.PREPARATION
    )
    assert "LC Economie" not in as_researcher.get(url()).content.decode()
    early.phase = Phase.DIALOGUE
    early.save()
    assert "LC Economie" in as_researcher.get(url()).content.decode()


def test_names_are_shown_as_text_never_as_markup(as_researcher, db):
    factories.research_case(
        sector='<b>"Zorg"</b>', name="<script>alert(1)</script> LC", practice=[{NETWORK}]
    )
    html = as_researcher.get(url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; LC" in html


def test_without_cases_the_page_explains_when_they_appear(as_researcher, db):
    html = as_researcher.get(url()).content.decode()
    assert "No cases yet." in html
    assert "<table" not in html


# --- the parameters -------------------------------------------------------------------


def test_every_case_is_ticked_and_the_threshold_is_075_by_default(as_researcher, cases):
    response = as_researcher.get(url())
    form = response.context["form"]
    assert form["threshold"].value() == Decimal("0.75")
    assert 'value="0.75"' in response.content.decode()
    assert len(form["cases"].value()) == 2
    assert response.content.decode().count('name="cases"') == 2


def test_a_higher_threshold_unmarks_a_share_below_it(as_researcher, cases):
    html = as_researcher.get(url(threshold="0.8")).content.decode()
    assert "✓" not in cell(html, "3 of 4 organisations")
    assert "at least 80% of a side" in html


def test_the_chosen_cases_are_the_only_columns(as_researcher, cases):
    ict, _care = cases
    html = as_researcher.get(url(cases=ict.community_id, apply="1")).content.decode()
    assert html.count('<colgroup span="2">') == 1
    assert "n = 0" not in html


def test_only_marked_motives_can_be_shown_as_in_the_article(as_researcher, cases):
    response = as_researcher.get(url(marked_only="on"))
    labels = [row["motive"].code for group in response.context["groups"] for row in group["rows"]]
    assert labels == [STUDENTS, NETWORK]
    assert "Showing 2 of 22 motives" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Enter a number."),
        ("0", "The threshold must be more than 0"),
        ("1.5", "less than or equal to 1"),
        ("0.123456", "no more than 4 decimal places"),
        ("", "Enter a threshold such as 0.75."),
    ],
)
def test_a_bad_threshold_gets_a_clear_message_and_keeps_what_was_typed(
    as_researcher, cases, value, message
):
    response = as_researcher.get(url(threshold=value))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{value}"' in html or value == ""
    assert "<table" not in html


def test_applying_without_any_case_asks_for_one(as_researcher, cases):
    html = as_researcher.get(url(threshold="0.75", apply="1")).content.decode()
    assert "Choose at least one case." in html
    assert "<table" not in html


def test_an_unknown_case_is_named_in_the_message(as_researcher, cases):
    html = as_researcher.get(url(cases="999999", apply="1")).content.decode()
    assert "A chosen case is no longer available (999999)" in html


# --- the CSV download -------------------------------------------------------------


def test_the_csv_is_the_commands_csv_for_the_same_parameters(as_researcher, cases):
    ict, care = cases
    response = as_researcher.get(
        url(CSV, threshold="0.8", cases=f"{ict.community_id}&cases={care.community_id}")
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sms-cross-case.csv"'
    out = io.StringIO()
    call_command("cross_case", "--threshold", "0.8", "--format", "csv", stdout=out)
    assert response.content.decode() == out.getvalue()
    assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == 22 * 2 * 2


def test_the_page_links_the_csv_with_its_own_parameters(as_researcher, cases):
    ict, _care = cases
    response = as_researcher.get(url(threshold="0.6", cases=ict.community_id, apply="1"))
    csv_url = response.context["csv_url"]
    assert csv_url.startswith(reverse(CSV) + "?")
    assert "threshold=0.6" in csv_url and f"cases={ict.community_id}" in csv_url
    rows = list(csv.DictReader(io.StringIO(as_researcher.get(csv_url).content.decode())))
    assert {row["learning_community"] for row in rows} == {"LC ICT"}
    assert {row["threshold"] for row in rows} == {"0.6"}


def test_a_csv_with_bad_parameters_goes_back_to_the_page_that_explains(as_researcher, cases):
    response = as_researcher.get(url(CSV, threshold="2"))
    assert response.status_code == 302
    assert response.headers["Location"] == url(threshold="2")


# --- the demo ------------------------------------------------------------------------


def test_the_demo_has_a_researcher_who_sees_the_articles_five_cases(client, db):
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    assert RESEARCHER_EMAIL in out.getvalue()
    researcher = User.objects.get(email=RESEARCHER_EMAIL)
    assert researcher.check_password(DEMO_PASSWORD)
    client.force_login(researcher)
    html = client.get(url()).content.decode()
    for number in range(1, 6):
        assert f"Onderzoek casus {number} – LC" in html


# --- speed ----------------------------------------------------------------------------


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url()).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_number_of_queries_for_two_or_five_cases(as_researcher, db):
    for index in range(2):
        factories.research_case(sector=f"S{index}", practice=[{NETWORK}] * 3, education=[set()])
    two = count_queries(as_researcher)
    for index in range(2, 5):
        factories.research_case(sector=f"S{index}", practice=[{NETWORK}] * 3, education=[set()])
    assert count_queries(as_researcher) == two


# --- consent -------------------------------------------------------------------------

RESEARCH_DIR = Path(settings.BASE_DIR) / "fixtures" / "research"


def comparable(value):
    """A cell as a number when it is one: the sheet keeps numbers as numbers (0 for "0.0")."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return "" if value is None else value


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        [comparable(value) for value in row] for row in workbook.active.iter_rows(values_only=True)
    ]


def csv_rows(text):
    return [[comparable(value) for value in row] for row in csv.reader(io.StringIO(text))]


def command_json():
    out = io.StringIO()
    call_command("cross_case", stdout=out)
    return json.loads(out.getvalue())


def test_a_community_without_consent_leaves_the_page_both_downloads_and_the_command(
    as_researcher,
):
    """The article's five cases; Economie's consent goes: its marks go, the others stay equal."""
    for path in sorted(RESEARCH_DIR.glob("*.json")):
        import_session(json.loads(path.read_text(encoding="utf-8")))
    economie = LearningCommunity.objects.get(sector="Economie")

    def everything():
        return (
            as_researcher.get(url()).content.decode(),
            csv_rows(as_researcher.get(url(CSV)).content.decode()),
            xlsx_rows(as_researcher.get(url(XLSX))),
            command_json(),
        )

    page, table, sheet, data = everything()
    assert economie.name in page
    LearningCommunity.objects.filter(pk=economie.pk).update(research_consent=False)
    page_after, table_after, sheet_after, data_after = everything()

    assert economie.name not in page_after
    assert "Economie" not in page_after
    assert page_after.count('<colgroup span="2">') == 4
    for before, after in ((table, table_after), (sheet, sheet_after)):
        assert after[0] == before[0]
        others = [row for row in before[1:] if row[1] != "Economie"]
        assert len(others) == len(before[1:]) * 4 // 5
        assert after[1:] == others
    assert [case["sector"] for case in data_after["cases"]] == [
        "ICT",
        "Techniek",
        "Educatie",
        "Zorg",
    ]
    assert data_after["marks"] == [m for m in data["marks"] if m["sector"] != "Economie"]


def test_the_page_states_the_consent_rule_but_names_and_counts_no_community_left_out(
    as_researcher, cases
):
    factories.research_case(
        sector="Onderwijs", name="LC Zonder Toestemming", practice=[{NETWORK}], consent=False
    )
    html = as_researcher.get(url()).content.decode()
    assert "Only learning communities whose coordinator agreed to the research view" in html
    assert "LC Zonder Toestemming" not in html
    assert "Onderwijs" not in html
    assert html.count('name="cases"') == 2
    assert "left out" not in html


def test_without_consenting_communities_the_page_explains_that_consent_is_needed(as_researcher, db):
    factories.research_case(sector="ICT", name="LC Zonder", practice=[{NETWORK}], consent=False)
    html = as_researcher.get(url()).content.decode()
    assert "No cases yet." in html
    assert "once its coordinator has agreed to the research view" in html
    assert "LC Zonder" not in html
    assert "<table" not in html


def test_a_case_chosen_before_its_consent_was_withdrawn_is_no_longer_available(
    as_researcher, cases
):
    ict, _care = cases
    LearningCommunity.objects.filter(pk=ict.community_id).update(research_consent=False)
    html = as_researcher.get(url(cases=ict.community_id, apply="1")).content.decode()
    assert f"A chosen case is no longer available ({ict.community_id})" in html
    assert "LC ICT" not in html
    for name in (CSV, XLSX):
        response = as_researcher.get(url(name, cases=ict.community_id, apply="1"))
        assert response.status_code == 302


@pytest.mark.parametrize("name", [CSV, XLSX])
def test_the_downloads_are_not_kept_in_a_cache_after_consent_is_withdrawn(
    as_researcher, cases, name
):
    assert as_researcher.get(url(name))["Cache-Control"] == "private, no-store"


# --- n per column ------------------------------------------------------------------------


def side_headings(html):
    """The text of each practice/education column heading, in table order."""
    return [
        html[html.index(">", start) + 1 : html.index("</th>", start)]
        for start in (m.start() for m in re.finditer(r'<th scope="col" class="rc-side', html))
    ]


def test_every_column_shows_its_n_and_one_below_three_is_marked_with_a_legend(as_researcher, cases):
    html = as_researcher.get(url()).content.decode()
    headings = side_headings(html)
    # ICT: practice 4, education 2; Zorg: practice 2, education 0.
    assert ["n = 4" in h for h in headings] == [True, False, False, False]
    assert ["n = 2" in h for h in headings] == [False, True, True, False]
    assert "n = 0" in headings[3]
    few = "(n &lt; 3: a share may describe one or two organisations)"
    assert [few in h and "⚠" in h for h in headings] == [False, True, True, True]
    assert '<th scope="col" class="rc-side rc-case-start">' in html  # ICT practice, n = 4
    assert "n &lt; 3: a share may describe one or two organisations</li>" in html
    # the cells of a marked column are marked too: 1 of 2 education partners name the network
    start = html.index('title="1 of 2 organisations"')
    assert "rc-few" in html[html.rindex("<td", 0, start) : start]
    start = html.index('title="3 of 4 organisations"')
    assert "rc-few" not in html[html.rindex("<td", 0, start) : start]


def test_the_n_marking_and_its_legend_are_in_dutch(client, researcher, cases):
    client.force_login(researcher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(url()).content.decode()
    few = "n &lt; 3: een aandeel kan over één of twee organisaties gaan"
    assert f"{few}</li>" in html
    assert [few in h for h in side_headings(html)] == [False, True, True, True]
    assert "Hier verschijnen alleen learning communities waarvan de coördinator" in html


def test_the_csv_and_xlsx_flag_every_column_below_three_organisations(as_researcher, cases):
    ict, care = cases
    rows = list(csv.DictReader(io.StringIO(as_researcher.get(url(CSV)).content.decode())))
    flags = {(row["session"], row["side"]): row["small_n"] for row in rows}
    assert flags == {
        (str(ict.pk), "practice"): "false",
        (str(ict.pk), "education"): "true",
        (str(care.pk), "practice"): "true",
        (str(care.pk), "education"): "true",
    }
    assert {row["organisations"] for row in rows if row["small_n"] == "true"} == {"2", "0"}
    sheet = xlsx_rows(as_researcher.get(url(XLSX)))
    assert sheet == csv_rows(as_researcher.get(url(CSV)).content.decode())


def test_the_xlsx_is_a_spreadsheet_with_the_csvs_rows_for_the_pages_parameters(
    as_researcher, cases
):
    ict, _care = cases
    response = as_researcher.get(url(threshold="0.6", cases=ict.community_id, apply="1"))
    xlsx_url = response.context["xlsx_url"]
    assert xlsx_url.startswith(reverse(XLSX) + "?") and "threshold=0.6" in xlsx_url
    download = as_researcher.get(xlsx_url)
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"] == 'attachment; filename="sms-cross-case.xlsx"'
    sheet = xlsx_rows(download)
    assert {row[0] for row in sheet[1:]} == {"LC ICT"}
    assert sheet == csv_rows(as_researcher.get(response.context["csv_url"]).content.decode())
    assert f'href="{xlsx_url.replace("&", "&amp;")}"' in response.content.decode()


def test_an_xlsx_with_bad_parameters_goes_back_to_the_page_that_explains(as_researcher, cases):
    response = as_researcher.get(url(XLSX, threshold="2"))
    assert response.status_code == 302
    assert response.headers["Location"] == url(threshold="2")


def test_names_that_a_spreadsheet_would_run_stay_text_in_the_xlsx(as_researcher, db):
    factories.research_case(
        sector="=1+1", name='=HYPERLINK("http://evil.example")', practice=[{NETWORK}]
    )
    sheet = xlsx_rows(as_researcher.get(url(XLSX)))
    assert sheet[1][:2] == ['\'=HYPERLINK("http://evil.example")', "'=1+1"]
