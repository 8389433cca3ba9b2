import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sessions.models import Phase


def url(session, **params):
    from urllib.parse import urlencode

    return reverse("session_report", args=[session.pk]) + (
        "?" + urlencode(params) if params else ""
    )


def test_the_coordinator_downloads_the_report_as_a_pdf_in_every_phase(client, session):
    client.force_login(session.people["dave"])
    for phase in Phase.values:
        session.phase = phase
        session.save()
        response = client.get(url(session, language="en", token="abc123"))
        assert response.status_code == 200, phase
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.cookies["sms_report_ready"].value == "abc123"


def test_partners_download_it_from_the_dialogue_on(client, session):
    client.force_login(session.people["alice"])
    assert client.get(url(session)).status_code == 404
    session.phase = Phase.DIALOGUE
    session.save()
    assert client.get(url(session)).status_code == 200


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
