from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    EMAIL_TAKEN,
    LearningCommunity,
    Membership,
    Organisation,
    User,
    normalise_email,
)
from sms_tool.admin_forms import ReadableConstraintsForm


class PartnershipsAdminForm(ReadableConstraintsForm):
    constraint_messages = {
        "community_name_unique_ci": _(
            "There is already a learning community with this name "
            "(capital and small letters count as the same)."
        ),
    }


class OrganisationAdminForm(PartnershipsAdminForm):
    def clean(self):
        cleaned = super().clean()
        # The community is read-only on the change page, so Django leaves the constraint
        # on (community, name) unchecked there; check it here instead of at the database.
        community = cleaned.get("community") or getattr(self.instance, "community", None)
        name = cleaned.get("name")
        if community is not None and name:
            others = Organisation.objects.filter(community=community, name__iexact=name.strip())
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("name", Organisation._meta.constraints[0].violation_error_message)
        return cleaned


class OrganisationInline(admin.TabularInline):
    model = Organisation
    form = OrganisationAdminForm
    extra = 0
    fields = ("name", "partner_type")
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    form = PartnershipsAdminForm
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(LearningCommunity)
class LearningCommunityAdmin(admin.ModelAdmin):
    form = PartnershipsAdminForm
    list_display = ("name", "sector", "setting", "start_year")
    list_filter = ("setting", "sector")
    search_fields = ("name", "sector", "description")
    filter_horizontal = ("coordinators",)
    inlines = [OrganisationInline]
    # Consent is the coordinators' decision, given or withdrawn on the community page.
    readonly_fields = (
        "research_consent",
        "research_consent_changed_at",
        "research_consent_changed_by",
        "research_consent_source",
        # uploaded on the community's edit page, where the file is checked and re-encoded
        "logo",
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "partner_type", "community")
    list_filter = ("partner_type", "community")
    search_fields = ("name", "community__name")
    list_select_related = ("community",)
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Moving an organisation would move its members' access into another community.
        return ("community",) if obj else ()

    def get_inlines(self, request, obj):
        # A new person first gets an account; memberships are added on the next page.
        return self.inlines if obj else []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = PartnershipsAdminForm
    list_display = ("person", "organisation", "community", "role")
    list_filter = ("organisation__partner_type", "organisation__community")
    list_select_related = ("person", "organisation__community")
    search_fields = ("person__email", "person__name", "organisation__name")
    autocomplete_fields = ("person", "organisation")

    @admin.display(description=_("learning community"), ordering="organisation__community__name")
    def community(self, membership):
        return membership.organisation.community


class OneAccountPerAddressMixin:
    """The address as it is stored, refused in words when someone has it in any letter case."""

    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        others = User.objects.exclude(pk=self.instance.pk) if self.instance.pk else User.objects
        if email and others.filter(email__iexact=email).exists():
            raise ValidationError(EMAIL_TAKEN, code="unique")
        return email


class PersonCreationForm(OneAccountPerAddressMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class PersonChangeForm(OneAccountPerAddressMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = PersonCreationForm
    form = PersonChangeForm
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        # A new person first gets an account; memberships are added on the next page.
        return self.inlines if obj else []
