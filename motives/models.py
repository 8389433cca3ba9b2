from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Localized(models.Model):
    """Dutch and English label and explanation, read in the active language."""

    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    explanation_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    def _in_language(self, field):
        language = (get_language() or "nl")[:2]
        value = getattr(self, f"{field}_{'en' if language == 'en' else 'nl'}")
        return value or getattr(self, f"{field}_nl")

    @property
    def label(self):
        return self._in_language("label")

    @property
    def explanation(self):
        return self._in_language("explanation")


class Cluster(Localized):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")


class Audience(models.TextChoices):
    BOTH = "both", _("education and practice partners")
    EDUCATION = "education", _("education partners only")
    PRACTICE = "practice", _("practice partners only")


class MotiveSource(models.TextChoices):
    """Where a motive comes from: the seed's fill-in format (S) or the article (A)."""

    FORMAT = "format", _("SMS-tool format")
    ARTICLE = "article", _("article")


class MotiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_partner_type(self, partner_type):
        return self.filter(audience__in=[Audience.BOTH, partner_type])

    def in_catalogue(self, catalogue):
        """``compact``: only the motives of the seed's fill-in format; otherwise all."""
        if catalogue == "compact":
            return self.filter(source=MotiveSource.FORMAT)
        return self

    def in_catalogue_order(self):
        return self.select_related("cluster").order_by("cluster__order", "order", "code")


class Motive(Localized):
    code = models.CharField(_("code"), max_length=80, unique=True)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="motives", verbose_name=_("cluster")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=MotiveSource.choices,
        default=MotiveSource.ARTICLE,
        help_text=_("The SMS-tool's fill-in format or the article's result tables."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive motives are not offered in new formats.")
    )

    objects = MotiveQuerySet.as_manager()

    class Meta:
        ordering = ["cluster__order", "order", "code"]
        verbose_name = _("motive")
        verbose_name_plural = _("motives")

    def offered_to(self, partner_type: str) -> bool:
        return self.audience in (Audience.BOTH, partner_type)
