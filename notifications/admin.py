"""The task queue in the admin: read-only (django-tasks-db's own admin), in our words."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from sms_tool.admin_forms import ReadableConstraintsForm


class TaskResultForm(ReadableConstraintsForm):
    constraint_messages = {
        "priority_range": _("A task's priority lies between -100 and 100."),
    }


class TaskResultAdmin(DBTaskResultAdmin):
    """Nobody adds, changes or deletes tasks here: the app and the worker write them."""

    form = TaskResultForm


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
