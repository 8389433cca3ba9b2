"""Hostile text in every field people type into, shown as text everywhere, never run.

Every text field the web pages write is filled through those pages with text that
would do harm if it were not escaped: script and image tags, a word as long as
the field allows (up to 5000 characters), control characters, right-to-left
marks, emoji and a spreadsheet formula at the start. Every page that shows it
is read at the moment it does (the open invitation before it is accepted, the
editable format before it is submitted, ...), and so are the projector's polled
panels, the PDF reports and the exports: the tags appear escaped in HTML (never
raw, never escaped twice), as literal text in the PDF, and no spreadsheet cell
starts a formula.

Control characters: NUL cannot be stored, so every field refuses it with a
message (``test_a_nul_character_is_refused_with_a_message``); the others
(\\x01-\\x1f) are kept and must not break a page, the PDF or a spreadsheet.

The world is built once for the module (inside a transaction rolled back at
the end), because building it takes some fifty requests.
"""

import csv
import html
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from motives.models import Cluster
from partnerships.groups import COORDINATORS_GROUP
from partnerships.models import NAME_MAX_LENGTH, LearningCommunity, Organisation, User
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    QUICK_SCAN_TITLE_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    DialogueSession,
    Phase,
    QuickScan,
)
from tests import factories
from tests.robustness.conftest import client_for, rolled_back
from tests.robustness.webforms import page_fields
from tests.tasks import commit_each_request

PASSWORD = "a-long-and-good-test-password-77"  # noqa: S105
CONTROL = "".join(chr(code) for code in range(1, 32))
FORMULAS = ["=", "+", "-", "@"]
RAW_SIGNS = ["<script>alert(", "<img src=x onerror", "<b>bold"]
SHORT = 120  # a second, shorter hostile text where a field is repeated many times


def hostile(tag, max_length):
    """Text for one field: a formula start, tags, control characters, RTL, emoji, a long word.

    ``HX<tag>`` marks where it is shown. The long word fills what the field allows,
    up to 5000 characters.
    """
    formula = FORMULAS[len(tag) % len(FORMULAS)]
    core = (
        f'{formula}HX{tag} <script>alert("HX{tag}")</script><img src=x onerror=alert(1)>'
        f"<b>bold</b> a{CONTROL}b \u202eLTR\u202c مرحبا 🤝🏽"
    )
    if len(core) > max_length:  # a short field keeps the mark, a tag and the formula
        core = f'{formula}HX{tag} <script>alert("HX{tag}")</script> a\x01\x1fb'
    room = max_length - len(core) - 1
    text = core + (" " + "W" * min(room, 5000) if room > 0 else "")
    assert len(text) <= max_length
    return text


TEXT = {
    "community": hostile("community", NAME_MAX_LENGTH),
    "sector": hostile("sector", 100),
    "description": hostile("description", 4000),
    "education": hostile("education", NAME_MAX_LENGTH),
    "practice": hostile("practice", NAME_MAX_LENGTH),
    "title": hostile("title", TITLE_MAX_LENGTH),
    "invite": hostile("invite", NAME_MAX_LENGTH),
    "alice": hostile("alice", NAME_MAX_LENGTH),
    "bob": hostile("bob", NAME_MAX_LENGTH),
    "carol": hostile("carol", NAME_MAX_LENGTH),
    "outcome_edu": hostile("outcome_edu", OUTCOME_MAX_LENGTH),
    "outcome_practice": hostile("outcome_practice", OUTCOME_MAX_LENGTH),
    "outcome_short": hostile("outcome_short", SHORT),
    "other": hostile("other", OTHER_MOTIVE_MAX_LENGTH),
    "other_outcome": hostile("other_outcome", OUTCOME_MAX_LENGTH),
    "other_short": hostile("other_short", SHORT),
    "joint": hostile("joint", OTHER_MOTIVE_MAX_LENGTH),
    "joint_outcome": hostile("joint_outcome", OUTCOME_MAX_LENGTH),
    "agreement": hostile("agreement", AGREEMENT_MAX_LENGTH),
    "owner": hostile("owner", OWNER_MAX_LENGTH),
    "note": hostile("note", NOTE_MAX_LENGTH),
    "cluster_note": hostile("cluster_note", SHORT),
    "next_title": hostile("next_title", TITLE_MAX_LENGTH),
    "review": hostile("review", REVIEW_NOTE_MAX_LENGTH),
    "scan": hostile("scan", QUICK_SCAN_TITLE_MAX_LENGTH),
}


