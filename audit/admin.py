from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an event, not even a superuser."""

    list_display = ("at", "actor", "action", "subject", "community_name", "session_title")
    list_filter = ("action",)
    search_fields = ("actor__email", "subject__email", "community_name", "session_title")
    list_select_related = ("actor", "subject")
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
