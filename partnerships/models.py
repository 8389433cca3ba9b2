from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 200

logger = logging.getLogger(__name__)


def normalise_email(email: str | None) -> str:
    """An e-mail address as it is stored and compared: without spaces around it, in lower case.

    Addresses are one person's whatever their letter case (``Alice@X`` is ``alice@x``),
    so every stored address is lower-cased, and the database refuses a second one.
    """
    return (email or "").strip().lower()


EMAIL_TAKEN = _(
    "There is already an account with this e-mail address "
    "(capital and small letters count as the same)."
)


# How an anonymised person appears wherever their name would be.
FORMER_MEMBER = _("former member")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """The person who signs in with ``username``, in any letter case.

        Never more than one: the database refuses a second account for an address.
        Should two rows slip in all the same (a database restored without the
        constraint), nobody signs in with that address, rather than the wrong
        account or an error page: ModelBackend treats it as an unknown address.
        """
        matches = list(self.filter(email__iexact=normalise_email(username))[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            logger.error(
                "Two accounts share the e-mail address %s; nobody can sign in with it "
                "until they are merged.",
                normalise_email(username),
            )
        raise self.model.DoesNotExist(f"No single account for {username!r}.")


class User(AbstractBaseUser, PermissionsMixin):
    """A person; signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the person can log into the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)
    # Set when the person was anonymised (privacy.anonymise): the row stays so that what
    # they wrote keeps an author, shown as "former member"; nothing identifies them.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=EMAIL_TAKEN,
            ),
        ]

    def __str__(self):
        return self.get_full_name()

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        if self.anonymised_at:
            return str(FORMER_MEMBER)
        return self.name or self.email

    def get_short_name(self) -> str:
        if self.anonymised_at:
            return str(FORMER_MEMBER)
        return self.name.split(" ")[0] if self.name else self.email


def logo_upload_to(instance, filename):
    """A random name: the file name says nothing about the community, and cannot be guessed."""
    return f"community-logos/{uuid.uuid4().hex}.png"


# Table 1's optional community fields (other partners, size, place in the programme).
COMMUNITY_DETAIL_MAX_LENGTH = 200


class Setting(models.TextChoices):
    PUBLIC_PUBLIC = "public-public", _("public-public")
    PUBLIC_PRIVATE = "public-private", _("public-private")


class PartnerType(models.TextChoices):
    EDUCATION = "education", _("education partner")
    PRACTICE = "practice", _("practice partner")


class LearningCommunity(models.Model):
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    start_year = models.PositiveSmallIntegerField(
        _("start year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_communities",
        verbose_name=_("coordinators"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Whether the community appears in the cross-case research view. Only a coordinator
    # gives or withdraws it (partnerships.services.research_consent_give/_withdraw); the
    # last change is recorded: when, by whom, and whether it came from an imported file.
    research_consent = models.BooleanField(
        _("research consent"),
        default=False,
        help_text=_(
            "A coordinator agreed that this learning community appears in the research view."
        ),
    )
    research_consent_changed_at = models.DateTimeField(
        _("research consent last changed"), null=True, blank=True
    )
    research_consent_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("research consent last changed by"),
    )

    class ConsentSource(models.TextChoices):
        COORDINATOR = "coordinator", _("a coordinator, on the community page")
        IMPORT = "import", _("an imported session file")

    research_consent_source = models.CharField(
        _("research consent recorded from"),
        max_length=20,
        choices=ConsentSource.choices,
        blank=True,
    )
    # Table 1 of the article, optional: other partners, size and place in the programme.
    other_partners = models.CharField(
        _("other partners"),
        max_length=COMMUNITY_DETAIL_MAX_LENGTH,
        blank=True,
        help_text=_("For example: mbo, knowledge institutions."),
    )
    size = models.CharField(
        _("size"),
        max_length=COMMUNITY_DETAIL_MAX_LENGTH,
        blank=True,
        help_text=_("For example: about 100 students, 25 partners."),
    )
    programme_place = models.CharField(
        _("place in the programme"),
        max_length=COMMUNITY_DETAIL_MAX_LENGTH,
        blank=True,
        help_text=_("For example: minor, 3rd-year students."),
    )

    # Shown on the cover of the PDF report. Stored under MEDIA_ROOT with a random name
    # and never served as public media: only through partnerships.views.community_logo,
    # which applies the community's access rule (partnerships.logos validates the file).
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True, max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning community")
        verbose_name_plural = _("learning communities")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="community_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A partner organisation as it takes part in one learning community.

    An organisation belongs to exactly one community, and so do its memberships:
    being a member of "Fontys ICT" in one community gives no access to an
    organisation of the same name in another. Names are unique (ignoring case)
    within a community only, so nothing is ever matched or linked across
    communities, and a name taken elsewhere is never revealed.
    """

    community = models.ForeignKey(
        LearningCommunity,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("learning community"),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    partner_type = models.CharField(_("partner type"), max_length=10, choices=PartnerType.choices)
    members: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            models.UniqueConstraint(
                "community",
                Lower("name"),
                name="organisation_name_unique_in_community",
                violation_error_message=_(
                    "This learning community already has a partner organisation with this name "
                    "(capital and small letters count as the same)."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person working on behalf of a partner organisation, inside its learning community."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("For example manager or teacher.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.person} – {self.organisation}"
