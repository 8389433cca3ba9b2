import json

from django.core.management.base import BaseCommand, CommandError

from audit import events as audit
from audit.models import Action
from privacy.anonymise import person_by_email
from privacy.export import person_data
from sms_tool.errors import DomainError


class Command(BaseCommand):
    help = "Print everything the SMS-tool keeps about one person as JSON (AVG art. 15)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            person = person_by_email(email)
        except DomainError as error:
            raise CommandError(error.message) from None
        data = person_data(person)
        audit.record(Action.PERSON_EXPORTED, subject=person, kind="json", what="export_person")
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
