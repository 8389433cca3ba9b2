from django.core.management.base import BaseCommand, CommandError

from privacy.anonymise import anonymise_person, person_by_email
from sms_tool.errors import DomainError


class Command(BaseCommand):
    help = (
        "Anonymise one person for good: the account is emptied, what they wrote stays "
        "and shows as written by a former member (AVG art. 17)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email, yes, **options):
        try:
            person = person_by_email(email)
        except DomainError as error:
            raise CommandError(error.message) from None
        if not yes:
            answer = input(f"Anonymise {person.email}? This cannot be undone. Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            person = anonymise_person(person=person)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Anonymised; the account is now {person.email}.")