def mark(key):
    return f"HX{key}"


# --- building everything through the pages --------------------------------------


def new_client(person=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if person is not None:
        client.force_login(person)
    return client


def post(client, url, data):
    """Post as a browser would and insist on the redirect that means "saved"."""
    response = client.post(url, data)
    body = response.content.decode(errors="replace")
    errors = re.findall(r'class="invalid-feedback"[^>]*>(.*?)</', body, re.S)
    alerts = re.findall(r'role="alert">(.*?)</div>', body, re.S)
    assert response.status_code == 302, f"{url}: {response.status_code} {errors} {alerts}"
    return response


def fields_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {field.name: field for field in page_fields(response.content.decode())}


class Pages(list):
    """Pages read at the moment they show the hostile text: (label, HTML, texts shown)."""

    def read(self, label, client, url, expected):
        response = client.get(url)
        assert response.status_code == 200, f"{label}: {url} answered {response.status_code}"
        self.append((label, response.content.decode(), expected))

    def add(self, label, body, expected):
        self.append((label, body, expected))


def advance(client, session):
    session.refresh_from_db()
    post(client, reverse("session_phase", args=[session.pk]), {"expected_phase": session.phase})


def fill_in_format(client, session, preparation, outcome, *, others=(), pages=None, label=""):
    """Fill in the format (every other motive applies, with ``outcome``) and submit it."""
    url = reverse("preparation_detail", args=[session.pk, preparation.pk])
    fields = fields_of(client, url)
    data = {"version": fields["version"].values[0]}
    motives = sorted(
        (name for name in fields if name.startswith("applies_")), key=lambda n: int(n[8:])
    )
    for index, name in enumerate(motives):
        applies = index % 2 == 0
        data[name] = "yes" if applies else "no"
        long_one = index == 0  # one long word, shorter text elsewhere: the PDF stays quick
        text = outcome if long_one else TEXT["outcome_short"] if applies else ""
        data[name.replace("applies_", "outcome_")] = text
    clusters = list(Cluster.objects.order_by("order"))
    for number, (text, other_outcome) in enumerate(others, start=1):
        data[f"other_{number}_text"] = text
        data[f"other_{number}_cluster"] = str(clusters[number].pk)
        data[f"other_{number}_outcome"] = other_outcome
    post(client, url, data)
    if pages is not None:
        pages.read(f"{label} format, editable", client, url, ["title", "community", *label_keys()])
    submit = reverse("preparation_submit", args=[session.pk, preparation.pk])
    if pages is not None:
        pages.read(f"{label} submit page", client, submit, ["title"])
    version = fields_of(client, submit)["version"].values[0]
    # No manager or staff member listed: the submission says why.
    post(client, submit, {"version": version, "participants_reason": "Niet van toepassing"})


def label_keys():
    return ["other", "other_outcome", "other_short"]


SESSION_HEAD = ["title", "community"]
ORGANISATIONS = ["education", "practice"]
PEOPLE = ["alice", "bob", "carol"]
JOINT = ["joint", "joint_outcome", "agreement", "owner", "note", "cluster_note"]


def build():
    pages = Pages()
    coordinator = factories.UserFactory(email="dave@example.org", name="Dave")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    dave = new_client(coordinator)

    # The coordinator sets up the community, its organisations and a session.
    post(
        dave,
        reverse("community_create"),
        {
            "name": TEXT["community"],
            "sector": TEXT["sector"],
            "setting": "public-private",
            "start_year": "2016",
            "description": TEXT["description"],
        },
    )
    community = LearningCommunity.objects.get()
    c = community.pk
    for kind in ("education", "practice"):
        post(
            dave, reverse("organisation_add", args=[c]), {"name": TEXT[kind], "partner_type": kind}
        )
    education = Organisation.objects.get(partner_type="education")
    practice = Organisation.objects.get(partner_type="practice")
    pages.read(
        "new session", dave, reverse("session_create", args=[c]), ["community", *ORGANISATIONS]
    )
    post(
        dave,
        reverse("session_create", args=[c]),
        {
            "title": TEXT["title"],
            "date": "2026-03-12",
            "organisations": [education.pk, practice.pk],
            "facilitators": [coordinator.pk],
        },
    )
    session = DialogueSession.objects.get()
    s = session.pk
    pages.read("communities", dave, reverse("community_list"), ["community", "sector"])
    pages.read(
        "community",
        dave,
        reverse("community_detail", args=[c]),
        ["community", "sector", "description", "title", *ORGANISATIONS],
    )
    pages.read(
        "community edit",
        dave,
        reverse("community_edit", args=[c]),
        ["community", "sector", "description"],
    )
    pages.read(
        "organisation remove",
        dave,
        reverse("organisation_remove", args=[c, education.pk]),
        ["community", "education"],
    )
    pages.read("session edit", dave, reverse("session_edit", args=[s]), ["title", *ORGANISATIONS])

    # ... invites two members and a facilitator, who accept as new people.
    pages.read("invite", dave, reverse("invitation_create", args=[s]), ["title", *ORGANISATIONS])
    people = {}
    for person, role, organisation in (
        ("alice", "member", education),
        ("bob", "member", practice),
        ("carol", "facilitator", None),
    ):
        post(
            dave,
            reverse("invitation_create", args=[s]),
            {
                "email": f"{person}@example.org",
                "name": TEXT["invite"],
                "role": role,
                "organisation": organisation.pk if organisation else "",
            },
        )
        link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)
        path = link.split("testserver", 1)[-1]
        visitor = new_client()
        if person == "alice":
            invitation = session.invitations.get(email="alice@example.org")
            pages.read("invitations, open", dave, reverse("invitation_list", args=[s]), ["invite"])
            pages.read(
                "revoke", dave, reverse("invitation_revoke", args=[s, invitation.pk]), ["title"]
            )
            pages.read("accept", visitor, path, ["invite", "title", "community", "education"])
        post(visitor, path, {"name": TEXT[person], "password1": PASSWORD, "password2": PASSWORD})
        people[person] = User.objects.get(email=f"{person}@example.org")
    pages.read("invitations, accepted", dave, reverse("invitation_list", args=[s]), ["invite"])
    alice, bob, carol = (new_client(people[name]) for name in PEOPLE)

    # Fase 1: both organisations fill in and submit their format.
    preparations = {p.organisation.partner_type: p for p in session.preparations.all()}
    advance(dave, session)
    pages.read("phase, preparation", dave, reverse("session_phase", args=[s]), SESSION_HEAD)
    others = [
        (TEXT["other"], TEXT["other_outcome"]),
        (TEXT["other_short"], TEXT["other_short"]),
    ]
    fill_in_format(
        alice,
        session,
        preparations["education"],
        TEXT["outcome_edu"],
        others=others,
        pages=pages,
        label="education",
    )
    fill_in_format(
        bob, session, preparations["practice"], TEXT["outcome_practice"], others=others[1:]
    )

    # Fase 2 and 3: the facilitator opens the dialogue and records the joint results.
    advance(carol, session)
    results = reverse("session_results", args=[s])
    post(
        carol,
        results,
        {
            "form": "joint_motive",
            "motive-motive": "",
            "motive-text": TEXT["joint"],
            "motive-intended_outcome": TEXT["joint_outcome"],
        },
    )
    post(
        carol,
        results,
        {
            "form": "agreement",
            "agreement-text": TEXT["agreement"],
            "agreement-owner": TEXT["owner"],
            "agreement-due": "2026-06-01",
        },
    )
    post(carol, results, {"form": "note", "note-cluster": "", "note-text": TEXT["note"]})
    cluster = Cluster.objects.order_by("order").first()
    post(
        carol,
        results,
        {"form": "note", "note-cluster": str(cluster.pk), "note-text": TEXT["cluster_note"]},
    )
    read_dialogue_pages(
        pages, session, preparations, {"dave": dave, "alice": alice, "bob": bob, "carol": carol}
    )

    # The session closes; the next round reviews what this one agreed.
    advance(carol, session)  # agreements
    advance(carol, session)  # closed
    pages.read("next round, new", dave, reverse("session_next_round", args=[s]), ["title"])
    post(
        dave,
        reverse("session_next_round", args=[s]),
        {"title": TEXT["next_title"], "date": "2027-03-12"},
    )
    follow_up = DialogueSession.objects.get(previous=session)
    advance(dave, follow_up)
    follow_preparations = {p.organisation.partner_type: p for p in follow_up.preparations.all()}
    url = reverse("preparation_detail", args=[follow_up.pk, follow_preparations["education"].pk])
    pages.read("next round, format with last round", alice, url, ["next_title", "outcome_edu"])
    fill_in_format(alice, follow_up, follow_preparations["education"], "Plain outcome")
    fill_in_format(bob, follow_up, follow_preparations["practice"], "Plain outcome")
    advance(carol, follow_up)
    review = reverse("review_list", args=[follow_up.pk])
    fields = fields_of(carol, review)
    for key in sorted({name.rsplit("-", 1)[0] for name in fields if name.endswith("-note")}):
        post(
            carol, review, {"item": key, f"{key}-realised": "partly", f"{key}-note": TEXT["review"]}
        )
    pages.read(
        "next round, review",
        carol,
        review,
        ["next_title", "title", "joint", "joint_outcome", "agreement", "owner", "review"],
    )
    pages.read(
        "next round, comparison",
        carol,
        reverse("session_comparison", args=[follow_up.pk]),
        ["next_title", *ORGANISATIONS],
    )
    pages.read(
        "next round, session",
        dave,
        reverse("session_detail", args=[follow_up.pk]),
        ["next_title", "title", *ORGANISATIONS],
    )
    pages.read("closed results", alice, results, SESSION_HEAD + JOINT)

    # A Quick Scan in a workshop.
    post(dave, reverse("quickscan_create"), {"title": TEXT["scan"]})
    scan = QuickScan.objects.get()
    join = reverse("quickscan_join", args=[scan.code])
    participant = new_client()
    pages.read("quick scan sheet", participant, join, ["scan"])
    post(participant, join, {"side": "education", "education_clusters": [cluster.code]})
    pages.read("quick scans", dave, reverse("quickscan_list"), ["scan"])
    pages.read("quick scan", dave, reverse("quickscan_detail", args=[scan.pk]), ["scan"])
    pages.read("quick scan results", dave, reverse("quickscan_results", args=[scan.pk]), ["scan"])
    pages.read("quick scan close", dave, reverse("quickscan_close", args=[scan.pk]), ["scan"])

    return SimpleNamespace(
        pages=pages,
        community=community,
        session=session,
        follow_up=follow_up,
        scan=scan,
        clients={"dave": dave, "alice": alice, "bob": bob, "carol": carol},
    )


