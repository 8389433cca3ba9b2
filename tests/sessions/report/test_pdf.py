"""The joint PDF report, read back as a facilitator's printer would see it."""

import gc
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Phase
from sessions.report.pdf import StaticOnlyFetcher, render_report
from tests import factories

HOSTILE = {
    "html": "<script>alert('x')</script><b>vet</b>",
    "long word": "Samenwerkingsovereenkomst" * 20,
    "emoji": "Samen sterker 🤝🚀",
    "right to left": "שיתוף פעולה בין ארגונים",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def text_of(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def build_session(
    *, phase=Phase.DIALOGUE, organisations=4, outcome="Meer stageplaatsen in de regio"
):
    session = factories.DialogueSessionFactory(
        title="Evaluatie voorjaar", phase=phase, community__name="LC Slimme Zorg"
    )
    carol = factories.UserFactory(name="Carol Procesbegeleider")
    session.facilitators.add(carol)
    motives = list(Motive.objects.in_catalogue_order())
    for number in range(organisations):
        partner_type = PartnerType.EDUCATION if number % 2 == 0 else PartnerType.PRACTICE
        organisation = factories.OrganisationFactory(
            community=session.community, name=f"Organisatie {number + 1}", partner_type=partner_type
        )
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        for index, motive in enumerate(motives):
            if motive.offered_to(partner_type):
                applies = (index + number) % 3 != 0
                factories.AnswerFactory(
                    preparation=preparation,
                    motive=motive,
                    applies=applies,
                    intended_outcome=f"{outcome} ({number + 1})" if applies and index == 13 else "",
                )
    factories.JointMotiveFactory(session=session, intended_outcome="Studenten leren in de wijk")
    factories.AgreementFactory(session=session, text="Kwartaaloverleg plannen", owner="Carol")
    return session


@pytest.mark.django_db
def test_the_report_holds_organisations_motives_outcomes_joint_motives_and_agreements():
    session = build_session()
    reader, text = text_of(render_report(session, language="nl"))
    for expected in (
        "Evaluatie voorjaar",
        "LC Slimme Zorg",
        "Carol Procesbegeleider",
        "Organisatie 1",
        "Organisatie 4",
        "Uitbreiden/versterken netwerk",
        "Meer stageplaatsen in de regio (1)",
        "Studenten leren in de wijk",
        "Kwartaaloverleg plannen",
        "Gezamenlijke motieven",
        "Afspraken",
        "pagina 1 van",
    ):
        assert expected in text, expected
    assert 3 <= len(reader.pages) <= 20


@pytest.mark.django_db
def test_the_report_can_be_printed_in_english():
    _, text = text_of(render_report(build_session(), language="en"))
    assert "Expanding/strengthening the network" in text
    assert "Agreements" in text
    assert "page 1 of" in text
    assert "Afspraken" not in text


@pytest.mark.django_db
def test_the_pdf_has_title_author_language_and_tags():
    reader, _ = text_of(render_report(build_session(), language="nl"))
    assert "Evaluatie voorjaar" in reader.metadata.title
    assert reader.metadata.author == "Carol Procesbegeleider"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_renders_as_text_inside_the_page(kind):
    from weasyprint import HTML

    from sessions.report.pdf import STATIC_PREFIX, report_context

    session = build_session(organisations=2, outcome=HOSTILE[kind])
    factories.AgreementFactory(session=session, text=HOSTILE[kind], owner=HOSTILE[kind][:200])
    _, text = text_of(render_report(session, language="nl"))
    if kind == "html":
        assert "<script>alert('x')</script>" in text  # shown, not interpreted
    elif kind == "right to left":
        assert "ארגונים" in text or "םינוגרא" in text

    from django.template.loader import render_to_string

    html = render_to_string("dialogue_sessions/report/report.html", report_context(session))
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher()).render()
    for page in document.pages:
        width = page.width
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "width", None) is not None and box.position_x is not None:
                assert box.position_x + box.width <= width + 0.5, f"{kind}: content leaves the page"
            stack.extend(getattr(box, "children", []))


@pytest.mark.django_db
def test_one_submitted_organisation_still_gives_a_report_that_says_what_is_missing():
    session = build_session(organisations=1, outcome="")
    _, text = text_of(render_report(session, language="en"))
    assert "Only 1 organisation submitted its format" in text
    assert "No intended outcomes were given in this cluster." in text


def test_weasyprint_loads_our_static_files_and_nothing_else():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch("https://sms-tool.invalid/static/css/report.css")
    assert b"@page" in response.read()
    for url in (
        "http://example.org/tracker.png",
        "file:///etc/passwd",
        "https://sms-tool.invalid/static/../../secrets",
    ):
        with pytest.raises(ValueError, match="only loads its own static files"):
            fetcher.fetch(url)


@pytest.mark.django_db
def test_the_rendering_is_reused_until_something_changes(monkeypatch):
    from sessions.report import pdf as report

    renderings = []
    real_html = report.HTML
    monkeypatch.setattr(
        report, "HTML", lambda **kwargs: renderings.append(1) or real_html(**kwargs)
    )
    session = build_session(organisations=2)
    first = render_report(session, language="nl")
    assert render_report(session, language="nl") == first
    assert len(renderings) == 1
    session.title = "Nieuwe titel"
    session.save()
    assert "Nieuwe titel" in text_of(render_report(session, language="nl"))[1]
    assert len(renderings) == 2


@pytest.mark.django_db
def test_the_garbage_collector_is_back_on_after_a_render_even_one_that_fails(monkeypatch):
    from sessions.report import pdf as report

    session = build_session(organisations=2)
    render_report(session, language="nl")
    assert gc.isenabled()

    class BrokenDocument:
        def __init__(self, **kwargs):
            pass

        def render(self, **kwargs):
            assert not gc.isenabled(), "the render runs with the cyclic collector paused"
            raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(report, "HTML", BrokenDocument)
    cache.clear()
    with pytest.raises(RuntimeError, match="WeasyPrint failed"):
        render_report(session, language="en")
    assert gc.isenabled()


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
def test_before_the_dialogue_there_is_no_report_to_render(phase):
    from sessions.report.pdf import ReportNotAvailable

    session = build_session(phase=phase)
    with pytest.raises(ReportNotAvailable, match="joint dialogue"):
        render_report(session, language="en")
