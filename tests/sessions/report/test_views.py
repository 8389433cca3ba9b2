import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sessions.models import Phase
from sessions.policy.phases import JOINT_PHASES


def url(session, **params):
    from urllib.parse import urlencode

    return reverse("session_report", args=[session.pk]) + (
        "?" + urlencode(params) if params else ""
    )


def test_the_coordinator_downloads_the_report_as_a_pdf_from_the_dialogue_on(client, session):
    client.force_login(session.people["dave"])
    for phase in JOINT_PHASES:
        session.phase = phase
        session.save()
        response = client.get(url(session, language="en", token="abc123"))
        assert response.status_code == 200, phase
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.cookies["sms_report_ready"].value == "abc123"


@pytest.mark.parametrize("person", ["dave", "carol", "alice"])
@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
def test_before_the_dialogue_the_report_url_says_why_there_is_no_report(
    sign_in, session, person, phase
):
    session.phase = phase
    session.save()
    response = sign_in(person).get(url(session))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The report is not available yet" in page
    assert "once the joint dialogue has opened" in page
    assert reverse("session_detail", args=[session.pk]) in page


def test_the_message_page_reads_in_dutch(client, session):
    client.force_login(session.people["dave"])
    page = client.get(url(session)).content.decode()
    assert "Het verslag is er nog niet" in page
    assert "zodra de gezamenlijke dialoog is geopend" in page


@pytest.mark.parametrize("person", ["dave", "carol", "alice"])
def test_the_session_page_offers_the_report_only_from_the_dialogue_on(sign_in, session, person):
    client = sign_in(person)
    report_link = url(session)
    for phase in Phase.values:
        session.phase = phase
        session.save()
        page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
        assert (report_link in page) == (phase in JOINT_PHASES), (person, phase)


def test_partners_download_it_from_the_dialogue_on(client, session):
    client.force_login(session.people["alice"])
    assert client.get(url(session))["Content-Type"].startswith("text/html")
    session.phase = Phase.DIALOGUE
    session.save()
    response = client.get(url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_outsiders_get_404(client, session):
    client.force_login(session.people["mallory"])
    session.phase = Phase.CLOSED
    session.save()
    assert client.get(url(session)).status_code == 404


def test_the_command_writes_the_same_report(client, session, tmp_path):
    session.phase = Phase.DIALOGUE
    session.save()
    target = tmp_path / "report.pdf"
    call_command(
        "session_report",
        str(session.pk),
        "-o",
        str(target),
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    client.force_login(session.people["carol"])
    downloaded = client.get(url(session, language="en")).content
    text = [page.extract_text() for page in PdfReader(target).pages]
    assert text == [page.extract_text() for page in PdfReader(io.BytesIO(downloaded)).pages]
    assert "Hogeschool Zuid" in "".join(text)


def test_the_command_names_a_missing_session_or_folder(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no session with id 999"):
        call_command("session_report", "999", "-o", str(tmp_path / "x.pdf"))


def test_the_command_refuses_a_session_before_the_dialogue(session, tmp_path):
    from django.core.management import CommandError

    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="once the joint dialogue has opened"):
        call_command("session_report", str(session.pk), "-o", str(target), "--language", "en")
    assert not target.exists()
