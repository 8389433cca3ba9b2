from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosedSessions(models.TextChoices):
    ANONYMISE = (
        "anonymise",
        _("anonymise them: keep the answers and results, remove who wrote what"),
    )
    DELETE = "delete", _("delete them completely")


class CommunityRetention(models.Model):
    """What a community's coordinator chose for its closed sessions past the retention period.

    A community without a row gets the default, ``ClosedSessions.ANONYMISE``.
    """

    community = models.OneToOneField(
        "partnerships.LearningCommunity",
        on_delete=models.CASCADE,
        related_name="retention",
        verbose_name=_("learning community"),
    )
    closed_sessions = models.CharField(
        _("closed sessions past the retention period"),
        max_length=10,
        choices=ClosedSessions.choices,
        default=ClosedSessions.ANONYMISE,
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("retention choice")
        verbose_name_plural = _("retention choices")

    def __str__(self) -> str:
        return f"{self.community}: {self.get_closed_sessions_display()}"