def read_dialogue_pages(pages, session, preparations, clients):
    s = session.pk
    dave, alice, bob, carol = (clients[name] for name in ("dave", "alice", "bob", "carol"))
    education = preparations["education"].pk
    joint_motive = session.joint_motives.get()
    agreement = session.agreements.get()
    note = session.notes.first()
    comparison = reverse("session_comparison", args=[s])
    prepared = ["outcome_edu", "outcome_short", *label_keys()]
    pages.read("home", alice, reverse("home"), [*SESSION_HEAD, "alice"])
    pages.read("home", dave, reverse("home"), SESSION_HEAD)
    detail = reverse("session_detail", args=[s])
    pages.read("session (coordinator)", dave, detail, SESSION_HEAD + ORGANISATIONS + PEOPLE)
    pages.read("session (member)", alice, detail, SESSION_HEAD + ["education"])
    pages.read("session (facilitator)", carol, detail, SESSION_HEAD + ORGANISATIONS)
    pages.read("phase, dialogue", carol, reverse("session_phase", args=[s]), SESSION_HEAD)
    pages.read(
        "format, read-only",
        alice,
        reverse("preparation_detail", args=[s, education]),
        SESSION_HEAD + prepared + ["education", "alice"],
    )
    pages.read(
        "format of the other side",
        bob,
        reverse("preparation_detail", args=[s, education]),
        prepared + ["education"],
    )
    pages.read(
        "comparison",
        bob,
        comparison,
        SESSION_HEAD + ORGANISATIONS + ["outcome_edu", "outcome_practice", "other"],
    )
    pages.read(
        "comparison, filtered",
        carol,
        comparison + "?category=shared&partner_type=education",
        SESSION_HEAD + ORGANISATIONS,
    )
    pages.read(
        "comparison, a hostile filter",
        carol,
        comparison + "?category=%3Cscript%3Ealert(1)&cluster=%3Cb%3Ebold",
        SESSION_HEAD,
    )
    for cluster in Cluster.objects.order_by("order"):
        pages.read(
            f"presentation {cluster.code}",
            carol,
            reverse("session_present", args=[s]) + f"?cluster={cluster.code}",
            SESSION_HEAD + ORGANISATIONS + ["joint", "agreement"],
        )
    state = carol.get(reverse("session_present_state", args=[s]))
    pages.add(
        "presentation panel, polled", json.loads(state.content)["html"], ["joint", "agreement"]
    )
    results = reverse("session_results", args=[s])
    pages.read("results (member)", alice, results, SESSION_HEAD + JOINT)
    pages.read("results (facilitator)", carol, results, SESSION_HEAD + JOINT)
    for label, name, item, expected in (
        ("joint motive edit", "joint_motive_edit", joint_motive, ["joint", "joint_outcome"]),
        ("joint motive delete", "joint_motive_delete", joint_motive, ["joint"]),
        ("agreement edit", "agreement_edit", agreement, ["agreement", "owner"]),
        ("agreement delete", "agreement_delete", agreement, ["agreement"]),
        ("note delete", "note_delete", note, ["note"]),
    ):
        pages.read(label, carol, reverse(name, args=[s, item.pk]), expected)


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker):
    # Each request commits and the worker runs, as in production (tests/tasks.py).
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        commit_each_request(patch)
        yield build()
        transaction.set_rollback(True)


