import json

from django.core.management.base import BaseCommand, CommandError

from sessions.interchange.format import export_session
from sessions.models import DialogueSession


class Command(BaseCommand):
    help = "Write one session as sms-tool.session/1 JSON to stdout."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int, metavar="ID")

    def handle(self, *args, **options):
        session = DialogueSession.objects.filter(pk=options["session_id"]).first()
        if session is None:
            raise CommandError(f"There is no session with id {options['session_id']}.")
        self.stdout.write(json.dumps(export_session(session), ensure_ascii=False, indent=2))
