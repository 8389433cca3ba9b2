import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sessions.interchange import InterchangeError, import_session


class Command(BaseCommand):
    help = (
        "Validate and import one session in the sms-tool.session/1 JSON format. "
        "All or nothing; prints the new session's id on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON file")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="language of the problem messages (default: en)",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            session = import_file(options["file"], stderr=self.stderr)
        self.stdout.write(
            f"Imported session {session.pk}: {session.title} ({session.community.name})."
        )
        self.stdout.write(str(session.pk))


def read_json_file(path):
    """Parse a JSON file, turning every way it can fail into one readable CommandError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a JSON file.") from None
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})."
        ) from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None


def import_file(path, *, stderr):
    data = read_json_file(path)
    try:
        return import_session(data)
    except InterchangeError as error:
        for problem in error.problems:
            stderr.write(f"{path}: {problem}")
        count = len(error.problems)
        raise CommandError(
            f"{path}: nothing imported, {count} problem{'s' if count != 1 else ''} found."
        ) from None