# --- reading it back ---------------------------------------------------------------


def html_problems(label, body, expected):
    """What is wrong with one HTML page: raw tags, double escaping, hostile text not shown."""
    problems = []
    for sign in RAW_SIGNS:
        if sign in body:
            problems.append(f"{label}: raw {sign!r} in the HTML")
    if "&amp;lt;" in body or "&amp;quot;" in body or "&amp;#x27;" in body:
        problems.append(f"{label}: text escaped twice")
    for key in expected:
        if mark(key) not in body:
            problems.append(f"{label}: does not show the {key} text")
    if expected and html.escape("<script>alert(") not in body:
        problems.append(f"{label}: no escaped script tag")
    return problems


def test_every_page_shows_hostile_text_escaped_never_raw(db, hostile_world):
    problems = []
    for label, body, expected in hostile_world.pages:
        problems += html_problems(label, body, expected)
    assert len(hostile_world.pages) > 40
    assert not problems, "\n".join(problems)


def test_the_quick_scan_projector_state_shows_the_title_escaped(db, hostile_world):
    dave = hostile_world.clients["dave"]
    state = dave.get(reverse("quickscan_results_state", args=[hostile_world.scan.pk]))
    problems = html_problems("quick scan, polled", json.loads(state.content)["html"], [])
    assert not problems, "\n".join(problems)


