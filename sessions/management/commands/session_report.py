from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sessions.models import DialogueSession
from sessions.report.pdf import ReportNotAvailable, not_available_message, render_report


class Command(BaseCommand):
    help = "Write the joint PDF report of one session (the same PDF the web page downloads)."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int, metavar="ID")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="nl"
        )

    def handle(self, *args, **options):
        session = DialogueSession.objects.filter(pk=options["session_id"]).first()
        if session is None:
            raise CommandError(f"There is no session with id {options['session_id']}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        try:
            pdf = render_report(session, language=options["language"])
        except ReportNotAvailable:
            with translation.override(options["language"]):
                raise CommandError(not_available_message()) from None
        try:
            output.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error.strerror}).") from None
        self.stdout.write(f"Wrote {output} ({len(pdf) // 1024} KB).")
