from django.core.management.base import BaseCommand, CommandError

from motives.catalogue import CatalogueError, sync_catalogue


class Command(BaseCommand):
    help = "Create or update the motive catalogue from fixtures/motive_catalogue.json."

    def handle(self, *args, **options):
        try:
            created, updated = sync_catalogue()
        except CatalogueError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Motive catalogue: {created} created, {updated} updated.")