# --- the PDF reports ------------------------------------------------------------------


def pdf_text(client, session):
    """The report's text as pypdf reads it.

    A character no font has (a control character, an emoji) makes WeasyPrint give
    the font its own /Encoding CMap. pypdf then reads every code of that font as
    two one-byte codes, so each letter comes out after a NUL; poppler's pdftotext
    reads the same file correctly. Dropping the NULs gives back the text.
    """
    url = reverse("session_report", args=[session.pk]) + "?language=en"
    assert client.get(url).status_code == 202  # queued; the worker renders it after the request
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def test_the_pdf_report_shows_hostile_text_as_literal_text(db, hostile_world):
    text = pdf_text(hostile_world.clients["carol"], hostile_world.session)
    expected = [
        *SESSION_HEAD,
        "sector",
        "carol",
        *ORGANISATIONS,
        "outcome_edu",
        "outcome_practice",
        "outcome_short",
        *label_keys(),
        *JOINT,
    ]
    assert [key for key in expected if mark(key) not in text] == []
    assert '<script>alert("HXtitle")</script>' in text, "the tag as literal text"
    assert "&lt;" not in text and "&amp;" not in text, "no HTML entities in the PDF"


# --- exports ----------------------------------------------------------------------------


def spreadsheet_problems(label, rows):
    problems = []
    for row in rows:
        for value in row:
            if isinstance(value, str) and value.startswith(tuple(FORMULAS) + ("\t", "\r")):
                problems.append(f"{label}: a cell starts a formula: {value[:30]!r}")
            if isinstance(value, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
                problems.append(f"{label}: a control character in {value[:30]!r}")
    return problems


def test_the_answers_as_csv_and_xlsx_never_start_a_formula(db, hostile_world):
    carol, session = hostile_world.clients["carol"], hostile_world.session
    response = carol.get(reverse("session_answers_csv", args=[session.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    problems = spreadsheet_problems("CSV", rows)
    flat = "\n".join(",".join(row) for row in rows)
    problems += [
        f"CSV: no {key} text" for key in [*SESSION_HEAD, "outcome_edu"] if mark(key) not in flat
    ]

    response = carol.get(reverse("session_answers_xlsx", args=[session.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    problems += [f"XLSX: {cell.coordinate} is a formula" for cell in cells if cell.data_type == "f"]
    problems += spreadsheet_problems("XLSX", [[cell.value for cell in cells]])
    flat = "\n".join(str(cell.value) for cell in cells)
    problems += [
        f"XLSX: no {key} text" for key in [*SESSION_HEAD, "outcome_edu"] if mark(key) not in flat
    ]
    assert "<script>alert(" in flat, "spreadsheets hold the text as it was typed"
    assert not problems, "\n".join(problems)


def test_the_session_file_keeps_hostile_text_exactly(db, hostile_world):
    response = hostile_world.clients["dave"].get(
        reverse("session_export", args=[hostile_world.session.pk])
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["session"]["title"] == TEXT["title"]
    assert data["learning_community"]["name"] == TEXT["community"]
    assert data["agreements"][0]["owner"] == TEXT["owner"]


def test_the_quick_scan_csv_never_starts_a_formula(db, hostile_world):
    dave = hostile_world.clients["dave"]
    response = dave.get(reverse("quickscan_csv", args=[hostile_world.scan.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    problems = spreadsheet_problems("Quick Scan CSV", rows)
    assert not problems, "\n".join(problems)


# --- NUL: refused with a message -----------------------------------------------------

NUL = "before\x00after"


def nul_cases():
    """(label, persona, phase, url, data, field) for every text field the pages write."""

    def on(url_name, *parts):
        return lambda w: reverse(url_name, args=[getattr(w, part).pk for part in parts])

    community = {"name": "LC", "sector": "", "setting": "public-public", "description": ""}
    preparation = on("preparation_detail", "session", "preparation")
    results = on("session_results", "session")
    return [
        (
            "community name",
            "dave",
            None,
            lambda w: reverse("community_create"),
            {**community, "name": NUL},
        ),
        (
            "community sector",
            "dave",
            None,
            on("community_edit", "community"),
            {**community, "sector": NUL},
        ),
        (
            "community description",
            "dave",
            None,
            on("community_edit", "community"),
            {**community, "description": NUL},
        ),
        (
            "organisation name",
            "dave",
            None,
            on("organisation_add", "community"),
            {"name": NUL, "partner_type": "practice"},
        ),
        ("session title", "dave", None, on("session_create", "community"), {"title": NUL}),
        ("session title (edit)", "dave", None, on("session_edit", "session"), {"title": NUL}),
        (
            "invitation name",
            "dave",
            None,
            lambda w: reverse("invitation_create", args=[w.session.pk]),
            {"email": "x@example.org", "name": NUL, "role": "facilitator"},
        ),
        (
            "name of an invited person",
            None,
            None,
            lambda w: reverse("invitation_accept", args=[w.invitation.token]),
            {"name": NUL, "password1": PASSWORD, "password2": PASSWORD},
        ),
        ("intended outcome", "alice", None, preparation, {"outcome_*": NUL}),
        ("other motive", "alice", None, preparation, {"other_1_text": NUL}),
        (
            "other motive's outcome",
            "alice",
            None,
            preparation,
            {"other_1_text": "x", "other_1_outcome": NUL},
        ),
        (
            "joint motive",
            "carol",
            Phase.DIALOGUE,
            results,
            {"form": "joint_motive", "motive-text": NUL},
        ),
        (
            "joint intended outcome",
            "carol",
            Phase.DIALOGUE,
            results,
            {"form": "joint_motive", "motive-text": "x", "motive-intended_outcome": NUL},
        ),
        (
            "agreement",
            "carol",
            Phase.DIALOGUE,
            results,
            {"form": "agreement", "agreement-text": NUL},
        ),
        (
            "agreement owner",
            "carol",
            Phase.DIALOGUE,
            results,
            {"form": "agreement", "agreement-text": "x", "agreement-owner": NUL},
        ),
        ("note", "carol", Phase.DIALOGUE, results, {"form": "note", "note-text": NUL}),
        (
            "review note",
            "carol",
            Phase.DIALOGUE,
            on("review_list", "session"),
            {"item": "motive-*", "motive-*-note": NUL},
        ),
        (
            "next round title",
            "dave",
            Phase.CLOSED,
            on("session_next_round", "session"),
            {"title": NUL},
        ),
        ("Quick Scan title", "dave", None, lambda w: reverse("quickscan_create"), {"title": NUL}),
    ]


def _with_page_values(client, url, data):
    """The hidden values the page holds (versions), then the case's own data.

    ``*`` in a key or value stands for the id in the first field on the page that matches.
    """
    fields = {f.name: f for f in page_fields(client.get(url).content.decode())}
    sent = {name: f.values[0] for name, f in fields.items() if f.kind == "hidden" and f.values}
    number = None
    for key in data:
        if "*" in key:
            pattern = re.compile(re.escape(key).replace(r"\*", r"(\d+)"))
            number = next(m.group(1) for name in fields if (m := pattern.fullmatch(name)))
            break
    for key, value in data.items():
        if number is not None:
            key, value = key.replace("*", number), value.replace("*", number)
        sent[key] = value
    return sent


@pytest.mark.parametrize("case", nul_cases(), ids=lambda case: case[0])
def test_a_nul_character_is_refused_with_a_message(world, case):
    label, persona, phase, url_for, data = case
    with rolled_back():
        world.session.phase = phase or Phase.PREPARATION
        world.session.save()
        client = client_for(world, persona)
        url = url_for(world)
        response = client.post(url, _with_page_values(client, url, data))
    assert response.status_code in (200, 400), f"{label}: {response.status_code}"
    assert "Null characters are not allowed." in response.content.decode(), label
