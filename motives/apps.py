from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MotivesConfig(AppConfig):
    name = "motives"
    verbose_name = _("Motive catalogue")

    def ready(self):
        from motives.catalogue import sync_catalogue_after_migrate

        # Every database (the test database and a flushed one included) gets the
        # catalogue from fixtures/ without a manual step.
        post_migrate.connect(sync_catalogue_after_migrate, sender=self)
