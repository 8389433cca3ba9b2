"""The answers of a session as CSV and XLSX, for researchers' own analysis."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.interchange.tables import COLUMNS, answers_xlsx, safe_text, sheet_title
from sessions.models import Phase
from tests import factories


def csv_url(session):
    return reverse("session_answers_csv", args=[session.pk])


def xlsx_url(session):
    return reverse("session_answers_xlsx", args=[session.pk])


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


def offered(partner_type):
    return Motive.objects.active().for_partner_type(partner_type).count()


def submit(preparation):
    preparation.submitted_at = timezone.now()
    preparation.save()
    return preparation


@pytest.fixture
def dialogue(session):
    """Both organisations submitted, a third did not; the joint dialogue is open."""
    education = submit(session.preparations.get(organisation=session.education))
    submit(session.preparations.get(organisation=session.practice))
    factories.AnswerFactory(
        preparation=education,
        motive=Motive.objects.get(code="capital.network"),
        applies=True,
        intended_outcome="Een sterker netwerk",
    )
    factories.AnswerFactory(
        preparation=education,
        motive=Motive.objects.get(code="capital.financial"),
        applies=False,
        intended_outcome="",
    )
    late = factories.OrganisationFactory(
        name="Zorggroep West", partner_type=PartnerType.PRACTICE, community=session.community
    )
    factories.AnswerFactory(
        preparation=factories.PreparationFactory(session=session, organisation=late),
        intended_outcome="NOT-SUBMITTED-SECRET",
    )
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def rows_by(rows, organisation, code):
    index = {name: position for position, name in enumerate(COLUMNS)}
    return [
        row
        for row in rows
        if row[index["organisation"]] == organisation and row[index["motive_code"]] == code
    ]


# --- CSV ----------------------------------------------------------------------------------


def test_the_csv_has_the_header_and_one_row_per_submitted_organisation_and_offered_motive(
    sign_in, dialogue
):
    response = sign_in("alice").get(csv_url(dialogue))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sms-smart-industry-lab-evaluatie-voorjaar-{dialogue.pk}'
        '-answers.csv"'
    )
    header, *rows = read_csv(response)
    assert header == COLUMNS
    assert len(rows) == offered(PartnerType.EDUCATION) + offered(PartnerType.PRACTICE)


def test_the_csv_values_say_what_each_organisation_answered(sign_in, dialogue):
    header, *rows = read_csv(sign_in("alice").get(csv_url(dialogue)))

    (network,) = rows_by(rows, "Hogeschool Zuid", "capital.network")
    assert dict(zip(header, network, strict=True)) == {
        "learning_community": "Smart Industry Lab",
        "sector": "Techniek",
        "setting": "public-private",
        "session_id": str(dialogue.pk),
        "session_title": "Evaluatie voorjaar",
        "session_date": "2026-03-12",
        "organisation": "Hogeschool Zuid",
        "partner_type": "education",
        "submitted": "true",
        "cluster": "capital",
        "motive_code": "capital.network",
        "motive_label": "Expanding/strengthening the network",
        "applies": "yes",
        "intended_outcome": "Een sterker netwerk",
        "priority": "",
    }
    (financial,) = rows_by(rows, "Hogeschool Zuid", "capital.financial")
    assert financial[COLUMNS.index("applies")] == "no"
    (unanswered,) = rows_by(rows, "Bouwbedrijf Noord", "capital.network")
    assert unanswered[COLUMNS.index("applies")] == ""
    assert unanswered[COLUMNS.index("intended_outcome")] == ""


def test_education_comes_first_and_motives_follow_the_catalogue(sign_in, dialogue):
    _header, *rows = read_csv(sign_in("alice").get(csv_url(dialogue)))

    organisations = [row[COLUMNS.index("organisation")] for row in rows]
    assert organisations == ["Hogeschool Zuid"] * offered(PartnerType.EDUCATION) + [
        "Bouwbedrijf Noord"
    ] * offered(PartnerType.PRACTICE)
    education_codes = [
        row[COLUMNS.index("motive_code")] for row in rows[: organisations.count("Hogeschool Zuid")]
    ]
    assert education_codes == list(
        Motive.objects.active()
        .for_partner_type(PartnerType.EDUCATION)
        .in_catalogue_order()
        .values_list("code", flat=True)
    )
    assert "development.teachers" in education_codes
    assert "development.practice-partners" not in education_codes


def test_organisations_that_did_not_submit_are_left_out(sign_in, dialogue):
    response = sign_in("dave").get(csv_url(dialogue))
    body = response.content.decode()
    assert "Zorggroep West" not in body
    assert "NOT-SUBMITTED-SECRET" not in body


def test_motive_labels_are_in_the_language_the_person_reads(client, dialogue):
    alice = dialogue.people["alice"]
    alice.language = "nl"
    alice.save()
    client.force_login(alice)
    _header, *rows = read_csv(client.get(csv_url(dialogue)))
    (network,) = rows_by(rows, "Hogeschool Zuid", "capital.network")
    assert network[COLUMNS.index("motive_label")] == "Uitbreiden/versterken netwerk"


def test_a_motive_taken_out_of_the_catalogue_still_shows_where_it_was_answered(sign_in, dialogue):
    Motive.objects.filter(code="capital.network").update(active=False)
    _header, *rows = read_csv(sign_in("alice").get(csv_url(dialogue)))
    assert len(rows_by(rows, "Hogeschool Zuid", "capital.network")) == 1
    assert rows_by(rows, "Bouwbedrijf Noord", "capital.network") == []


FORMULAS = ['=HYPERLINK("http://evil")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_text_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(
    sign_in, dialogue, formula
):
    dialogue.education.name = formula + " Hogeschool"
    dialogue.education.save()
    dialogue.preparations.get(organisation=dialogue.education).answers.filter(
        motive__code="capital.network"
    ).update(intended_outcome=formula)
    client = sign_in("alice")

    _header, *rows = read_csv(client.get(csv_url(dialogue)))
    (row,) = rows_by(rows, "'" + formula + " Hogeschool", "capital.network")
    assert row[COLUMNS.index("intended_outcome")] == "'" + formula

    sheet = read_xlsx(client.get(xlsx_url(dialogue)))
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    # (XML reads a carriage return back as a line feed; what counts is the apostrophe.)
    names = [c for c in cells if c.column == COLUMNS.index("organisation") + 1]
    guarded = [c for c in names if c.value.startswith("'") and c.value.endswith(" Hogeschool")]
    assert len(guarded) == offered(PartnerType.EDUCATION)
    text_columns = {
        position + 1
        for position, name in enumerate(COLUMNS)
        if name not in ("session_id", "session_date")
    }
    assert all(c.data_type == "s" for c in cells if c.column in text_columns and c.value)
    assert not any(c.data_type == "f" for c in cells)


def test_harmless_text_is_left_as_it_is():
    assert (
        safe_text("Netwerk 🌍 <b>groter</b>, 50% = meer") == "Netwerk 🌍 <b>groter</b>, 50% = meer"
    )
    assert safe_text("") == ""


def test_control_characters_are_shown_as_a_replacement_character_in_both_files(sign_in, dialogue):
    dialogue.preparations.get(organisation=dialogue.education).answers.filter(
        motive__code="capital.network"
    ).update(intended_outcome="a\x01b\x1bc\nnext line\x0bend")
    client = sign_in("alice")

    _header, *rows = read_csv(client.get(csv_url(dialogue)))
    (row,) = rows_by(rows, "Hogeschool Zuid", "capital.network")
    assert row[COLUMNS.index("intended_outcome")] == "a\ufffdb\ufffdc\nnext line\ufffdend"

    response = client.get(xlsx_url(dialogue))
    assert response.status_code == 200
    sheet = read_xlsx(response)
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "a\ufffdb\ufffdc\nnext line\ufffdend" in values


# --- XLSX ---------------------------------------------------------------------------------


def test_the_xlsx_has_a_bold_header_the_same_rows_and_a_sheet_named_after_the_session(
    sign_in, dialogue
):
    client = sign_in("carol")
    response = client.get(xlsx_url(dialogue))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('-answers.xlsx"')
    sheet = read_xlsx(response)
    assert sheet.title == "Evaluatie voorjaar"
    header = list(sheet.iter_rows(min_row=1, max_row=1))[0]
    assert [cell.value for cell in header] == COLUMNS
    assert all(cell.font.bold for cell in header)
    _csv_header, *csv_rows = read_csv(client.get(csv_url(dialogue)))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(csv_rows)
    network = next(
        dict(zip(COLUMNS, row, strict=True))
        for row in rows
        if row[COLUMNS.index("motive_code")] == "capital.network"
        and row[COLUMNS.index("organisation")] == "Hogeschool Zuid"
    )
    assert network["session_id"] == dialogue.pk
    assert network["session_date"].date().isoformat() == "2026-03-12"
    assert network["applies"] == "yes"
    assert network["intended_outcome"] == "Een sterker netwerk"


def test_a_session_title_becomes_a_valid_sheet_name(dialogue):
    dialogue.title = "'Evaluatie: voorjaar [2026]/Q1 *?* with a long tail'"
    dialogue.save()
    sheet = openpyxl.load_workbook(io.BytesIO(answers_xlsx(dialogue))).worksheets[0]
    assert sheet.title == "Evaluatie voorjaar 2026 Q1 with"
    assert len(sheet.title) <= 31


@pytest.mark.parametrize(
    ("title", "expected"),
    [("History", "Answers"), ("''", "Answers"), ("[]", "Answers"), ("a\x07b", "a b")],
)
def test_sheet_names_excel_refuses_are_replaced(title, expected):
    assert sheet_title(title) == expected


# --- access and cost ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_everyone_in_the_session_downloads_the_answers_from_the_dialogue_on(
    sign_in, dialogue, name, url
):
    client = sign_in(name)
    for phase in (Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED):
        dialogue.phase = phase
        dialogue.save()
        assert client.get(url(dialogue)).status_code == 200, phase


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
@pytest.mark.parametrize("name", ["alice", "carol", "dave"])
def test_before_the_dialogue_nobody_downloads_the_answers(sign_in, dialogue, name, url):
    client = sign_in(name)
    for phase in (Phase.DRAFT, Phase.PREPARATION):
        dialogue.phase = phase
        dialogue.save()
        assert client.get(url(dialogue)).status_code == 404, phase


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_outsiders_get_404(sign_in, dialogue, url):
    assert sign_in("mallory").get(url(dialogue)).status_code == 404


def add_submitted_organisations(session, count):
    for number in range(count):
        organisation = factories.OrganisationFactory(
            community=session.community,
            name=f"Extra {number:02d}",
            partner_type=PartnerType.EDUCATION if number % 2 else PartnerType.PRACTICE,
        )
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        factories.AnswerFactory(preparation=preparation)


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_the_number_of_queries_does_not_grow_with_the_organisations(sign_in, dialogue, url):
    client = sign_in("dave")
    client.get(url(dialogue))  # warm up the session and the language

    with CaptureQueriesContext(connection) as two:
        assert client.get(url(dialogue)).status_code == 200
    add_submitted_organisations(dialogue, 8)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url(dialogue))

    assert response.status_code == 200
    assert len(ten) == len(two)


def test_the_csv_carries_each_organisations_priority(sign_in, dialogue):
    from sessions.models import Answer

    Answer.objects.filter(
        preparation__organisation__name="Hogeschool Zuid", motive__code="capital.network"
    ).update(priority=1)
    header, *rows = read_csv(sign_in("alice").get(csv_url(dialogue)))
    (network,) = rows_by(rows, "Hogeschool Zuid", "capital.network")
    assert network[header.index("priority")] == "1"
