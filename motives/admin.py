from django.contrib import admin

from motives.models import Cluster, Motive


class MotiveInline(admin.TabularInline):
    model = Motive
    fields = ("order", "code", "label_nl", "label_en", "audience", "active")
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("code", "label_nl", "label_en", "order")
    search_fields = ("code", "label_nl", "label_en")
    inlines = [MotiveInline]


@admin.register(Motive)
class MotiveAdmin(admin.ModelAdmin):
    list_display = ("code", "label_nl", "cluster", "audience", "order", "active")
    list_filter = ("cluster", "audience", "active")
    search_fields = ("code", "label_nl", "label_en", "explanation_nl", "explanation_en")
    list_editable = ("active",)
    ordering = ("cluster__order", "order")
