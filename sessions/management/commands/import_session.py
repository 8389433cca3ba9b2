from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sessions.interchange.format import InterchangeError, import_session, load_json_bytes


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
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a JSON file.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
    try:
        # The same reading as the import page's upload, so both give the same messages.
        return load_json_bytes(raw, str(path))
    except InterchangeError as error:
        raise CommandError("\n".join(str(problem) for problem in error.problems)) from None


def import_file(path, *, stderr):
    data = read_json_file(path)
    try:
        session = import_session(data)
    except InterchangeError as error:
        for problem in error.problems:
            stderr.write(f"{path}: {problem}")
        count = len(error.problems)
        raise CommandError(
            f"{path}: nothing imported, {count} problem{'s' if count != 1 else ''} found."
        ) from None
    _note_kept_consent(path, data, session.community, stderr)
    return session


def _note_kept_consent(path, data, community, stderr):
    """Say so when the file's research consent differs from the existing community's own."""
    in_file = data["learning_community"].get("research_consent")
    if in_file is None or in_file == community.research_consent:
        return
    text = {True: "true", False: "false"}
    stderr.write(
        f"{path}: note: learning_community.research_consent is {text[in_file]} in the file, "
        f"but the existing learning community “{community.name}” keeps its own consent "
        f"({text[community.research_consent]}): an import never gives or withdraws it. "
        "A coordinator of the community changes it on the community page."
    )
