"""Generated session files: the import refuses every bad one with a message, never a crash.

Documents start from a valid session and are then spoiled a few times over: a
value anywhere replaced by any JSON value (wrong types, huge numbers, NaN, NUL
characters, text far beyond every length limit), keys removed, unknown keys and
list items added; now and then the document is any JSON value at all. The same
documents go through ``parse``/``import_session``, the ``import_session``
command (as the shell runs it: exit status 1 and one line per problem) and the
import page, which must show the problems or a preview, never a server error.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.interchange.format import InterchangeError, import_session, parse
from sessions.management.commands.import_session import Command as ImportCommand
from sessions.models import DialogueSession
from tests.robustness.conftest import client_for, rolled_back
from tests.sessions.samples import valid_document

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_TEXT = [
    "",
    "   ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1f",
    "x" * 5000,
    "<script>alert('sms')</script>",
    "=1+1",
    "capital.network",
    "capital",
    "development.students",
    "education",
    "practice",
    "public-public",
    "dialogue",
    "closed",
    "2026-02-30",
    "2026-06-01",
    "not-an-email",
    "a@example.org",
    "A@EXAMPLE.ORG",
    "Fontys ICT",
    "sms-tool.session/1",
    "\u202eevil",
    "🤝",
]
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**40, 1900, 2100, 1899, 0]),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(HOSTILE_TEXT),
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(HOSTILE_TEXT)), children),
    ),
    max_leaves=8,
)


def _slots(value):
    """Every (container, key) in a parsed document, the document's own keys first."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield value, key
            yield from _slots(child)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield value, index
            yield from _slots(child)


@st.composite
def spoiled(draw, community_name=None):
    document = valid_document()
    if community_name is not None:
        document["learning_community"]["name"] = community_name
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        slots = list(_slots(document))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "replace":
            container[key] = draw(json_value)
        elif action == "remove":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(json_value)
        else:
            container.append(draw(json_value))
    return document


documents = st.one_of(spoiled(), spoiled(), spoiled(), json_value)


def assert_readable(error):
    assert error.problems, "an InterchangeError without problems"
    for problem in error.problems:
        assert isinstance(problem.path, str) and problem.path.strip(), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem


def test_parse_and_import_refuse_bad_documents_only_with_problems_that_say_where_and_what(db):
    @SETTINGS
    @given(document=documents)
    def check(document):
        with rolled_back():
            try:
                parse(json.loads(json.dumps(document)))
            except InterchangeError as error:
                assert_readable(error)
            try:
                session = import_session(document)
            except InterchangeError as error:
                assert_readable(error)
            else:
                assert DialogueSession.objects.filter(pk=session.pk).exists()

    check()


def run_from_shell(path):
    """Run the command as ``manage.py import_session PATH`` does: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    command = ImportCommand(stdout=out, stderr=err)
    try:
        command.run_from_argv(["manage.py", "import_session", str(path)])
    except SystemExit as leaving:
        return leaving.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


file_bodies = st.one_of(
    documents.map(lambda document: json.dumps(document).encode()),
    documents.map(lambda document: json.dumps(document, ensure_ascii=False).encode()),
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"\xff\xfe{}",
            b'{"format": "sms-tool.session/1", "session": {"title": "\\ud800"}}',
            b"[" * 5000 + b"]" * 5000,
            b'{"a": 1' + b"9" * 5000 + b"}",
            b"NaN",
        ]
    ),
)


def test_the_command_exits_with_status_1_and_one_line_per_problem_never_a_traceback(
    db, tmp_path, monkeypatch
):
    path = tmp_path / "session.json"
    # run_from_argv closes the connections when done; the test's transaction needs them.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    @SETTINGS
    @given(body=file_bodies)
    def check(body):
        path.write_bytes(body)
        with rolled_back():
            status, out, err = run_from_shell(path)
        assert "Traceback" not in err
        if status == 0:
            assert out.strip().splitlines()[-1].isdigit(), "the new id on the last line"
        else:
            assert status == 1
            assert "CommandError: " in err
            problem_lines = [line for line in err.splitlines() if line.strip()]
            assert all(line.strip() for line in problem_lines)

    check()


def test_the_command_names_the_path_of_every_problem(db, tmp_path):
    document = valid_document()
    document["session"]["title"] = "\x00"
    document["agreements"][0]["due"] = 12
    path = tmp_path / "session.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problems"):
        call_command("import_session", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert any("session.title" in line for line in lines)
    assert any("agreements[0].due" in line for line in lines)


# --- the import page --------------------------------------------------------------

PAGE_SIGNS = ('id="import-problems"', 'id="import-stale"', "invalid-feedback", 'name="token"')


def test_the_import_page_shows_the_problems_or_a_preview_for_every_upload(world):
    url = reverse("community_import", args=[world.community.pk])
    uploads = st.one_of(
        spoiled(community_name=world.community.name).map(lambda d: json.dumps(d).encode()),
        file_bodies,
    )

    @settings(SETTINGS, max_examples=30)
    @given(body=uploads, confirm=st.booleans())
    def check(body, confirm):
        with rolled_back():
            client = client_for(world, "dave")
            upload = io.BytesIO(body)
            upload.name = "session.json"
            response = client.post(url, {"step": "preview", "file": upload})
            assert response.status_code < 500
            page = response.content.decode()
            assert any(sign in page for sign in PAGE_SIGNS), "neither problems nor a preview"
            if confirm and 'name="token"' in page:
                token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
                response = client.post(url, {"step": "confirm", "token": token})
                assert response.status_code in (200, 302)
                if response.status_code == 200:
                    assert 'id="import-problems"' in response.content.decode()

    check()
