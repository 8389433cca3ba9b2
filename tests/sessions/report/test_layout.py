"""The report as a handout for the evaluation meeting: what is on page 1, how many
pages 30 organisations take, and that no header of the overview matrix overlaps another.

Page images land in test-artifacts/report/ for people to look at.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from sessions.comparison import present
from sessions.comparison.matrix import build_comparison
from sessions.models import Answer
from sessions.report import pdf as report
from sessions.report.pdf import PDF_OPTIONS, render_document
from tests.sessions.report.builders import add_earlier_rounds, build_meeting_session

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "report"
MAX_PAGES_FOR_30 = 24


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def compact(text):
    """Without whitespace: a PDF may break a long word or name over two lines."""
    return "".join(text.split())


def pages_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def write_page_images(pdf, name):
    """The PDF and every page as PNG, so a person can look at the cover and the matrix."""
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is needed to render the report's pages")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def descendants(box):
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", []))


def classes(box):
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def overview_headers(document):
    """Per page: the organisation header cells of the overview matrix and their text boxes."""
    found = []
    for page_number, page in enumerate(document.pages, start=1):
        for box in descendants(page._page_box):
            if isinstance(box, boxes.TableCellBox) and {"org"} <= classes(box):
                texts = [b for b in descendants(box) if isinstance(b, boxes.TextBox)]
                found.append((page_number, box, texts))
    return found


def assert_headers_never_overlap(document, organisations, *, numbers):
    headers = overview_headers(document)
    assert len(headers) >= organisations, "every organisation has a header cell"
    rows = {}
    for page_number, cell, texts in headers:
        left = cell.content_box_x()
        right = left + cell.width
        assert texts, "a header cell shows its organisation"
        for text in texts:
            assert text.position_x >= left - 0.01, f"{text.text!r} starts left of its column"
            assert text.position_x + text.width <= right + 0.01, (
                f"{text.text!r} runs into the next column"
            )
        if numbers:
            label = "".join(text.text for text in texts)
            assert label.isdigit(), label
            assert len({text.position_y for text in texts}) == 1, f"{label} is broken over lines"
        rows.setdefault((page_number, round(cell.position_y, 1)), []).append(cell)
    for cells in rows.values():
        cells.sort(key=lambda cell: cell.border_box_x())
        for left, right in zip(cells, cells[1:], strict=False):
            assert left.border_box_x() + left.border_width() <= right.border_box_x() + 0.01


def render(session, language="nl"):
    document = render_document(session, language=language)
    return document, document.write_pdf(**PDF_OPTIONS)


@pytest.mark.django_db
def test_page_one_is_a_cover_with_community_session_date_and_the_summary():
    session = build_meeting_session(5)
    _, pdf = render(session)
    _, pages = pages_text(pdf)
    first = compact(pages[0])
    figures = present.summary_figures(build_comparison(session))
    for expected in (
        "Evaluatie voorjaar",
        session.community.name,
        session.date.strftime("%Y"),
        "Samenvatting",
        # the joint motives with their intended outcome
        "Ontwikkeling van studenten in een authentieke context",
        "Studenten leren in de wijk",
        "Samen de zorg in de regio op peil houden",
        "Twee gezamenlijke praktijkleerroutes in 2027",
        # the agreements: what, who, when
        "Kwartaaloverleg plannen",
        "Stageplaatsen bundelen in één overzicht",
        "Hogeschool",
        # the main figures
        "Gedeeld door iedereen",
        "Alleen onderwijspartners",
        "Alleen praktijkpartners",
        "Uniek voor één organisatie",
    ):
        assert compact(expected) in first, expected
    counts = "".join(str(figure["count"]) for figure in figures)
    assert counts in first, "the four figures, in order, on page 1"
    assert len(figures) == 4


@pytest.mark.django_db
def test_the_cover_reads_in_english_too():
    _, pdf = render(build_meeting_session(3), language="en")
    first = compact(pages_text(pdf)[1][0])
    for expected in ("Summary", "Shared by all", "Joint motives", "Agreements", "What", "Who"):
        assert compact(expected) in first, expected


@pytest.mark.django_db
def test_thirty_organisations_with_long_names_fit_in_24_pages_with_every_name_and_answer():
    session = build_meeting_session(30)
    document, pdf = render(session)
    reader, pages = pages_text(pdf)
    assert len(reader.pages) <= MAX_PAGES_FOR_30
    text = compact("\n".join(pages))
    for organisation in session.community.organisations.all():
        assert compact(organisation.name) in text, organisation.name
    outcomes = list(
        Answer.objects.filter(preparation__session=session)
        .exclude(intended_outcome="")
        .values_list("intended_outcome", flat=True)
    )
    assert len(outcomes) > 300
    missing = [outcome for outcome in outcomes if compact(outcome) not in text]
    assert missing == []
    assert "Samenvatting" in pages[0]
    assert_headers_never_overlap(document, 30, numbers=True)
    images = write_page_images(pdf, "report-30-organisations")
    assert len(images) == len(reader.pages)


@pytest.mark.django_db
def test_thirty_organisations_in_their_third_round_still_fit_with_the_movement_chart():
    session = build_meeting_session(30)
    add_earlier_rounds(session, 2)
    _document, pdf = render(session)
    reader, pages = pages_text(pdf)
    text = compact("\n".join(pages))
    assert compact("Beweging over de rondes") in text
    assert compact("Getoond: de motieven die het meest veranderden") in text
    assert len(reader.pages) <= MAX_PAGES_FOR_30, len(reader.pages)
    write_page_images(pdf, "report-30-organisations-3-rounds")


@pytest.mark.django_db
def test_three_organisations_have_their_names_as_headers_without_overlap():
    session = build_meeting_session(3)
    document, pdf = render(session)
    assert_headers_never_overlap(document, 3, numbers=False)
    header_text = " ".join(
        "".join(text.text for text in texts) for _page, _cell, texts in overview_headers(document)
    )
    assert "Hogeschool" in header_text
    write_page_images(pdf, "report-3-organisations")


@pytest.mark.parametrize("organisations", [2, 4, 5, 10, 11, 30, 31, 60, 61, 120])
def test_every_header_column_keeps_room_for_its_label_whatever_the_number(organisations):
    layout = report.matrix_layout(organisations)
    assert layout["column_mm"] >= report.MIN_COLUMN_MM
    assert sorted(i for group in layout["groups"] for i in group) == list(range(organisations))
    assert all(len(group) <= report.COLUMNS_PER_TABLE for group in layout["groups"])
    assert layout["names_in_header"] == (organisations <= report.NAMES_IN_HEADER)
    width = (
        layout["motive_mm"]
        + layout["category_mm"]
        + layout["column_mm"] * min(organisations, report.COLUMNS_PER_TABLE)
    )
    assert width <= report.PAGE_WIDTH_MM[layout["orientation"]] + 0.1


@pytest.mark.django_db
def test_the_community_logo_appears_on_the_cover():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from partnerships import services

    session = build_meeting_session(2)
    reader = PdfReader(io.BytesIO(report.render_report(session, language="nl")))
    assert len(reader.pages[0].images) == 0, "no logo, no picture on the cover"

    coordinator = session.facilitators.first()
    session.community.coordinators.add(coordinator)
    data = io.BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 30)).save(data, format="PNG")
    services.community_logo_set(
        community=session.community,
        by=coordinator,
        upload=SimpleUploadedFile("logo.png", data.getvalue()),
    )
    session.refresh_from_db()
    reader, _pages = pages_text(render(session)[1])
    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].image.size == (300, 100)
    # the download is rendered again rather than served from the cache without the logo
    cached = PdfReader(io.BytesIO(report.render_report(session, language="nl")))
    assert len(cached.pages[0].images) == 1
