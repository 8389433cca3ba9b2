from django.contrib import admin

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


class PreparationInline(admin.TabularInline):
    model = Preparation
    fields = ("organisation", "submitted_at", "version", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")
    extra = 0
    autocomplete_fields = ("organisation",)


class JointMotiveInline(admin.TabularInline):
    model = JointMotive
    extra = 0
    autocomplete_fields = ("motive",)


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ("cluster", "text", "author")


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "date", "phase")
    list_filter = ("phase", "community__setting", "community")
    search_fields = ("title", "community__name", "community__sector")
    date_hierarchy = "date"
    filter_horizontal = ("facilitators",)
    autocomplete_fields = ("community", "previous")
    inlines = [PreparationInline, JointMotiveInline, AgreementInline, NoteInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("motive", "applies", "intended_outcome")
    autocomplete_fields = ("motive",)


class OtherMotiveInline(admin.TabularInline):
    model = OtherMotive
    extra = 0
    max_num = 3


@admin.register(Preparation)
class PreparationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "session", "submitted_at", "version", "updated_at")
    list_filter = ("session__phase", "organisation__partner_type", "session__community")
    search_fields = ("organisation__name", "session__title", "session__community__name")
    autocomplete_fields = ("session", "organisation")
    readonly_fields = ("version", "updated_at", "updated_by", "submitted_by")
    inlines = [AnswerInline, OtherMotiveInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("preparation", "motive", "applies")
    list_filter = ("applies", "motive__cluster", "preparation__session__community")
    search_fields = ("motive__code", "preparation__organisation__name", "intended_outcome")
    autocomplete_fields = ("preparation", "motive")


@admin.register(OtherMotive)
class OtherMotiveAdmin(admin.ModelAdmin):
    list_display = ("text", "cluster", "preparation")
    list_filter = ("cluster",)
    search_fields = ("text", "intended_outcome", "preparation__organisation__name")


@admin.register(JointMotive)
class JointMotiveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "session", "motive")
    list_filter = ("motive__cluster", "session__community")
    search_fields = ("text", "intended_outcome", "session__title")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("text", "owner", "due", "session")
    list_filter = ("session__community",)
    search_fields = ("text", "owner", "session__title")
    date_hierarchy = "due"


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("text", "cluster", "session", "created_at")
    list_filter = ("cluster", "session__community")
    search_fields = ("text", "session__title")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "session", "role", "organisation", "created_at", "expires_at")
    list_filter = ("role", "session__community")
    search_fields = ("email", "name", "session__title", "organisation__name")
    readonly_fields = ("token_hash", "accepted_at", "accepted_by", "last_sent_at", "send_count")


@admin.register(OutcomeReview)
class OutcomeReviewAdmin(admin.ModelAdmin):
    list_display = ("__str__", "session", "realised", "updated_at")
    list_filter = ("realised", "session__community")
    search_fields = ("note", "session__title", "joint_motive__text", "agreement__text")
    autocomplete_fields = ("session",)
    raw_id_fields = ("joint_motive", "agreement")
    readonly_fields = ("version", "updated_by", "updated_at")


# --- Quick Scan (workshop mode) ---------------------------------------------------


class QuickScanResponseInline(admin.TabularInline):
    model = QuickScanResponse
    extra = 0
    fields = ("side", "education_clusters", "practice_clusters", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")


@admin.register(QuickScan)
class QuickScanAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "created_by", "created_at", "closed_at")
    list_filter = ("closed_at",)
    search_fields = ("title", "code", "created_by__email")
    readonly_fields = ("code", "version", "created_at")
    raw_id_fields = ("created_by",)
    inlines = [QuickScanResponseInline]


@admin.register(QuickScanResponse)
class QuickScanResponseAdmin(admin.ModelAdmin):
    list_display = ("scan", "side", "created_at", "updated_at")
    list_filter = ("side",)
    search_fields = ("scan__title", "scan__code")
    raw_id_fields = ("scan",)
    readonly_fields = ("browser_key", "created_at", "updated_at")
