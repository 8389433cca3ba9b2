from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Learning communities")

    def ready(self):
        from partnerships.groups import ensure_groups_after_migrate

        # Runs after auth has created this app's permissions for the same signal.
        post_migrate.connect(ensure_groups_after_migrate, sender=self)
