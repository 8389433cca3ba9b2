from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sessions.invitations import services as invitation_services
from sessions.models import (
    Agreement,
    Answer,
    DialogueSession,
    Invitation,
    JointMotive,
    Note,
    OtherMotive,
    OutcomeReview,
    Preparation,
    QuickScan,
    QuickScanResponse,
)
from sms_tool.admin_forms import ReadableConstraintsForm
from sms_tool.errors import DomainError


class SessionsAdminForm(ReadableConstraintsForm):
    constraint_messages = {
        "other_motive_at_most_three": _(
            "The position of an other motive is 1, 2 or 3: "
            "an organisation names at most three other motives."
        ),
        "joint_motive_has_motive_or_text": _(
            "Choose a motive from the catalogue or write the joint motive in your own words."
        ),
        "invitation_member_has_organisation": _(
            "A member is invited for one organisation; "
            "a facilitator for the whole session, without an organisation."
        ),
        "answer_priority_one_to_three": _("A priority is 1, 2 or 3."),
        "answer_priority_once_per_preparation": _(
            "Each priority (1, 2 or 3) goes to one motive of the organisation only."
        ),
        "outcome_review_one_target": _(
            "A review is about one joint motive or one agreement of the previous round: "
            "choose exactly one of the two."
        ),
    }


class SessionsModelAdmin(admin.ModelAdmin):
    """Readable constraint messages, and ``version`` (the edit counter) never typed by hand."""

    form = SessionsAdminForm

    def get_readonly_fields(self, request, obj=None):
        return _with_version(self.model, super().get_readonly_fields(request, obj))


class SessionsInline(admin.TabularInline):
    form = SessionsAdminForm
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return _with_version(self.model, super().get_readonly_fields(request, obj))


def _with_version(model, readonly):
    """``version`` detects concurrent edits in the app: an edit by hand would defeat it."""
    names = {field.name for field in model._meta.get_fields()}
    return tuple(readonly) + (
        ("version",) if "version" in names and "version" not in readonly else ()
    )


class PreparationInline(SessionsInline):
    model = Preparation
    fields = ("organisation", "submitted_at", "version", "updated_at", "updated_by")
    readonly_fields = ("version", "updated_at", "updated_by")
    autocomplete_fields = ("organisation",)


class JointMotiveInline(SessionsInline):
    model = JointMotive
    autocomplete_fields = ("motive",)


class AgreementInline(SessionsInline):
    model = Agreement


class NoteInline(SessionsInline):
    model = Note
    fields = ("cluster", "text", "author")


@admin.register(DialogueSession)
class DialogueSessionAdmin(SessionsModelAdmin):
    list_display = ("title", "community", "date", "phase")
    list_filter = ("phase", "community__setting", "community")
    search_fields = ("title", "community__name", "community__sector")
    date_hierarchy = "date"
    filter_horizontal = ("facilitators",)
    autocomplete_fields = ("community", "previous")
    # The phase moves only through the app's phase buttons, which check the way there
    # (a closed session is never moved back to draft here).
    readonly_fields = ("phase", "version")
    inlines = [PreparationInline, JointMotiveInline, AgreementInline, NoteInline]


class AnswerInline(SessionsInline):
    model = Answer
    fields = ("motive", "applies", "intended_outcome")
    autocomplete_fields = ("motive",)


class OtherMotiveInline(SessionsInline):
    model = OtherMotive
    max_num = 3


@admin.register(Preparation)
class PreparationAdmin(SessionsModelAdmin):
    list_display = ("organisation", "session", "submitted_at", "version", "updated_at")
    list_filter = ("session__phase", "organisation__partner_type", "session__community")
    search_fields = ("organisation__name", "session__title", "session__community__name")
    autocomplete_fields = ("session", "organisation")
    readonly_fields = ("version", "updated_at", "updated_by", "submitted_by")
    inlines = [AnswerInline, OtherMotiveInline]


