from django.core.management.base import BaseCommand

from privacy.tasks import ensure_retention_scheduled


class Command(BaseCommand):
    help = "Make sure one retention run waits in the task queue (it then reschedules itself)."

    def handle(self, *args, **options):
        if ensure_retention_scheduled():
            self.stdout.write("Retention run scheduled.")
        else:
            self.stdout.write("A retention run is already scheduled.")
