"""All answers of one session as a table, for researchers' own analysis: CSV and XLSX.

One row per submitted organisation and catalogue motive offered to its partner
type, organisations education first and then by name, motives in catalogue
order. Organisations that did not submit are left out: their formats are not
shared with anyone. Column names are stable identifiers, like the interchange
format's keys; ``motive_label`` is in the active language.

Spreadsheets run what looks like a formula, so every text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe
(OWASP's advice against CSV injection), and control characters that XML cannot
hold are shown as U+FFFD instead of breaking the file.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Answer, Preparation

if TYPE_CHECKING:
    from sessions.models import DialogueSession

COLUMNS = [
    "learning_community",
    "sector",
    "setting",
    "session_id",
    "session_title",
    "session_date",
    "organisation",
    "partner_type",
    "submitted",
    "cluster",
    "motive_code",
    "motive_label",
    "applies",
    "intended_outcome",
    "priority",  # 1, 2 or 3, or empty (added later, so it comes last)
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The characters XML 1.0 (and so openpyxl) refuses; tab, newline and CR are allowed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as it is: no formula, no control character."""
    text = CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text


def _applies(answer: Answer | None) -> str:
    if answer is None or answer.applies is None:
        return ""
    return "yes" if answer.applies else "no"


def answer_rows(
    session: DialogueSession,
) -> Iterator[dict[str, str | int | datetime.date | None]]:
    """The rows as dicts keyed by ``COLUMNS``: three queries, whatever the number of organisations.

    ``session_id`` is a number and ``session_date`` a date (or None); everything else
    is text, not yet made safe for a spreadsheet.
    """
    community = session.community
    motives = list(Motive.objects.in_catalogue(session.catalogue).in_catalogue_order())
    preparations = sorted(
        Preparation.objects.filter(session=session, submitted_at__isnull=False).select_related(
            "organisation"
        ),
        key=lambda p: (
            p.organisation.partner_type != PartnerType.EDUCATION,
            p.organisation.name.casefold(),
            p.organisation.pk,
        ),
    )
    answers = {
        (answer.preparation_id, answer.motive_id): answer
        for answer in Answer.objects.filter(
            preparation__session=session, preparation__submitted_at__isnull=False
        )
    }
    common: dict[str, str | int | datetime.date | None] = {
        "learning_community": community.name,
        "sector": community.sector,
        "setting": community.setting,
        "session_id": session.pk,
        "session_title": session.title,
        "session_date": session.date,
    }
    for preparation in preparations:
        organisation = preparation.organisation
        for motive in motives:
            answer = answers.get((preparation.pk, motive.pk))
            # A motive taken out of the catalogue still shows where it was answered.
            if not (motive.active and motive.offered_to(organisation.partner_type)) and (
                answer is None
            ):
                continue
            yield {
                **common,
                "organisation": organisation.name,
                "partner_type": organisation.partner_type,
                "submitted": "true" if preparation.submitted else "false",
                "cluster": motive.cluster.code,
                "motive_code": motive.code,
                "motive_label": motive.label,
                "applies": _applies(answer),
                "intended_outcome": answer.intended_outcome if answer else "",
                "priority": answer.priority if answer and answer.priority else "",
            }


def _csv_cell(value: str | int | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def answers_csv(session: DialogueSession) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in answer_rows(session):
        writer.writerow([_csv_cell(row[column]) for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_title(title: str) -> str:
    """An Excel sheet name from the session title: no []:*?/\\, no edge apostrophes, 31 long."""
    name = SHEET_TITLE_FORBIDDEN.sub(" ", title)
    name = " ".join(name.split()).strip("' ")[:SHEET_TITLE_MAX].strip("' ")
    if not name or name.casefold() == "history":  # Excel reserves "History"
        return "Answers"
    return name


def xlsx_workbook(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """One sheet with a bold header row; text is made safe, numbers and dates stay as they are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for values in rows:
        # Plain values are much faster than a cell object each; openpyxl gives a
        # date the format yyyy-mm-dd by itself.
        sheet.append([safe_text(value) if isinstance(value, str) else value for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def answers_xlsx(session: DialogueSession) -> bytes:
    """One sheet, named after the session, with a bold header row."""
    rows = ([row[column] for column in COLUMNS] for row in answer_rows(session))
    return xlsx_workbook(COLUMNS, rows, title=sheet_title(session.title))


def export_filename(session: DialogueSession, suffix: str) -> str:
    """``sms-<community>-<title>-<id><suffix>``, ASCII only, for the Content-Disposition header."""
    parts = ["sms", slugify(session.community.name), slugify(session.title), str(session.pk)]
    return "-".join(part for part in parts if part) + suffix