@admin.register(Answer)
class AnswerAdmin(SessionsModelAdmin):
    list_display = ("preparation", "motive", "applies")
    list_filter = ("applies", "motive__cluster", "preparation__session__community")
    search_fields = ("motive__code", "preparation__organisation__name", "intended_outcome")
    autocomplete_fields = ("preparation", "motive")


@admin.register(OtherMotive)
class OtherMotiveAdmin(SessionsModelAdmin):
    list_display = ("text", "cluster", "preparation")
    list_filter = ("cluster",)
    search_fields = ("text", "intended_outcome", "preparation__organisation__name")


@admin.register(JointMotive)
class JointMotiveAdmin(SessionsModelAdmin):
    list_display = ("__str__", "session", "motive")
    list_filter = ("motive__cluster", "session__community")
    search_fields = ("text", "intended_outcome", "session__title")


@admin.register(Agreement)
class AgreementAdmin(SessionsModelAdmin):
    list_display = ("text", "owner", "due", "session")
    list_filter = ("session__community",)
    search_fields = ("text", "owner", "session__title")
    date_hierarchy = "due"


@admin.register(Note)
class NoteAdmin(SessionsModelAdmin):
    list_display = ("text", "cluster", "session", "created_at")
    list_filter = ("cluster", "session__community")
    search_fields = ("text", "session__title")


@admin.register(Invitation)
class InvitationAdmin(SessionsModelAdmin):
    """Invitations are read here and can be revoked; they are made in the app only.

    Only the app's service sends the e-mail with the link (of which only a hash is
    stored); a row added or changed here would be an invitation nobody can use.
    """

    list_display = ("email", "session", "role", "organisation", "created_at", "expires_at")
    list_filter = ("role", "session__community")
    search_fields = ("email", "name", "session__title", "organisation__name")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("dialogue_sessions.change_invitation")

    @admin.action(permissions=["revoke"], description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                invitation_services.invitation_revoke(invitation=invitation, by=request.user)
            except DomainError as refusal:
                self.message_user(
                    request,
                    _("The invitation to %(email)s was not revoked: %(reason)s")
                    % {"email": invitation.email, "reason": refusal.message},
                    messages.WARNING,
                )
            else:
                revoked += 1
        if revoked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation revoked; its link no longer works.",
                    "%(count)d invitations revoked; their links no longer work.",
                    revoked,
                )
                % {"count": revoked},
                messages.SUCCESS,
            )


@admin.register(OutcomeReview)
class OutcomeReviewAdmin(SessionsModelAdmin):
    list_display = ("__str__", "session", "realised", "updated_at")
    list_filter = ("realised", "session__community")
    search_fields = ("note", "session__title", "joint_motive__text", "agreement__text")
    autocomplete_fields = ("session",)
    raw_id_fields = ("joint_motive", "agreement")
    readonly_fields = ("version", "updated_by", "updated_at")


# --- Quick Scan (workshop mode) ---------------------------------------------------


class QuickScanResponseInline(SessionsInline):
    model = QuickScanResponse
    fields = ("side", "education_clusters", "practice_clusters", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")

    def has_add_permission(self, request, obj):
        return False  # answers come from the participants' phones


@admin.register(QuickScan)
class QuickScanAdmin(SessionsModelAdmin):
    list_display = ("title", "code", "created_by", "created_at", "closed_at")
    list_filter = ("closed_at",)
    search_fields = ("title", "code", "created_by__email")
    readonly_fields = ("code", "version", "created_at")
    raw_id_fields = ("created_by",)
    inlines = [QuickScanResponseInline]

    def has_add_permission(self, request):
        return False  # started in the app, which draws a free short code


@admin.register(QuickScanResponse)
class QuickScanResponseAdmin(SessionsModelAdmin):
    list_display = ("scan", "side", "created_at", "updated_at")
    list_filter = ("side",)
    search_fields = ("scan__title", "scan__code")
    # An answer stays with its scan: the browser's key is only unique within one.
    readonly_fields = ("scan", "browser_key", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False  # answers come from the participants' phones
