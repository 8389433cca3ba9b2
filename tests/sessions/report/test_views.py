import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sessions.models import Phase, ReportRendering, ReportStatus
from sessions.policy.phases import JOINT_PHASES
from tests.tasks import delivered, run_queued_tasks, wait_for_retry


def download(client, address):
    """Ask for the report, let the worker render it, and ask again: the file."""
    with delivered():
        first = client.get(address)
    assert first.status_code in (200, 202), first.status_code
    return client.get(address)


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
        response = download(client, url(session, language="en", token="abc123"))
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
    response = download(client, url(session))
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
    downloaded = download(client, url(session, language="en")).content
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


def test_the_page_says_the_report_is_being_prepared_until_the_worker_rendered_it(client, session):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    session.phase = Phase.DIALOGUE
    session.save()
    client.force_login(session.people["dave"])
    with delivered():
        waiting = client.get(url(session, language="en"))
        state = client.get(url(session, language="en", format="json")).json()

    assert waiting.status_code == 202
    assert "The report is being prepared" in waiting.text
    assert '<meta http-equiv="refresh"' in waiting.text  # works without the script
    assert state["status"] == "queued"
    assert "Waiting for the report service" in state["label"]
    ready = client.get(url(session, language="en", format="json")).json()
    assert (ready["status"], ready["percent"]) == ("ready", 100)
    assert client.get(ready["url"])["Content-Type"] == "application/pdf"


def test_a_change_to_the_session_makes_a_new_report_the_old_one_is_not_served(client, session):
    session.phase = Phase.DIALOGUE
    session.save()
    client.force_login(session.people["dave"])
    download(client, url(session, language="en"))
    session.title = "Nieuwe titel"
    session.version += 1
    session.save()

    assert client.get(url(session, language="en")).status_code == 202
    assert ReportRendering.objects.filter(session=session).count() == 2


def test_a_failed_render_says_so_and_asking_again_tries_again(client, session, monkeypatch):
    from sessions.report import pdf

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pdf, "render_report", broken)
    session.phase = Phase.DIALOGUE
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(session.people["dave"])
    with delivered():
        client.get(url(session, language="en"))
    for _ in range(2):  # the worker tries three times in all
        assert client.get(url(session, language="en")).status_code == 202
        wait_for_retry()
        run_queued_tasks()
    failed = client.get(url(session, language="en"))
    assert failed.status_code == 503
    assert "could not be prepared" in failed.text
    assert ReportRendering.objects.get().attempts == 3

    monkeypatch.undo()
    assert download(client, url(session, language="en", retry=1)).status_code == 200
    assert ReportRendering.objects.get().status == ReportStatus.READY


def test_another_communitys_coordinator_gets_404_and_queues_nothing(client, session):
    from tests import factories

    stranger = factories.UserFactory(email="zed@example.org")
    factories.LearningCommunityFactory(name="Elders").coordinators.add(stranger)
    client.force_login(stranger)
    assert client.get(url(session, format="json")).status_code == 404
    assert not ReportRendering.objects.exists()
