"""import_session / export_session as a researcher runs them from the shell."""

import json

import pytest
from django.core.management import CommandError, call_command

from sessions.models import DialogueSession
from tests.sessions.samples import valid_document


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, document, name="session.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_prints_the_new_id_on_the_last_line(db, tmp_path):
    out, _ = run("import_session", str(write(tmp_path, valid_document())))
    session_id = int(out.strip().splitlines()[-1])
    assert DialogueSession.objects.get(pk=session_id).title == "Evaluatie voorjaar 2026"


def test_export_writes_json_that_imports_to_an_equal_export(db, tmp_path):
    out, _ = run("import_session", str(write(tmp_path, valid_document())))
    first_id = out.strip().splitlines()[-1]
    exported, _ = run("export_session", first_id)

    out, _ = run("import_session", str(write(tmp_path, json.loads(exported), "again.json")))
    again, _ = run("export_session", out.strip().splitlines()[-1])

    assert json.loads(exported) == json.loads(again)


def test_invalid_input_writes_one_line_per_problem_and_imports_nothing(db, tmp_path):
    document = valid_document()
    document["organisations"][0]["answers"][0]["motive"] = "nope"
    document["agreements"][0]["due"] = "morgen"
    path = write(tmp_path, document)

    with pytest.raises(CommandError, match="nothing imported, 2 problems found"):
        run("import_session", str(path))

    assert DialogueSession.objects.count() == 0


def test_problem_lines_go_to_stderr_with_path_and_reason(db, tmp_path):
    from io import StringIO

    document = valid_document()
    document["agreements"][0]["due"] = "morgen"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_session", str(write(tmp_path, document)), stderr=err)
    assert 'agreements[0].due: "morgen" is not a valid date (YYYY-MM-DD)' in err.getvalue()


def test_a_file_that_is_not_json_gets_the_line_and_column(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "sms-tool.session/1",\n  "session": }', encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid JSON: Expecting value at line 2, column 14"):
        run("import_session", str(path))


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import_session", str(tmp_path / "missing.json"))


def test_exporting_an_unknown_session_says_so(db):
    with pytest.raises(CommandError, match="There is no session with id 999"):
        run("export_session", "999")


def test_the_shell_exit_status_is_one_on_invalid_input(tmp_path):
    """Run through manage.py as a researcher would, to see the exit status."""
    from tests.helpers import run_manage

    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert run_manage("migrate", "--noinput", env=env).returncode == 0
    document = valid_document()
    document["session"]["phase"] = "finished"

    result = run_manage("import_session", str(write(tmp_path, document)), env=env)

    assert result.returncode == 1
    assert 'session.phase: must be one of "draft", "preparation"' in result.stderr

    result = run_manage(
        "import_session", "--language", "nl", str(write(tmp_path, document)), env=env
    )
    assert 'session.phase: moet een van "draft", "preparation"' in result.stderr

    result = run_manage(
        "import_session", str(write(tmp_path, valid_document(), "ok.json")), env=env
    )
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1].isdigit()


def test_import_says_when_an_existing_community_keeps_its_own_research_consent(db, tmp_path):
    document = valid_document()
    document["learning_community"]["research_consent"] = True
    _out, first_err = run("import_session", str(write(tmp_path, valid_document())))
    assert "research_consent" not in first_err
    out, err = run("import_session", str(write(tmp_path, document, "again.json")))
    assert "learning_community.research_consent is true in the file" in err
    assert "keeps its own consent (false): an import never gives or withdraws it" in err
    assert int(out.strip().splitlines()[-1]) == DialogueSession.objects.order_by("pk").last().pk
